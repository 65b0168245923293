/**
 * The embedded demo database: PGlite (PostgreSQL compiled to WebAssembly) kept in
 * `${dataDir}/demo-pgdata`, seeded with Chinook on first run, served on 127.0.0.1 so
 * that the app (and psql, or a second window) reach it through the ordinary `pg` driver.
 *
 * The parts, each file explaining its own:
 * - data-folder.ts: open the data folder, or create it (from prebuilt-data.ts's prebuilt
 *   folder, else from the seed SQL); one process at a time (lock file, stale lock takeover).
 * - backend-queue.ts: PGlite is ONE backend; who runs on it when several clients connect.
 * - demo-server.ts: the loopback server and its per-connection protocol handlers.
 * - busy-watcher.ts: tells the app when a query waits behind another client's transaction.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { BackendQueue, type DemoBlockReason } from './backend-queue.ts';
import { watchBusy, type OnDemoBusy } from './busy-watcher.ts';
import { openOrSeed, PGDATA, takeLock } from './data-folder.ts';
import { serveDemo, type DemoServer } from './demo-server.ts';

export type { DemoBlockReason } from './backend-queue.ts';
export { DEMO_NOT_BUSY_MESSAGE, demoBusyMessage, type DemoBusyDetail } from './busy-watcher.ts';

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

export interface DemoStatus {
  connections: number;
  /** Messages queued from connections other than the holder. */
  waiting: number;
  /** The connection that holds the backend, or null when it is free. */
  holder: { remotePort: number; reason: DemoBlockReason } | null;
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
  onBusy?: OnDemoBusy;
  /** Default 1000. */
  busyAfterMs?: number;
  /** Default 8. */
  maxConnections?: number;
  /** The seed script; default `chinook.sql` next to this module (copy it next to a bundle). */
  seedSqlPath?: string;
  /**
   * The prebuilt, seeded data folder that makes a first start fast; default
   * `chinook-pgdata.tar.gz` next to this module (copy it next to a bundle). It is used only
   * if it was built from the seed script; null: always seed from SQL.
   */
  prebuiltPath?: string | null;
}

export const DEMO_HOST = '127.0.0.1' as const;
export const DEMO_USER = 'postgres';
export const DEMO_DATABASE = 'postgres';

export async function startDemoDatabase(opts: StartDemoOptions): Promise<DemoDatabase> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const pgdata = join(opts.dataDir, PGDATA);
  await mkdir(opts.dataDir, { recursive: true });
  const releaseLock = await takeLock(join(opts.dataDir, `${PGDATA}.lock`));

  let db: PGlite | undefined;
  let server: DemoServer | undefined;
  try {
    const opened = await openOrSeed(pgdata, { seedSqlPath: opts.seedSqlPath, prebuiltPath: opts.prebuiltPath, log });
    db = opened.db;
    const queue = new BackendQueue(db);
    server = await serveDemo(queue, { host: DEMO_HOST, port: opts.port ?? 0, maxConnections: opts.maxConnections ?? 8, log });
    const stopWatching = watchBusy(queue, { busyAfterMs: opts.busyAfterMs ?? 1000, onBusy: opts.onBusy, log });

    const startMs = Math.round(performance.now() - t0);
    log(`demo: listening on ${DEMO_HOST}:${server.port} (${opened.seededNow ? 'seeded' : 'reused'}, ${startMs} ms)`);

    let stopping: Promise<void> | undefined;
    const pglite = db;
    const srv = server;
    return {
      host: DEMO_HOST,
      port: srv.port,
      user: DEMO_USER,
      database: DEMO_DATABASE,
      seededNow: opened.seededNow,
      startMs,
      status: () => {
        const w = queue.waitInfo();
        return {
          connections: srv.connections(),
          waiting: w.waitingIds.length,
          holder: w.holder ? { remotePort: queue.ports.get(w.holder.id) ?? 0, reason: w.holder.reason } : null,
        };
      },
      releaseBlocker: () => srv.releaseBlocker(),
      stop: () =>
        (stopping ??= (async () => {
          stopWatching();
          await srv.close();
          await queue.idle();
          await pglite.close();
          await releaseLock();
          log('demo: stopped');
        })()),
    };
  } catch (err) {
    await server?.close().catch(() => {});
    await db?.close().catch(() => {});
    await releaseLock();
    throw err;
  }
}
