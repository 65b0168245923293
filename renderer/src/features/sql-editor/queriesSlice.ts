import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { ResultOrigin, SessionProgress, StatementOutcome, TransactionState } from '../../../../shared/sessions.ts';
import type { ColumnInfo } from '../../../../shared/values.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import type { SliceCreator } from '../../store/types.ts';
import { pendingCount, usePendingStore } from '../row-editing/pendingStore.ts';

/** One statement of a run, as the editor found it: its text and where it is in the editor. */
export interface RunStatement {
  sql: string;
  /** Offsets in the editor's text. */
  start: number;
  end: number;
}

export interface ResultEntry {
  resultId: string;
  title: string;
  columns: ColumnInfo[];
  /** Whether its rows can be edited, as which table's; or why not. */
  origin?: ResultOrigin;
  rowCount: number;
  complete: boolean;
  stopped?: string;
  statement: string;
  elapsedMs: number;
}

export interface MessageEntry {
  kind: 'info' | 'notice' | 'warning' | 'error';
  text: string;
}

/** An error placed in the editor: the offset the server (or the splitter) pointed at. */
export interface EditorError {
  message: string;
  start: number;
  end: number;
}

export interface QueryState {
  sessionId?: string;
  /** The connection the session was opened on: a reconnect makes a new one. */
  connectionId?: string;
  canCancel: boolean;
  transaction: TransactionState;
  running: boolean;
  /** The statement being run, highlighted in the editor. */
  current?: RunStatement;
  results: ResultEntry[];
  messages: MessageEntry[];
  /** Which result tab shows: an index into results, or the messages. */
  shown: number | 'messages';
  error?: EditorError;
}

const EMPTY: QueryState = { canCancel: true, transaction: 'idle', running: false, results: [], messages: [], shown: 'messages' };

export interface QueriesSlice {
  queries: Record<string, QueryState>;
  /** A query tab waiting for the person to say what happens to its open transaction before it closes. */
  closingQuery: string | null;
  /** Runs statements one after another on the tab's own session; stops at the first error unless told to go on. */
  runStatements(tabId: string, statements: RunStatement[], goOnAfterErrors: boolean): Promise<void>;
  cancelQuery(tabId: string): Promise<void>;
  stopResult(tabId: string, resultId: string): Promise<void>;
  showResult(tabId: string, shown: number | 'messages'): void;
  resultProgress(progress: SessionProgress): void;
  /** What a read of rows learnt: a PostgreSQL cursor grows its result as the grid scrolls. */
  resultRead(tabId: string, resultId: string, rowCount: number, complete: boolean): void;
  /** Closes the tab's session (ending an open transaction as told) and the tab. */
  finishQueryTab(tabId: string, finish?: 'commit' | 'rollback'): Promise<void>;
  cancelClosingQuery(): void;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function describeOutcome(outcome: StatementOutcome): string {
  const time = `${outcome.elapsedMs} ms`;
  if (outcome.kind === 'rows') return `${plural(outcome.rowCount, 'row')}${outcome.complete ? '' : ' so far'} (${time})`;
  const affected = outcome.rowsAffected ?? null;
  return `${outcome.command ?? 'OK'}${affected !== null ? `: ${plural(affected, 'row')} affected` : ''} (${time})`;
}

/** Where the server placed an error in the statement (PostgreSQL: a 1-based character position). */
function errorPlace(statement: RunStatement, error: CabinetErrorData): EditorError {
  if (error.position !== undefined && error.position > 0) {
    const start = Math.min(statement.end, statement.start + error.position - 1);
    return { message: error.message, start, end: Math.min(statement.end, start + 1) };
  }
  // MySQL names a line: "... near 'x' at line 2".
  const line = /at line (\d+)/.exec(error.message)?.[1];
  if (line) {
    const lines = statement.sql.split('\n');
    const index = Math.min(lines.length, Number(line)) - 1;
    const before = lines.slice(0, index).reduce((n, l) => n + l.length + 1, 0);
    return { message: error.message, start: statement.start + before, end: statement.start + before + (lines[index]?.length ?? 1) };
  }
  return { message: error.message, start: statement.start, end: statement.end };
}

export const createQueriesSlice: SliceCreator<QueriesSlice> = (set, get) => {
  const update = (tabId: string, change: (q: QueryState) => Partial<QueryState>) =>
    set((s) => {
      const before = s.queries[tabId] ?? EMPTY;
      return { queries: { ...s.queries, [tabId]: { ...before, ...change(before) } } };
    });
  const message = (tabId: string, entry: MessageEntry) => update(tabId, (q) => ({ messages: [...q.messages, entry] }));

  /** The tab's session, opened on first use and again after its connection was reopened. */
  const session = async (tabId: string): Promise<string> => {
    const tab = get().tabs.find((t) => t.id === tabId);
    if (!tab || tab.kind !== 'query') throw new Error('This query tab is closed.');
    const connection = get().connections[tab.profileId];
    if (!connection) throw new Error(`Connect to ${get().profiles.find((p) => p.id === tab.profileId)?.name ?? 'the connection'} first.`);
    const state = get().queries[tabId];
    if (state?.sessionId && state.connectionId === connection.info.connectionId) return state.sessionId;
    const opened = await call('sessions/open', { connectionId: connection.info.connectionId, ...(tab.database ? { database: tab.database } : {}) });
    update(tabId, () => ({ sessionId: opened.sessionId, connectionId: connection.info.connectionId, canCancel: opened.canCancel }));
    return opened.sessionId;
  };

  return {
    queries: {},
    closingQuery: null,

    async runStatements(tabId, statements, goOnAfterErrors) {
      if (get().queries[tabId]?.running || statements.length === 0) return;
      const previous = get().queries[tabId]?.results ?? [];
      const pending = previous.reduce((n, old) => n + pendingCount(usePendingStore.getState().tabs[old.resultId]), 0);
      if (pending > 0 && !window.confirm(`The results have ${pending} pending change${pending === 1 ? '' : 's'} not applied. Run anyway and discard them?`)) return;
      // Results of the previous run close: their cursors and spool files go, and their edits not applied.
      for (const old of previous) {
        usePendingStore.getState().discard(old.resultId);
        void call('sessions/close-result', { resultId: old.resultId }).catch(() => undefined);
      }
      update(tabId, () => ({ running: true, results: [], messages: [], shown: 'messages', error: undefined }));
      let sessionId: string;
      try {
        sessionId = await session(tabId);
      } catch (error) {
        update(tabId, () => ({ running: false }));
        message(tabId, { kind: 'error', text: toErrorData(error).message });
        return;
      }
      let failed = false;
      for (const [index, statement] of statements.entries()) {
        update(tabId, () => ({ current: statement }));
        const label = statements.length > 1 ? `Statement ${index + 1}: ` : '';
        try {
          const outcome = await call('sessions/execute', { sessionId, sql: statement.sql });
          for (const m of outcome.messages) message(tabId, { kind: m.severity.toUpperCase() === 'WARNING' ? 'warning' : 'notice', text: `${m.severity}: ${m.message}` });
          message(tabId, { kind: 'info', text: `${label}${describeOutcome(outcome)}` });
          if (outcome.kind === 'rows' && outcome.resultId) {
            const entry: ResultEntry = {
              resultId: outcome.resultId,
              title: `Result ${get().queries[tabId]!.results.length + 1}`,
              columns: outcome.columns,
              ...(outcome.origin ? { origin: outcome.origin } : {}),
              rowCount: outcome.rowCount,
              complete: outcome.complete,
              statement: statement.sql,
              elapsedMs: outcome.elapsedMs,
            };
            update(tabId, (q) => ({ results: [...q.results, entry], shown: q.results.length }));
          }
          update(tabId, () => ({ transaction: outcome.transaction }));
        } catch (error) {
          const data = toErrorData(error);
          failed = true;
          const code = data.sqlState ? ` (SQLSTATE ${data.sqlState})` : '';
          message(tabId, { kind: 'error', text: `${label}${data.message}${code}${data.detail ? `\n${data.detail}` : ''}` });
          update(tabId, () => ({ error: errorPlace(statement, data), shown: 'messages' }));
          if (!goOnAfterErrors) break;
        }
      }
      const status = await call('sessions/status', { sessionId }).catch(() => null);
      update(tabId, () => ({ running: false, current: undefined, ...(status ? { transaction: status.transaction } : {}) }));
      if (failed && !goOnAfterErrors && statements.length > 1) message(tabId, { kind: 'info', text: 'The rest of the script was not run.' });
    },

    async cancelQuery(tabId) {
      const state = get().queries[tabId];
      if (!state?.sessionId) return;
      const answer = await call('sessions/cancel', { sessionId: state.sessionId }).catch((error: unknown) => ({ cancelled: false, message: toErrorData(error).message }));
      message(tabId, { kind: 'info', text: answer.message });
    },

    async stopResult(tabId, resultId) {
      const window = await call('sessions/stop', { resultId }).catch(() => null);
      if (window) {
        update(tabId, (q) => ({ results: q.results.map((r) => (r.resultId === resultId ? { ...r, rowCount: window.rowCount, complete: window.complete, stopped: 'Stopped.' } : r)) }));
      }
    },

    showResult(tabId, shown) {
      update(tabId, () => ({ shown }));
    },

    resultProgress(progress) {
      const tabId = Object.keys(get().queries).find((id) => get().queries[id]!.sessionId === progress.sessionId);
      if (!tabId) return;
      update(tabId, (q) => ({
        results: q.results.map((r) =>
          r.resultId === progress.resultId ? { ...r, rowCount: progress.rowCount, complete: progress.complete, ...(progress.stopped ? { stopped: progress.stopped } : {}) } : r,
        ),
      }));
    },

    resultRead(tabId, resultId, rowCount, complete) {
      const result = get().queries[tabId]?.results.find((r) => r.resultId === resultId);
      if (!result || (result.rowCount === rowCount && result.complete === complete)) return;
      update(tabId, (q) => ({ results: q.results.map((r) => (r.resultId === resultId ? { ...r, rowCount, complete } : r)) }));
    },

    async finishQueryTab(tabId, finish) {
      const state = get().queries[tabId];
      set({ closingQuery: null });
      for (const result of state?.results ?? []) usePendingStore.getState().discard(result.resultId);
      if (state?.sessionId) await call('sessions/close', { sessionId: state.sessionId, ...(finish ? { finish } : {}) }).catch(() => undefined);
      void call('drafts/delete', { id: tabId }).catch(() => undefined);
      set((s) => {
        const queries = { ...s.queries };
        delete queries[tabId];
        return { queries };
      });
      get().removeTab(tabId);
    },

    cancelClosingQuery() {
      set({ closingQuery: null });
    },
  };
};
