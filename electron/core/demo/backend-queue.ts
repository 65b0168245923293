/**
 * The one PGlite backend, shared by every demo connection, and the rule for who may use it.
 *
 * PGlite is ONE PostgreSQL backend in single-user mode: one session, one transaction state,
 * one set of prepared statements and `SET`s. Session state is therefore shared by all
 * connections: `SET search_path` on one is seen by all.
 *
 * ## Why not @electric-sql/pglite-socket 0.2.17's own queue
 *
 * pglite-socket multiplexes its clients onto the backend with a queue of protocol *messages*
 * (`QueryQueueManager`). Measured here:
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
 *   PostgreSQL's IsTransactionBlock(): true after an explicit BEGIN, false at the start of an
 *   extended-protocol batch (true again after a suspended portal's second Execute). Outside
 *   BEGIN it interleaves connections message by message. For extended-protocol batches that end in
 *   a Sync (what pg sends for a parameterised query) this happens to work, but a portal
 *   left open without a Sync (pg-cursor: Parse/Bind/Execute(n)/Flush, more Executes later)
 *   is destroyed by another connection's query, and the queue then believes that other
 *   connection owns a transaction: the cursor's next read hangs FOREVER (measured).
 *
 * ## This queue's rule
 *
 * It is the protocol's own: the connection whose message ran last OWNS the backend until
 * PGlite answers it with ReadyForQuery status `I` (idle, no transaction). Status `T`/`E`
 * (transaction open / failed) or no ReadyForQuery yet (an extended-protocol batch or a cursor
 * in progress) keeps the backend with its owner, and other connections' messages wait, in
 * arrival order. So nothing interleaves into another connection's transaction or cursor, and
 * who waits for whom is known exactly (`waitInfo()`), not guessed from timing.
 *
 * PGlite answers each message through `execProtocolRawStream`'s `onRawData` in chunks that are
 * views it reuses once the callback returns: they are scanned and copied (by the handler's
 * socket write) inside the callback, never kept.
 *
 * A connection that goes away while it owns the backend: its queued messages are dropped, an
 * unfinished extended-protocol batch is ended with a Sync, an open transaction is rolled
 * back, and the next waiting connection runs. Terminate ('X') is not passed to PGlite (it is
 * the client leaving, handled as above).
 *
 * `tests/integration/pglite-socket-pin.test.ts` pins the upstream behaviour this relies on.
 */
import type { PGlite } from '@electric-sql/pglite';

export type DemoBlockReason = 'transaction' | 'failed-transaction' | 'unfinished-query';

export interface WaitInfo {
  /** The connection (handler id) that holds the backend, and why; null when it is free. */
  holder: { id: number; reason: DemoBlockReason } | null;
  /** Connections with messages queued behind the holder. */
  waitingIds: number[];
  /** `performance.now()` of the oldest message queued behind the holder; null: none waits. */
  oldestWaitingAt: number | null;
}

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

/**
 * Stands in for pglite-socket's `QueryQueueManager`: `PGLiteSocketHandler` calls exactly
 * `enqueue`, `clearQueueForHandler` and `clearTransactionIfNeeded` on it.
 */
export class BackendQueue {
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

  waitInfo(): WaitInfo {
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
export class ReadyForQueryScanner {
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
