/**
 * Makes waiting visible. The app's own demo connection (one pg connection, serialized) never
 * deadlocks against itself; it can only wait behind ANOTHER client (psql, a second window)
 * that holds the backend, and then `onBusy` says so.
 *
 * `onBusy(true, message, detail)` fires when some connection's message has waited more than
 * `busyAfterMs` behind another connection's open transaction or unfinished query, again when
 * the reason changes, and `onBusy(false, …)` once nothing waits any more. A 250 ms timer
 * (unref'd) reads the queue, which this module's caller owns, so the state is exact, not a
 * guess by timing.
 */
import type { BackendQueue, DemoBlockReason } from './backend-queue.ts';

export interface DemoBusyDetail {
  reason: DemoBlockReason | null;
  /** Client-side port of the holding connection (compare with your pg socket's localPort). */
  holderPort: number | null;
  /** Client-side ports of the connections that wait. */
  waitingPorts: number[];
  /** How long the oldest waiting message has waited, ms. */
  waitedMs: number;
}

export type OnDemoBusy = (busy: boolean, message: string, detail: DemoBusyDetail) => void;

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

/** Starts watching; returns the function that stops it. */
export function watchBusy(
  queue: BackendQueue,
  opts: { busyAfterMs: number; onBusy?: OnDemoBusy; log: (line: string) => void },
): () => void {
  let busyReason: DemoBlockReason | null = null;
  const watcher = setInterval(() => {
    const w = queue.waitInfo();
    const now = performance.now();
    const blocked = w.holder !== null && w.oldestWaitingAt !== null && now - w.oldestWaitingAt >= opts.busyAfterMs;
    const detail: DemoBusyDetail = {
      reason: w.holder?.reason ?? null,
      holderPort: w.holder ? (queue.ports.get(w.holder.id) ?? null) : null,
      waitingPorts: w.waitingIds.map((id) => queue.ports.get(id) ?? 0),
      waitedMs: w.oldestWaitingAt === null ? 0 : Math.round(now - w.oldestWaitingAt),
    };
    if (blocked && w.holder && busyReason !== w.holder.reason) {
      busyReason = w.holder.reason;
      opts.log(`demo: busy: ${w.holder.reason}, ${detail.waitingPorts.length} connection(s) waiting`);
      opts.onBusy?.(true, demoBusyMessage(busyReason), detail);
    } else if (busyReason !== null && w.oldestWaitingAt === null) {
      busyReason = null;
      opts.log('demo: no longer busy');
      opts.onBusy?.(false, DEMO_NOT_BUSY_MESSAGE, detail);
    }
  }, 250);
  watcher.unref();
  return () => clearInterval(watcher);
}
