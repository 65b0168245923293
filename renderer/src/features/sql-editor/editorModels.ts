/**
 * Each query tab's text lives in a Monaco model (not in the store), kept while the tab is open, so switching
 * tabs keeps the text, the cursor and the undo history. Typed text is saved as a draft through the core.
 */
import { call } from '../../api/client.ts';
import type { Monaco } from './monaco.ts';
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api.js';

const models = new Map<string, MonacoApi.editor.ITextModel>();
/** Text a new tab starts with (a saved query, a history entry), used instead of its draft. */
const seeds = new Map<string, string>();

export function seedText(tabId: string, text: string): void {
  seeds.set(tabId, text);
  void call('drafts/save', { id: tabId, text }).catch(() => undefined);
}
const SAVE_DELAY_MS = 500;

export async function modelFor(monaco: Monaco, tabId: string, language: 'pgsql' | 'mysql'): Promise<MonacoApi.editor.ITextModel> {
  const existing = models.get(tabId);
  if (existing && !existing.isDisposed()) return existing;
  const seeded = seeds.get(tabId);
  seeds.delete(tabId);
  const { text } = seeded !== undefined ? { text: seeded } : await call('drafts/load', { id: tabId }).catch(() => ({ text: null }));
  const again = models.get(tabId);
  if (again && !again.isDisposed()) return again;
  const model = monaco.editor.createModel(text ?? '', language, monaco.Uri.parse(`cabinet-query:/${tabId}.sql`));
  models.set(tabId, model);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    if (!model.isDisposed()) void call('drafts/save', { id: tabId, text: model.getValue() }).catch(() => undefined);
  };
  model.onDidChangeContent(() => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  });
  // A reload does not wait for the delay.
  window.addEventListener('pagehide', save);
  model.onWillDispose(() => window.removeEventListener('pagehide', save));
  return model;
}

/** The tab is closed: its model goes (its draft is deleted by the tab's close). */
export function disposeModel(tabId: string): void {
  models.get(tabId)?.dispose();
  models.delete(tabId);
}

/** The text of a tab's editor, when it has been opened. */
export function modelText(tabId: string): string | undefined {
  return models.get(tabId)?.getValue();
}
