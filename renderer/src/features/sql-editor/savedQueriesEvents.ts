/** Lets the sidebar's list know that a query was saved from a tab. */
const listeners = new Set<() => void>();

export function onSavedQueriesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function savedQueriesChanged(): void {
  for (const listener of listeners) listener();
}
