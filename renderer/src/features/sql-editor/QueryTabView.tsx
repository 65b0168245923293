import { useCallback, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { toErrorData } from '../../api/errors.ts';
import { useStore } from '../../store/index.ts';
import type { QueryTab } from '../workbench/tabsSlice.ts';
import { QueryEditor, type EditorActions, type EditorHandle } from './QueryEditor.tsx';
import { ExportDialog, type ExportRequest } from './ExportDialog.tsx';
import { ResultView } from './ResultView.tsx';
import { SaveQueryDialog } from './SaveQueryDialog.tsx';
import { statementsToRun } from './statements.ts';
import type { QueryState } from './queriesSlice.ts';

const IDLE: QueryState = { canCancel: true, transaction: 'idle', running: false, results: [], messages: [], shown: 'messages' };

/** A query tab: the editor above, its results and messages below, on a session of its own. */
export function QueryTabView({ tab }: { tab: QueryTab }) {
  const connection = useStore((s) => s.connections[tab.profileId]);
  const state = useStore((s) => s.queries[tab.id]) ?? IDLE;
  const runStatements = useStore((s) => s.runStatements);
  const cancelQuery = useStore((s) => s.cancelQuery);
  const stopResult = useStore((s) => s.stopResult);
  const showResult = useStore((s) => s.showResult);
  const resultRead = useStore((s) => s.resultRead);
  const shownId = typeof state.shown === 'number' ? state.results[state.shown]?.resultId : undefined;
  const onRead = useCallback((rowCount: number, complete: boolean) => shownId && resultRead(tab.id, shownId, rowCount, complete), [resultRead, shownId, tab.id]);
  const [goOn, setGoOn] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [exporting, setExporting] = useState<ExportRequest | null>(null);
  const editor = useRef<EditorHandle | null>(null);
  const engine = connection?.info.engine ?? 'postgres';

  const run = useCallback(
    (mode: 'current' | 'all') => {
      const handle = editor.current;
      if (!handle) return;
      try {
        const statements = statementsToRun(handle.text(), engine, { selection: handle.selection() ?? undefined, cursor: handle.cursor(), all: mode === 'all' });
        setProblem(statements.length === 0 ? 'There is no statement to run.' : null);
        void runStatements(tab.id, statements, goOn);
      } catch (error) {
        // The splitter names what it could not read: an unterminated string or comment, and its line.
        setProblem(toErrorData(error).message.replace(/^SQL, /, ''));
      }
    },
    [engine, goOn, runStatements, tab.id],
  );

  const format = useCallback(() => {
    const handle = editor.current;
    if (!handle) return;
    void import('sql-formatter').then(({ format: formatSql }) => {
      try {
        handle.replaceAll(formatSql(handle.text(), { language: engine === 'postgres' ? 'postgresql' : 'mysql', keywordCase: 'upper' }));
      } catch (error) {
        setProblem(`The SQL could not be formatted: ${toErrorData(error).message}`);
      }
    });
  }, [engine]);

  const cancel = useCallback(() => {
    if (useStore.getState().queries[tab.id]?.running) void cancelQuery(tab.id);
  }, [cancelQuery, tab.id]);

  const actions: EditorActions = { run, cancel, format };
  const onReady = useCallback((handle: EditorHandle) => (editor.current = handle), []);
  const connectionId = connection?.info.connectionId;
  const database = tab.database ?? connection?.info.database ?? '';
  const completion = useMemo(() => (connectionId ? { engine, connectionId, database } : undefined), [engine, connectionId, database]);

  const shownResult = typeof state.shown === 'number' ? state.results[state.shown] : undefined;
  return (
    <div className="query-tab">
      <div className="query-tab__toolbar" role="toolbar" aria-label="Query tools">
        <button type="button" className="button button--small button--primary" disabled={state.running || !connection} onClick={() => run('current')} title="Run the statement under the cursor, or the selection (Ctrl+Enter)">
          Run
        </button>
        <button type="button" className="button button--small" disabled={state.running || !connection} onClick={() => run('all')} title="Run the whole script (Ctrl+Shift+Enter)">
          Run all
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={!state.running || !state.canCancel}
          onClick={cancel}
          title={state.canCancel ? 'Cancel the running statement (Escape)' : 'The demo database runs inside Cabinet: a running statement cannot be cancelled, it runs to its end.'}
        >
          Cancel
        </button>
        <button type="button" className="button button--small" onClick={format} title="Format the SQL (Shift+Alt+F)">
          Format
        </button>
        <button type="button" className="button button--small" onClick={() => setSaving(true)} title="Save as a .sql file in the saved-queries folder">
          Save…
        </button>
        <label className="checkbox checkbox--small">
          <input type="checkbox" checked={goOn} onChange={(e) => setGoOn(e.target.checked)} />
          Go on after errors
        </label>
        <span className="spacer" />
        {state.running ? (
          <span className="query-tab__running" role="status">
            <Spinner /> Running…
          </span>
        ) : null}
        {state.transaction !== 'idle' ? (
          <span className={`query-tab__transaction is-${state.transaction}`} role="status" aria-label="Transaction">
            {state.transaction === 'failed' ? 'Transaction failed: roll back' : 'Transaction open'}
          </span>
        ) : null}
        <span className="query-tab__where">
          {connection ? `${connection.info.name} · ${tab.database ?? connection.info.database ?? ''}` : 'not connected'}
        </span>
      </div>
      {problem ? <ErrorMessage error={{ code: 'BAD_INPUT', message: problem }} onDismiss={() => setProblem(null)} /> : null}
      {exporting ? <ExportDialog request={exporting} onClose={() => setExporting(null)} /> : null}
      {saving ? <SaveQueryDialog initialName={tab.title} text={() => editor.current?.text() ?? ''} onClose={() => setSaving(false)} /> : null}
      <QueryEditor
        tabId={tab.id}
        language={engine === 'postgres' ? 'pgsql' : 'mysql'}
        completion={completion}
        actions={actions}
        current={state.current}
        error={state.error}
        running={state.running}
        onReady={onReady}
      />
      <div className="query-tab__results">
        <div className="query-tab__result-tabs" role="tablist" aria-label="Results">
          {state.results.map((result, i) => (
            <button
              key={result.resultId}
              type="button"
              role="tab"
              aria-selected={state.shown === i}
              className={`view-switch__tab${state.shown === i ? ' is-active' : ''}`}
              onClick={() => showResult(tab.id, i)}
            >
              {result.title}
            </button>
          ))}
          <button
            type="button"
            role="tab"
            aria-selected={state.shown === 'messages'}
            className={`view-switch__tab${state.shown === 'messages' ? ' is-active' : ''}`}
            onClick={() => showResult(tab.id, 'messages')}
          >
            Messages{state.messages.some((m) => m.kind === 'error') ? ' (error)' : ''}
          </button>
        </div>
        {shownResult ? (
          <ResultView
            key={shownResult.resultId}
            result={shownResult}
            connectionId={connectionId}
            engine={engine}
            onStop={() => void stopResult(tab.id, shownResult.resultId)}
            onRead={onRead}
            onExport={() =>
              connection &&
              setExporting({ connectionId: connection.info.connectionId, ...(tab.database ? { database: tab.database } : {}), sql: shownResult.statement, name: `${tab.title} ${shownResult.title}` })
            }
          />
        ) : (
          <ol className="query-tab__messages" aria-label="Messages">
            {state.messages.map((m, i) => (
              <li key={i} className={`message message--${m.kind}`}>
                {m.text}
              </li>
            ))}
            {state.messages.length === 0 ? <li className="message message--empty">Run a statement: Ctrl+Enter runs the one under the cursor, Ctrl+Shift+Enter the script.</li> : null}
          </ol>
        )}
      </div>
    </div>
  );
}
