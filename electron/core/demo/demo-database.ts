/**
 * The embedded demo database: PGlite (PostgreSQL compiled to WebAssembly) kept in
 * `${dataDir}/demo-pgdata`, seeded with Chinook on first run, served on 127.0.0.1 so
 * that the app (and psql, or a second window) reach it through the ordinary `pg` driver.
 *
 * ## What PGlite and @electric-sql/pglite-socket 0.2.17 do with several connections
 *
 * PGlite is ONE PostgreSQL backend in single-user mode: one session, one transaction
 * state, one set of prepared statements and `SET`s. pglite-socket's `PGLiteSocketServer`
 * accepts `maxConnections` clients (default 1; with the default a second client gets the
 * raw text "Too many connections" and a closed socket) and multiplexes them onto that one
 * backend with a queue of protocol *messages* (`QueryQueueManager`). Measured here:
 *
 * - Connection A runs `BEGIN` and holds the transaction open; connection B sends a query:
 *   B WAITS. No error, no interleaving into A's transaction. B's message sits in the queue
 *   until A's transaction ends (COMMIT, ROLLBACK, or A disconnecting, which rolls back),
 *   then it runs. There is no timeout: an idle-in-transaction A blocks B forever.
 *   A NEW connection C waits too: even its startup message is queued, so `connect()` hangs.
 *   A transaction in the failed state (an error after BEGIN) blocks the same way.
 * - A disconnecting with a transaction open (clean `end()` or a dropped socket) releases
 *   the backend: the server rolls back and the waiting queries run.
 * - The upstream queue decides "transaction open" with `db.isInTransaction()`, which is
 *   PostgreSQL's IsTransactionBlock(): true only after an explicit BEGIN. Outside BEGIN it
 *   interleaves connections message by message. For extended-protocol batches that end in
 *   a Sync (what pg sends for a parameterised query) this happens to work, but a portal
 *   left open without a Sync (pg-cursor: Parse/Bind/Execute(n)/Flush, more Executes later)
 *   is destroyed by another connection's query, and the queue then believes that other
 *   connection owns a transaction: the cursor's next read hangs FOREVER (measured).
 * - Cancel requests are read and dropped (PGlite has no second process to signal), so
 *   `pg_cancel_backend` and the protocol cancel do nothing; a running query runs to its end.
 * - Session state is shared by all connections: `SET search_path` on one is seen by all.
 *
 * ## What this module does about it
 *
 * It keeps pglite-socket's per-connection protocol handler (`PGLiteSocketHandler`: message
 * framing, SSL refusal, cancel requests) but replaces the server and the queue with its own
 * (`BackendQueue` below), whose rule is the protocol's own: the connection whose message ran
 * last OWNS the backend until PGlite answers it with ReadyForQuery status `I` (idle, no
 * transaction). Status `T`/`E` (transaction open / failed) or no ReadyForQuery yet (an
 * extended-protocol batch or a cursor in progress) keeps the backend with its owner, and
 * other connections' messages wait, in arrival order. So nothing interleaves into another
 * connection's transaction or cursor, and waiting is always visible:
 *
 * - `onBusy(true, message, detail)` fires when some connection's message has waited more
 *   than `busyAfterMs` (1 s) behind another connection's open transaction or unfinished
 *   query; `onBusy(false, …)` fires once nothing waits any more. Checked by a 250 ms timer
 *   (unref'd) over the queue, which this module owns, so it is exact, not a guess by timing.
 * - `releaseBlocker()` disconnects the owning connection (its transaction rolls back), for a
 *   "roll back the other connection's transaction" action.
 * - A connection that goes away while it owns the backend: its queued messages are dropped,
 *   an unfinished extended-protocol batch is ended with a Sync, an open transaction is rolled
 *   back, and the next waiting connection runs.
 * - Terminate ('X') is not passed to PGlite (it is the client leaving, handled as above).
 * - Over `maxConnections` (8), a client gets a real ErrorResponse (SQLSTATE 53300).
 *
 * The app's own demo connection (one pg connection, serialized) therefore never deadlocks
 * against itself; it can only wait behind ANOTHER client, and then onBusy says so.
 * A killed app cannot leave the demo wedged: a new process opens a new PGlite, PostgreSQL's
 * WAL recovery drops the uncommitted transaction, and a stale lock file of a dead process
 * is taken over.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

export interface DemoDatabase {
  host: '127.0.0.1';
  port: number;
  /** `postgres`, no password. */
  user: string;
  /** `postgres`: PGlite has one database; Chinook's tables are in its `public` schema. */
  database: string;
  /** True when this start created and seeded the data directory. */
  seededNow: boolean;
  /** Time from the call to listening, in ms. */
  startMs: number;
  /** Connections, waiting messages, and who holds the backend, right now. */
  status(): DemoStatus;
  /**
   * Disconnect the connection that holds the backend (its open transaction rolls back) so
   * the waiting ones run. Resolves false when nothing held it.
   */
  releaseBlocker(): Promise<boolean>;
  /** Closes the server, rolls back open transactions, closes PGlite. Idempotent. */
  stop(): Promise<void>;
}

export type DemoBlockReason = 'transaction' | 'failed-transaction' | 'unfinished-query';

export interface DemoStatus {
  connections: number;
  /** Messages queued from connections other than the holder. */
  waiting: number;
  /** The connection that holds the backend, or null when it is free. */
  holder: { remotePort: number; reason: DemoBlockReason } | null;
}

export interface DemoBusyDetail {
  reason: DemoBlockReason | null;
  /** Client-side port of the holding connection (compare with your pg socket's localPort). */
  holderPort: number | null;
  /** Client-side ports of the connections that wait. */
  waitingPorts: number[];
  /** How long the oldest waiting message has waited, ms. */
  waitedMs: number;
}

export interface StartDemoOptions {
  /** The app's data folder: the demo lives in `${dataDir}/demo-pgdata`. */
  dataDir: string;
  /** Port on 127.0.0.1; a free one when omitted or 0. */
  port?: number;
  log?: (line: string) => void;
  /**
   * Fires busy=true when a connection's query has waited longer than `busyAfterMs` because
   * another connection holds the backend (open transaction or unfinished query), and
   * busy=false when nothing waits any more. Also fires again (busy=true) when the reason changes.
   */
  onBusy?: (busy: boolean, message: string, detail: DemoBusyDetail) => void;
  /** Default 1000. */
  busyAfterMs?: number;
  /** Default 8. */
  maxConnections?: number;
  /** The seed script; default `chinook.sql` next to this module (copy it next to a bundle). */
  seedSqlPath?: string;
}

export const DEMO_HOST = '127.0.0.1' as const;
export const DEMO_USER = 'postgres';
export const DEMO_DATABASE = 'postgres';
const PGDATA = 'demo-pgdata';
const MARKER = 'cabinet-demo-seeded.json';
const SEED_VERSION = 'chinook-1.4.5';

export function demoBusyMessage(reason: DemoBlockReason): string {
  switch (reason) {
    case 'transaction':
      return 'The demo database is waiting: another connection has an open transaction (COMMIT or ROLLBACK it to continue).';
    case 'failed-transaction':
      return 'The demo database is waiting: another connection has a failed transaction open (ROLLBACK it to continue).';
    case 'unfinished-query':
      return 'The demo database is waiting: another connection has an unfinished query or open cursor (finish or close it to continue).';
  }
}
export const DEMO_NOT_BUSY_MESSAGE = 'The demo database is no longer waiting.';

export async function startDemoDatabase(opts: StartDemoOptions): Promise<DemoDatabase> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const pgdata = join(opts.dataDir, PGDATA);
  await mkdir(opts.dataDir, { recursive: true });
  const releaseLock = await takeLock(join(opts.dataDir, `${PGDATA}.lock`));

  let db: PGlite | undefined;
  let server: Server | undefined;
  try {
    const opened = await openOrSeed(pgdata, opts.seedSqlPath, log);
    db = opened.db;
    const queue = new BackendQueue(db);
    const handlers = new Map<PGLiteSocketHandler, Socket>();
    const maxConnections = opts.maxConnections ?? 8;

    const sockets = new Set<Socket>();
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {}); // the handler reports and cleans up; never crash the app
      if (handlers.size >= maxConnections) {
        socket.end(errorResponse('53300', `sorry, too many clients already (the demo database allows ${maxConnections})`));
        setTimeout(() => socket.destroy(), 1000).unref();
        return;
      }
      const handler = new PGLiteSocketHandler({
        // Our queue has the three methods the handler calls (enqueue, clearQueueForHandler,
        // clearTransactionIfNeeded); the declared type is upstream's class with private fields.
        queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
        closeOnDetach: true,
      });
      handlers.set(handler, socket);
      queue.ports.set(handler.handlerId, socket.remotePort ?? 0);
      const forget = () => {
        handlers.delete(handler);
        queue.ports.delete(handler.handlerId);
      };
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      void handler.attach(socket).catch(() => {
        forget();
        socket.destroy();
      });
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(opts.port ?? 0, DEMO_HOST, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    srv.on('error', (err) => log(`demo: server error: ${err.message}`));
    const port = (srv.address() as AddressInfo).port;

    // Busy watcher: over our own queue, so "waiting" and "who holds it" are known exactly.
    const busyAfterMs = opts.busyAfterMs ?? 1000;
    let busyReason: DemoBlockReason | null = null;
    const watcher = setInterval(() => {
      const w = queue.waitInfo();
      const now = performance.now();
      const blocked = w.holder !== null && w.oldestWaitingAt !== null && now - w.oldestWaitingAt >= busyAfterMs;
      const detail: DemoBusyDetail = {
        reason: w.holder?.reason ?? null,
        holderPort: w.holder ? (queue.ports.get(w.holder.id) ?? null) : null,
        waitingPorts: w.waitingIds.map((id) => queue.ports.get(id) ?? 0),
        waitedMs: w.oldestWaitingAt === null ? 0 : Math.round(now - w.oldestWaitingAt),
      };
      if (blocked && w.holder && busyReason !== w.holder.reason) {
        busyReason = w.holder.reason;
        log(`demo: busy: ${w.holder.reason}, ${detail.waitingPorts.length} connection(s) waiting`);
        opts.onBusy?.(true, demoBusyMessage(busyReason), detail);
      } else if (busyReason !== null && w.oldestWaitingAt === null) {
        busyReason = null;
        log('demo: no longer busy');
        opts.onBusy?.(false, DEMO_NOT_BUSY_MESSAGE, detail);
      }
    }, 250);
    watcher.unref();

    const startMs = Math.round(performance.now() - t0);
    log(`demo: listening on ${DEMO_HOST}:${port} (${opened.seededNow ? 'seeded' : 'reused'}, ${startMs} ms)`);

    let stopping: Promise<void> | undefined;
    const pglite = db;
    return {
      host: DEMO_HOST,
      port,
      user: DEMO_USER,
      database: DEMO_DATABASE,
      seededNow: opened.seededNow,
      startMs,
      status: () => {
        const w = queue.waitInfo();
        return {
          connections: handlers.size,
          waiting: w.waitingIds.length,
          holder: w.holder ? { remotePort: queue.ports.get(w.holder.id) ?? 0, reason: w.holder.reason } : null,
        };
      },
      releaseBlocker: async () => {
        const holder = queue.holderId();
        if (holder === null) return false;
        for (const h of handlers.keys()) {
          if (h.handlerId === holder) {
            await h.detach(true); // drops its queue, ends its batch, rolls back, closes its socket
            handlers.delete(h);
            queue.ports.delete(h.handlerId);
            return true;
          }
        }
        return false;
      },
      stop: () =>
        (stopping ??= (async () => {
          clearInterval(watcher);
          const closed = new Promise<void>((resolve) => srv.close(() => resolve()));
          await Promise.all([...handlers.keys()].map((h) => h.detach(true).catch(() => h)));
          handlers.clear();
          for (const socket of sockets) socket.destroy();
          await closed;
          await queue.idle();
          await pglite.close();
          await releaseLock();
          log('demo: stopped');
        })()),
    };
  } catch (err) {
    server?.close();
    await db?.close().catch(() => {});
    await releaseLock();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// Data directory: open, or create and seed

async function openOrSeed(
  pgdata: string,
  seedSqlPath: string | undefined,
  log: (line: string) => void,
): Promise<{ db: PGlite; seededNow: boolean }> {
  const marker = join(pgdata, MARKER);
  if (existsSync(marker)) {
    try {
      return { db: await PGlite.create({ dataDir: pgdata }), seededNow: false };
    } catch (err) {
      // E.g. a data directory from an incompatible PGlite version: keep it aside, start fresh.
      const aside = `${pgdata}.unreadable-${Date.now()}`;
      log(`demo: cannot open ${pgdata} (${(err as Error).message}); moved to ${aside}, reseeding`);
      await rename(pgdata, aside);
    }
  } else if (existsSync(pgdata)) {
    log('demo: data directory has no seed marker (interrupted first run?): recreating it');
  }
  // Not seeded (first run, or a first run that died before the marker): start clean.
  await rm(pgdata, { recursive: true, force: true });
  const t0 = performance.now();
  const sql = await readFile(seedSqlPath ?? fileURLToPath(new URL('./chinook.sql', import.meta.url)), 'utf8');
  const db = await PGlite.create({ dataDir: pgdata });
  const tInit = performance.now();
  try {
    await db.exec(`BEGIN;\n${sql}\n;COMMIT;`);
    await db.exec('CHECKPOINT'); // the next start needs no WAL replay
    await db.syncToFs();
  } catch (err) {
    await db.close().catch(() => {});
    await rm(pgdata, { recursive: true, force: true });
    throw new Error(`Seeding the demo database failed: ${(err as Error).message}`, { cause: err });
  }
  // The marker is written only once the seed has committed; write-then-rename keeps it whole.
  const tmp = `${marker}.tmp`;
  await writeFile(tmp, JSON.stringify({ seed: SEED_VERSION, seededAt: new Date().toISOString() }) + '\n');
  await rename(tmp, marker);
  log(
    `demo: created the data directory in ${Math.round(tInit - t0)} ms and loaded Chinook in ${Math.round(performance.now() - tInit)} ms`,
  );
  return { db, seededNow: true };
}

/** One process at a time per data directory: two PGlites on one directory corrupt it. */
async function takeLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const taken = await writeFile(path, String(process.pid), { flag: 'wx' }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
    if (taken) {
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(path).catch(() => {});
      };
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (pid === process.pid) throw new Error('The demo database is already open in this process: stop() it first.');
    if (pid && isAlive(pid)) throw new Error(`The demo database is already open in another Cabinet process (pid ${pid}).`);
    await unlink(path).catch(() => {}); // stale: its process died
  }
  throw new Error(`Cannot take the demo database lock ${path}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A PostgreSQL ErrorResponse, for refusing a connection before its startup. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0VFATAL\0', 'utf8'),
    Buffer.from(`C${code}\0M${message}\0\0`, 'utf8'),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

// ---------------------------------------------------------------------------------------
// The queue: one backend, owned by one connection from its first message to ReadyForQuery 'I'

interface Pending {
  id: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
  at: number;
}

const TERMINATE = 0x58; // 'X'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4
const ROLLBACK = simpleQuery('ROLLBACK');

/** A protocol Query message. (`db.exec` inside `db.runExclusive` would deadlock: same mutex.) */
function simpleQuery(sql: string): Uint8Array {
  const body = Buffer.from(sql + '\0', 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg.write('Q', 0, 'latin1');
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return new Uint8Array(msg);
}

class BackendQueue {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  /** The connection that holds the backend, and why; null when it is free. */
  private owner: { id: number; status: 'T' | 'E' | 'batch' } | null = null;
  /** Client-side port of each connection, for messages and `detail`. */
  readonly ports = new Map<number, number>();

  constructor(private readonly db: PGlite) {}

  enqueue(id: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (message[0] === TERMINATE) return Promise.resolve(0); // the close that follows cleans up
    return new Promise((resolve, reject) => {
      this.queue.push({ id, message, onData, resolve, reject, at: performance.now() });
      this.pump();
    });
  }

  clearQueueForHandler(id: number): void {
    const mine = this.queue.filter((p) => p.id === id);
    this.queue = this.queue.filter((p) => p.id !== id);
    for (const p of mine) p.reject(new Error('Handler disconnected'));
  }

  /** Called when a connection goes away: give the backend back clean if it held it. */
  async clearTransactionIfNeeded(id: number): Promise<void> {
    await this.idle();
    if (this.owner?.id !== id) return;
    try {
      await this.db.runExclusive(async () => {
        const discard = { onRawData: () => {} };
        if (this.owner?.status === 'batch') await this.db.execProtocolRawStream(SYNC, discard);
        if (this.db.isInTransaction()) await this.db.execProtocolRawStream(ROLLBACK, discard);
      });
    } finally {
      this.owner = null;
      this.pump();
    }
  }

  holderId(): number | null {
    return this.owner?.id ?? null;
  }

  waitInfo(): {
    holder: { id: number; reason: DemoBlockReason } | null;
    waitingIds: number[];
    oldestWaitingAt: number | null;
  } {
    const owner = this.owner;
    const waiting = owner ? this.queue.filter((p) => p.id !== owner.id) : [];
    const reason: DemoBlockReason | null = !owner
      ? null
      : owner.status === 'T'
        ? 'transaction'
        : owner.status === 'E'
          ? 'failed-transaction'
          : 'unfinished-query';
    return {
      holder: owner && reason ? { id: owner.id, reason } : null,
      waitingIds: [...new Set(waiting.map((p) => p.id))],
      oldestWaitingAt: waiting.length ? Math.min(...waiting.map((p) => p.at)) : null,
    };
  }

  /** Resolves when no message is being run. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private pump(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.nextIndex() >= 0) this.pump(); // enqueued while drain() was returning
    });
  }

  /** The next message that may run: the owner's oldest, or anyone's oldest when free; -1: none. */
  private nextIndex(): number {
    const owner = this.owner;
    if (owner) return this.queue.findIndex((p) => p.id === owner.id);
    return this.queue.length ? 0 : -1;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const i = this.nextIndex();
      if (i < 0) return; // free and empty, or waiting for the owner
      const [p] = this.queue.splice(i, 1);
      let bytes = 0;
      let status: number | null = null;
      const rfq = new ReadyForQueryScanner((s) => (status = s));
      try {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(p.message, {
            onRawData: (data) => {
              bytes += data.length;
              rfq.push(data);
              p.onData(data);
            },
          }),
        );
      } catch (err) {
        // The handler closes this connection on a rejected message; its clean-up frees the backend.
        this.owner = { id: p.id, status: this.db.isInTransaction() ? 'T' : 'batch' };
        p.reject(err as Error);
        continue;
      }
      // ReadyForQuery 'I' frees the backend; 'T'/'E' keep it; none yet: a batch is in progress.
      if (status === 0x49 /* I */) this.owner = null;
      else if (status === 0x54 /* T */) this.owner = { id: p.id, status: 'T' };
      else if (status === 0x45 /* E */) this.owner = { id: p.id, status: 'E' };
      else this.owner = { id: p.id, status: 'batch' };
      p.resolve(bytes);
    }
  }
}

/** Finds ReadyForQuery ('Z', length 5, status byte) in a backend byte stream split anyhow. */
class ReadyForQueryScanner {
  private readonly header = Buffer.alloc(5);
  private have = 0;
  private skip = 0;
  private zBody = false;
  constructor(private readonly onStatus: (status: number) => void) {}

  push(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.skip > 0) {
        if (this.zBody) {
          this.onStatus(data[i]);
          this.zBody = false;
        }
        const n = Math.min(this.skip, data.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.header[this.have++] = data[i++];
      if (this.have === 5) {
        this.have = 0;
        const len = this.header.readInt32BE(1);
        this.skip = Math.max(0, len - 4);
        this.zBody = this.header[0] === 0x5a /* Z */ && len === 5;
      }
    }
  }
}
