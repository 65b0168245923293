import { setTimeout as sleep } from 'node:timers/promises';
import { CabinetError } from '../../../../shared/errors.ts';
import type { LockHolder } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { DbSession } from '../../drivers/driver.ts';
import type { MigrationDialect } from '../engines/migration-dialect.ts';

/** While a run waits for the lock: who holds it, and for how long the run has waited of how long it will. */
export interface LockWait {
  holder: LockHolder | null;
  waitedMs: number;
  timeoutMs: number;
}

export interface LockOptions {
  timeoutMs: number;
  database: string;
  /** Stops the wait at once (`migrations/cancel`, or the caller went away). */
  signal?: AbortSignal;
  /** Told when the wait begins and about every second while it lasts. */
  onWait?: (wait: LockWait) => void;
}

const WAIT_REPORT_MS = 1000;

/**
 * Takes the migration lock on its own session, retrying a non-blocking try-lock until the timeout:
 * never an endless wait. The server drops the lock with the session, so a dead runner leaves none behind.
 */
export async function acquireLock(session: DbSession, dialect: MigrationDialect, options: LockOptions): Promise<void> {
  const { acquire } = dialect.lock;
  const { timeoutMs, database, signal, onWait } = options;
  const begun = Date.now();
  const deadline = begun + timeoutMs;
  let pause = 25;
  let reportAt = begun;
  const holderText = async () => {
    const holder = await dialect.lock.holder(session);
    return holder ? ` (${describeHolder(holder, dialect.engine)})` : '';
  };
  while (true) {
    // PostgreSQL answers true/false, MySQL 1/0.
    const answer = (await session.query(acquire.sql, acquire.params)).rows[0]?.[0];
    if (answer === 'true' || answer === '1') return;
    const now = Date.now();
    const left = deadline - now;
    if (left <= 0 || signal?.aborted) break;
    if (onWait && now >= reportAt) {
      onWait({ holder: await dialect.lock.holder(session), waitedMs: now - begun, timeoutMs });
      reportAt = now + WAIT_REPORT_MS;
    }
    const stopped = await sleep(Math.min(pause, left), false, { signal }).catch(() => true);
    if (stopped) break;
    pause = Math.min(pause * 2, 250);
  }
  if (signal?.aborted) {
    throw new CabinetError({
      code: 'LOCKED',
      message: `Stopped waiting for the migration lock on database "${database}"${await holderText()}; nothing ran.`,
    });
  }
  throw new CabinetError({
    code: 'LOCKED',
    message: `Another migration runner holds the lock on database "${database}"${await holderText()}; waited ${formatSeconds(timeoutMs)}.`,
  });
}

/** "pid 4242, user app, application "cabinet-migrate", from 10.0.0.7, since ..." */
export function describeHolder(holder: LockHolder, engine: Engine): string {
  const parts = [`${engine === 'postgres' ? 'pid' : 'connection id'} ${holder.id}`];
  if (holder.user) parts.push(`user ${holder.user}`);
  if (holder.application) parts.push(`application "${holder.application}"`);
  if (holder.host) parts.push(`from ${holder.host}`);
  if (holder.since) parts.push(`connected since ${holder.since}`);
  if (holder.state) parts.push(`${holder.state}${holder.stateSince && holder.stateSince !== holder.since ? ` since ${holder.stateSince}` : ''}`);
  return parts.join(', ');
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
