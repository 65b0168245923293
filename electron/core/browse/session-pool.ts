import { CabinetError } from '../../../shared/errors.ts';
import { connect, type Endpoint } from '../connections/connector.ts';
import type { DbSession } from '../drivers/driver.ts';
import { loadDriver } from '../drivers/registry.ts';

export const BROWSE_APPLICATION_NAME = 'Cabinet (browse)';
const DEFAULT_SIZE = 2;

interface Waiter {
  resolve(session: DbSession): void;
  reject(error: unknown): void;
}

/**
 * A few sessions of browsing's own on one connection and database, so reading rows never queues behind the
 * schema tree's session, nor the tree behind a slow page. A session lost (idle or mid-read) is dropped and the
 * next read opens another. A read whose caller goes away is cancelled on the server.
 */
export class SessionPool {
  private readonly idle: DbSession[] = [];
  private readonly all = new Set<DbSession>();
  private opening = 0;
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(
    private readonly endpoint: () => Endpoint,
    private readonly size = DEFAULT_SIZE,
  ) {}

  async use<T>(signal: AbortSignal, work: (session: DbSession) => Promise<T>): Promise<T> {
    const session = await this.acquire(signal);
    let cancelling: Promise<void> | undefined;
    const onAbort = () => (cancelling = this.cancel(session));
    signal.addEventListener('abort', onAbort, { once: true });
    let lost = false;
    try {
      return await work(session);
    } catch (error) {
      const loss = asConnectionLoss(error);
      lost = loss instanceof CabinetError && loss.code === 'CONNECTION_LOST';
      throw loss;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await cancelling;
      if (lost) this.drop(session);
      else this.release(session);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(closedError());
    const sessions = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }

  private acquire(signal: AbortSignal): Promise<DbSession> {
    if (this.closed) return Promise.reject(closedError());
    if (signal.aborted) return Promise.reject(goneError());
    const session = this.idle.pop();
    if (session) return Promise.resolve(session);
    if (this.all.size + this.opening < this.size) return this.open();
    return new Promise<DbSession>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (s) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(goneError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private async open(): Promise<DbSession> {
    this.opening++;
    try {
      const session = await connect(this.endpoint(), { applicationName: BROWSE_APPLICATION_NAME });
      if (this.closed) {
        await session.close();
        throw closedError();
      }
      this.all.add(session);
      session.onLost(() => this.drop(session));
      return session;
    } finally {
      this.opening--;
    }
  }

  private release(session: DbSession): void {
    if (!this.all.has(session)) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(session);
    else this.idle.push(session);
  }

  /** A lost session leaves the pool; someone waiting gets a new one in its place. */
  private drop(session: DbSession): void {
    if (!this.all.delete(session)) return;
    const at = this.idle.indexOf(session);
    if (at >= 0) this.idle.splice(at, 1);
    session.close().catch(() => undefined);
    const waiter = this.waiters.shift();
    if (waiter) this.open().then(waiter.resolve, waiter.reject);
  }

  /** Stops the statement running on `session`, from a short-lived second connection (the protocol's way on both engines). */
  private async cancel(session: DbSession): Promise<void> {
    try {
      const driver = await loadDriver(session.engine);
      const other = await connect(this.endpoint(), { applicationName: BROWSE_APPLICATION_NAME, connectTimeoutMs: 5_000 });
      try {
        await driver.cancel(other, session);
      } finally {
        await other.close();
      }
    } catch {
      // The statement may have ended, or the connection been closed: nothing is left to stop.
    }
  }
}

/**
 * The server ending a session mid-statement answers with an error of its own before the socket closes:
 * PostgreSQL's 57P01–57P03 (terminated by an administrator, shut down), MySQL's "Connection was killed"
 * (1927) or "Lost connection during query" (2013). Those are a lost connection, and say so.
 */
export function asConnectionLoss(error: unknown): unknown {
  if (!(error instanceof CabinetError) || error.code !== 'SQL_ERROR') return error;
  const postgres = /^57P0[123]$/.test(error.sqlState ?? '');
  const mysql = error.sqlState === '70100' || /^(Connection was killed|Lost connection to (MySQL|MariaDB)? ?server during query)/i.test(error.message);
  if (!postgres && !mysql) return error;
  return new CabinetError({
    code: 'CONNECTION_LOST',
    message: 'The connection to the server was lost; the next read connects again.',
    detail: [error.message, error.detail].filter(Boolean).join('\n\n'),
    sqlState: error.sqlState,
  });
}

function closedError(): CabinetError {
  return new CabinetError({ code: 'NOT_CONNECTED', message: 'This connection is closed; connect again.' });
}

function goneError(): CabinetError {
  return new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that asked for these rows has closed.' });
}
