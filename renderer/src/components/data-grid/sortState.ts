/** Sort state of the grid's header: the grid only asks for a sort; the row source applies it. */

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  /** Source index of the column (a position in the `columns` prop). */
  column: number;
  direction: SortDirection;
}

/**
 * The sort after a header click. A click cycles the column asc → desc → none and sorts by it alone;
 * Shift+click cycles it in place, or appends it as the next sort key.
 */
export function nextSort(current: readonly SortKey[], column: number, additive: boolean): SortKey[] {
  const existing = current.find((key) => key.column === column);
  const direction: SortDirection | null = !existing ? 'asc' : existing.direction === 'asc' ? 'desc' : null;
  if (!additive) return direction ? [{ column, direction }] : [];
  if (!existing) return [...current, { column, direction: 'asc' }];
  return direction
    ? current.map((key) => (key.column === column ? { column, direction } : key))
    : current.filter((key) => key.column !== column);
}
