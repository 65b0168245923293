/**
 * Monaco, bundled with the app (no network loads at run time): the editor core with its features (find and
 * replace, multiple cursors, bracket matching, suggestions), the two SQL dialects, and the editor worker,
 * started from the app's own origin (the CSP allows workers from 'self' and blob:). Loaded on first use, so
 * the workbench itself starts without it.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/editor/editor.all.js';
import 'monaco-editor/esm/vs/basic-languages/pgsql/pgsql.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/mysql/mysql.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';

(self as unknown as { MonacoEnvironment: { getWorker(): Worker } }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
export type Monaco = typeof monaco;
