import { randomUUID } from 'node:crypto';

import { CabinetError } from '../../../shared/errors.ts';
import type { ResultOrigin, ResultWindow, ServerMessageData, SessionInfo, SessionProgress, StatementOutcome, TransactionState } from '../../../shared/sessions.ts';
import { connect, type Endpoint } from '../connections/connector.ts';
import type { DbSession, StatementCursor } from '../drivers/driver.ts';
import { loadDriver } from '../drivers/registry.ts';
import type { CallContext } from '../router.ts';
import type { HistoryStore } from '../history/history-store.ts';
import { findResultOrigin, limitCatalogSession, readOnlyOrigin, type TableCache } from './result-origin.ts';
import { ResultSpool } from './result-spool.ts';

const DEFAULT_FIRST_ROWS = 500;
/** How long cancel keeps asking while the statement has not ended. */
const CANCEL_RETRY_MS = 3000;
const LOST_MESSAGE = 'The connection of this tab was lost; the server rolled back any transaction it had open. Run again to reconnect.';
/** Rows read from the server per round trip while filling a result. */
const READ_BATCH = 1000;
/** How often a result being read in the background reports its row count. */
const PROGRESS_EVERY_MS = 250;
/** How long a read of rows not yet spooled waits for a background read to reach them. */
const BACKGROUND_WAIT_MS = 2000;

export interface SessionRegistryDeps {
  /** The endpoint of an open connection, on another database when one is named. */
  endpointFor(connectionId: string, database?: string): Endpoint;
  /** False for the embedded demo: one backend, no second process to cancel from. */
  canCancel(connectionId: string): boolean;
  progress(clientId: string, progress: SessionProgress): void;
  /** Keeps each statement run, with its connection, time, duration, rows or error. */
  history: HistoryStore;
  /** The profile and name of an open connection, for the history. */
  describe(connectionId: string): { profileId: string; name: string };
}

interface QuerySession {
  info: SessionInfo;
  clientId: string;
  endpoint: Endpoint;
  /** Null after the server connection was lost: the next statement reconnects. */
  session: Promise<DbSession> | null;
  lostMessage?: string;
  /** True while a statement runs (execute has not answered yet, or its rows are being fetched). */
  running: boolean;
  /** The result whose server cursor is still open (at most one per session). */
  reading?: OpenResult;
  results: Set<string>;
  /** A second connection for the catalog (where a result's rows come from), opened when first needed. */
  catalog?: Promise<DbSession>;
  tables: TableCache;
}

interface OpenResult {
  id: string;
  owner: QuerySession;
  spool: ResultSpool;
  cursor: StatementCursor | null;
  complete: boolean;
  stopped?: string;
  /** A background fill in progress (MySQL, the demo): rows arrive without being asked for. */
  filling: Promise<void> | null;
  /** Serialises reads from the cursor. */
  reads: Promise<unknown>;
}

/**
 * Sessions that belong to one client (a window, or a browser tab): a query tab's own connection. Only the
 * client that opened a session may use it; when the client goes away, or its connection is closed, the
 * session closes, and the server rolls back any transaction it left open.
 *
 * Results never sit whole in memory: rows go to a spool file on disk and are read back by index. PostgreSQL
 * reads through a server-side cursor as the grid asks for rows; MySQL (no cursor for plain queries, and a
 * paused stream is dropped after net_write_timeout) and the embedded demo (a cursor there holds the single
 * backend) are read to the end in the background, with progress events and a Stop.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, QuerySession>();
  private readonly results = new Map<string, OpenResult>();

  constructor(private readonly deps: SessionRegistryDeps) {}

  async open(context: CallContext, connectionId: string, database?: string): Promise<SessionInfo> {
    const endpoint = this.deps.endpointFor(connectionId, database);
    const owned: QuerySession = {
      info: {
        sessionId: randomUUID(),
        connectionId,
        database: endpoint.params.database,
        engine: endpoint.params.engine,
        canCancel: this.deps.canCancel(connectionId),
      },
      clientId: context.clientId,
      endpoint,
      session: null,
      running: false,
      results: new Set(),
      tables: new Map(),
    };
    await this.connected(owned);
    // The caller may have gone while the session opened: then nobody can close it but us.
    if (context.signal.aborted) {
      await owned.session?.then((s) => s.close());
      throw new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that asked for this session has closed.' });
    }
    this.sessions.set(owned.info.sessionId, owned);
    return owned.info;
  }

  async execute(context: CallContext, sessionId: string, sql: string, firstRows = DEFAULT_FIRST_ROWS): Promise<StatementOutcome> {
    const owned = this.owned(context, sessionId);
    const at = new Date().toISOString();
    const started = performance.now();
    const remember = (rows: number | null | undefined, error?: string) => {
      let connection: { profileId: string; name: string };
      try {
        connection = this.deps.describe(owned.info.connectionId);
      } catch {
        return;
      }
      void this.deps.history
        .record({ at, profileId: connection.profileId, connectionName: connection.name, database: owned.info.database, sql, durationMs: Math.round(performance.now() - started), rows, ...(error ? { error } : {}) })
        .catch(() => undefined);
    };
    try {
      const outcome = await this.run(owned, sql, firstRows);
      remember(outcome.kind === 'rows' ? outcome.rowCount : outcome.rowsAffected);
      return outcome;
    } catch (error) {
      remember(null, error instanceof Error ? error.message : String(error));
      // The person has been told the connection went: the next statement reconnects without saying it again.
      if (error instanceof CabinetError && error.code === 'CONNECTION_LOST') {
        delete owned.lostMessage;
        owned.session = null;
        owned.running = false;
        throw new CabinetError({ code: 'CONNECTION_LOST', message: LOST_MESSAGE, ...(error.detail ? { detail: error.detail } : {}) });
      }
      throw error;
    }
  }

  private async run(owned: QuerySession, sql: string, firstRows: number): Promise<StatementOutcome> {
    // A previous result still being read in the background (MySQL, the demo) is stopped, keeping its rows, as a
    // new statement would close a cursor; a statement still executing is another matter.
    const backgroundOnly = owned.running && owned.reading?.filling;
    if (owned.running && !backgroundOnly) {
      throw new CabinetError({ code: 'BAD_INPUT', message: 'A statement is still running in this tab: wait for it, or cancel it.' });
    }
    if (backgroundOnly && owned.reading) await this.stopReading(owned.reading, 'Stopped: a later statement ran in this tab.');
    if (owned.lostMessage) {
      const message = owned.lostMessage;
      delete owned.lostMessage;
      throw new CabinetError({ code: 'CONNECTION_LOST', message });
    }
    owned.running = true;
    try {
      // The next statement closes the previous result's cursor (its rows read so far stay readable).
      if (owned.reading) await this.stopReading(owned.reading, 'A later statement ran in this tab.');
      const session = await this.connected(owned);
      const messages: ServerMessageData[] = [];
      const stopListening = session.onMessage((m) => messages.push(m));
      const transactionBefore = session.transactionState();
      const started = performance.now();
      try {
        const cursor = await session.openStatement(sql);
        if (cursor.columns.length === 0) {
          await cursor.close();
          // A command may have changed a table's columns or keys.
          owned.tables.clear();
          return {
            kind: 'command',
            columns: [],
            rows: [],
            rowCount: 0,
            complete: true,
            command: cursor.command,
            rowsAffected: cursor.rowsAffected,
            elapsedMs: Math.round(performance.now() - started),
            messages,
            transaction: session.transactionState(),
          };
        }
        const result: OpenResult = { id: randomUUID(), owner: owned, spool: new ResultSpool(), cursor, complete: false, filling: null, reads: Promise.resolve() };
        this.results.set(result.id, result);
        owned.results.add(result.id);
        owned.reading = result;
        // Where the rows come from is read on a second connection while the first rows are (except on the demo's one backend).
        const early = owned.info.canCancel ? this.origin(owned, sql, cursor, transactionBefore) : null;
        await this.fill(result, firstRows);
        const rows = await result.spool.read(0, firstRows);
        const origin = await (early ??
          (result.complete ? this.origin(owned, sql, cursor, transactionBefore) : readOnlyOrigin('on the demo database, only a result read to its end can be edited')));
        const outcome: StatementOutcome = {
          kind: 'rows',
          resultId: result.id,
          columns: cursor.columns,
          origin,
          rows,
          rowCount: result.spool.rowCount,
          complete: result.complete,
          command: cursor.command,
          elapsedMs: Math.round(performance.now() - started),
          messages,
          transaction: result.complete ? session.transactionState() : 'open',
        };
        if (!result.complete && this.readsInBackground(owned)) this.fillInBackground(result);
        return outcome;
      } finally {
        stopListening();
      }
    } finally {
      owned.running = owned.reading?.filling !== null && owned.reading?.filling !== undefined;
    }
  }

  async rows(context: CallContext, resultId: string, start: number, count: number): Promise<ResultWindow> {
    const result = this.result(context, resultId);
    if (!result.complete && !result.filling && result.cursor && start + count > result.spool.rowCount) {
      await this.fill(result, start + count);
    }
    // Rows that a background read has not reached yet: wait a little for them (the grid asks again on progress).
    const deadline = performance.now() + BACKGROUND_WAIT_MS;
    while (result.filling && result.spool.rowCount < start + count && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { rows: await result.spool.read(start, count), rowCount: result.spool.rowCount, complete: result.complete };
  }

  async stop(context: CallContext, resultId: string): Promise<ResultWindow> {
    const result = this.result(context, resultId);
    await this.stopReading(result, 'Stopped: the rows read so far are kept.');
    return { rows: [], rowCount: result.spool.rowCount, complete: result.complete };
  }

  /**
   * Cancels what the session runs, from a second connection (pg_cancel_backend, KILL QUERY). A result still
   * being read is stopped; a suspended PostgreSQL cursor is closed. Races (the statement just ended, the thread
   * is gone) answer quietly.
   */
  async cancel(context: CallContext, sessionId: string): Promise<{ cancelled: boolean; message: string }> {
    const owned = this.owned(context, sessionId);
    if (!owned.info.canCancel) {
      return { cancelled: false, message: 'The demo database runs in this process and cannot cancel a running statement: it runs to its end.' };
    }
    const reading = owned.reading;
    if (!owned.running && reading && !reading.filling) {
      await this.stopReading(reading, 'Cancelled: the cursor was closed.');
      return { cancelled: true, message: 'The open cursor was closed.' };
    }
    if (!owned.running) return { cancelled: false, message: 'Nothing was running.' };
    const target = await owned.session;
    if (!target) return { cancelled: false, message: 'Nothing was running.' };
    const driver = await loadDriver(owned.info.engine);
    const via = await connect(owned.endpoint, { applicationName: 'Cabinet (cancel)' });
    try {
      // A cancel that reaches the server before the statement does cancels nothing (the statement was still on
      // its way): ask again until the statement has ended, for a few seconds at most.
      const deadline = performance.now() + CANCEL_RETRY_MS;
      let asked = false;
      while (owned.running && performance.now() < deadline) {
        asked = (await driver.cancel(via, target)) || asked;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (!asked) return { cancelled: false, message: 'The statement had already finished.' };
      return owned.running ? { cancelled: false, message: 'The server was asked to cancel, but the statement still runs.' } : { cancelled: true, message: 'Cancelled.' };
    } finally {
      await via.close();
    }
  }

  status(context: CallContext, sessionId: string): Promise<{ transaction: StatementOutcome['transaction']; running: boolean }> {
    const owned = this.owned(context, sessionId);
    return (owned.session ?? Promise.resolve(null)).then((s) => ({
      transaction: owned.reading && !owned.reading.complete ? 'open' : (s?.transactionState() ?? 'idle'),
      running: owned.running,
    }));
  }

  async closeResult(context: CallContext, resultId: string): Promise<void> {
    const result = this.result(context, resultId);
    await this.dropResult(result);
  }

  async close(context: CallContext, sessionId: string, finish?: 'commit' | 'rollback'): Promise<void> {
    const owned = this.owned(context, sessionId);
    if (finish && !owned.running) {
      const session = await owned.session?.catch(() => null);
      if (session && session.transactionState() !== 'idle') await session.query(finish === 'commit' ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
    }
    await this.drop([owned]);
  }

  /** A client went away: its sessions close. */
  closeClient(clientId: string): Promise<void> {
    return this.drop([...this.sessions.values()].filter((s) => s.clientId === clientId));
  }

  /** A connection was closed: the sessions opened on it close too. */
  closeConnection(connectionId: string): Promise<void> {
    return this.drop([...this.sessions.values()].filter((s) => s.info.connectionId === connectionId));
  }

  closeAll(): Promise<void> {
    return this.drop([...this.sessions.values()]);
  }

  /** Whether a result's rows can be edited, and as which table's (see result-origin.ts). */
  private async origin(owned: QuerySession, sql: string, cursor: StatementCursor, transaction: TransactionState): Promise<ResultOrigin> {
    if (owned.endpoint.readOnly) return readOnlyOrigin('the connection is read-only');
    // Edits are applied on a connection of their own, which would wait for this tab's locks.
    if (transaction !== 'idle') return readOnlyOrigin("this tab's transaction is open: commit or roll back, then run the query again to edit its rows");
    if (!cursor.sources.some((s) => s !== null)) return readOnlyOrigin('no column of the result is a column of a table');
    try {
      if (!owned.catalog) {
        const opening = connect(owned.endpoint, { applicationName: 'Cabinet (query catalog)' }).then(async (session) => {
          // A lost catalog connection is opened again when next needed.
          session.onLost(() => {
            if (owned.catalog === opening) delete owned.catalog;
          });
          // The demo's one backend shares its settings with every connection: the tab's statements would get the limits too.
          if (owned.info.canCancel) await limitCatalogSession(session);
          return session;
        });
        owned.catalog = opening;
      }
      return await findResultOrigin(await owned.catalog, sql, cursor.columns, cursor.sources, owned.tables);
    } catch (error) {
      delete owned.catalog;
      return readOnlyOrigin(`where the rows come from could not be told (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private readsInBackground(owned: QuerySession): boolean {
    return owned.info.engine === 'mysql' || !owned.info.canCancel;
  }

  /** Reads from the cursor until the spool holds `upTo` rows or the rows end. */
  private fill(result: OpenResult, upTo: number): Promise<void> {
    const run = result.reads.then(async () => {
      while (result.cursor && !result.complete && result.spool.rowCount < upTo) {
        const rows = await result.cursor.read(READ_BATCH);
        await result.spool.append(rows);
        if (result.cursor.done) await this.finishReading(result);
      }
    });
    result.reads = run.catch(() => undefined);
    return run.catch(async (error: unknown) => {
      await this.finishReading(result, error instanceof Error ? error.message : String(error));
      throw error;
    });
  }

  private fillInBackground(result: OpenResult): void {
    const { owner } = result;
    owner.running = true;
    let lastReport = 0;
    const report = (force = false) => {
      const now = performance.now();
      if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      const progress: SessionProgress = { sessionId: owner.info.sessionId, resultId: result.id, rowCount: result.spool.rowCount, complete: result.complete };
      if (result.stopped) progress.stopped = result.stopped;
      this.deps.progress(owner.clientId, progress);
    };
    result.filling = (async () => {
      try {
        while (result.cursor && !result.complete) {
          await this.fill(result, result.spool.rowCount + READ_BATCH);
          report();
        }
      } catch {
        // finishReading recorded why; the rows read so far stay.
      } finally {
        result.filling = null;
        owner.running = false;
        report(true);
      }
    })();
  }

  private async finishReading(result: OpenResult, stopped?: string): Promise<void> {
    const cursor = result.cursor;
    result.cursor = null;
    if (stopped) result.stopped = stopped;
    else result.complete = true;
    if (result.owner.reading === result) delete result.owner.reading;
    await cursor?.close().catch(() => undefined);
    if (result.owner.info.engine === 'mysql') {
      const session = await result.owner.session?.catch(() => null);
      await (session as { collectWarnings?: () => Promise<void> } | null)?.collectWarnings?.();
    }
  }

  /** Stops a result that is still being read: MySQL is told to stop sending (KILL QUERY), a cursor is closed. */
  private async stopReading(result: OpenResult, why: string): Promise<void> {
    if (result.complete || !result.cursor) return;
    if (result.filling && result.owner.info.canCancel) {
      const target = await result.owner.session?.catch(() => null);
      if (target) {
        const driver = await loadDriver(result.owner.info.engine);
        const via = await connect(result.owner.endpoint, { applicationName: 'Cabinet (cancel)' }).catch(() => null);
        if (via) await driver.cancel(via, target).catch(() => false).finally(() => void via.close());
      }
      await result.filling;
    }
    await result.reads;
    if (!result.complete) await this.finishReading(result, why);
  }

  private async dropResult(result: OpenResult): Promise<void> {
    this.results.delete(result.id);
    result.owner.results.delete(result.id);
    await this.stopReading(result, 'The result was closed.').catch(() => undefined);
    await result.spool.close();
  }

  private owned(context: CallContext, sessionId: string): QuerySession {
    const owned = this.sessions.get(sessionId);
    // Another client's session is answered exactly like one that does not exist.
    if (!owned || owned.clientId !== context.clientId) {
      throw new CabinetError({ code: 'NOT_FOUND', message: 'That session is closed; open a new one.' });
    }
    return owned;
  }

  private result(context: CallContext, resultId: string): OpenResult {
    const result = this.results.get(resultId);
    if (!result || result.owner.clientId !== context.clientId) {
      throw new CabinetError({ code: 'NOT_FOUND', message: 'That result is closed; run the statement again.' });
    }
    return result;
  }

  private connected(owned: QuerySession): Promise<DbSession> {
    if (owned.session) return owned.session;
    const opening = connect(owned.endpoint, { applicationName: 'Cabinet (query)' });
    owned.session = opening;
    opening.then(
      (session) =>
        session.onLost(() => {
          // A statement that failed on the loss already told the person, and let go of this session.
          if (owned.session !== opening) return;
          owned.session = null;
          owned.running = false;
          owned.lostMessage = LOST_MESSAGE;
        }),
      () => (owned.session = null),
    );
    return opening;
  }

  private async drop(list: QuerySession[]): Promise<void> {
    for (const owned of list) this.sessions.delete(owned.info.sessionId);
    await Promise.all(
      list.map(async (owned) => {
        const results = [...owned.results].map((id) => this.results.get(id)).filter((r): r is OpenResult => r !== undefined);
        // Closing the connection ends any statement and rolls back an open transaction on the server.
        await owned.session?.then((s) => s.close()).catch(() => undefined);
        await owned.catalog?.then((s) => s.close()).catch(() => undefined);
        await Promise.all(results.map((r) => this.dropResult(r)));
      }),
    );
  }
}

