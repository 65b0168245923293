import { setTimeout as sleep } from 'node:timers/promises';
import { CabinetError } from '../../../../shared/errors.ts';
import type { LockHolder } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { DbSession } from '../../drivers/driver.ts';
import type { MigrationDialect } from '../engines/migration-dialect.ts';

/**
 * Takes the migration lock on its own session, retrying a non-blocking try-lock until the timeout:
 * never an endless wait. The server drops the lock with the session, so a dead runner leaves none behind.
 */
export async function acquireLock(session: DbSession, dialect: MigrationDialect, timeoutMs: number, database: string): Promise<void> {
  const { acquire } = dialect.lock;
  const deadline = Date.now() + timeoutMs;
  let pause = 25;
  while (true) {
    // PostgreSQL answers true/false, MySQL 1/0.
    const answer = (await session.query(acquire.sql, acquire.params)).rows[0]?.[0];
    if (answer === 'true' || answer === '1') return;
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 250);
  }
  const holder = await dialect.lock.holder(session);
  throw new CabinetError({
    code: 'LOCKED',
    message: `Another migration runner holds the lock on database "${database}"${holder ? ` (${describeHolder(holder, dialect.engine)})` : ''}; waited ${formatSeconds(timeoutMs)}.`,
  });
}

/** "pid 4242, user app, application "cabinet-migrate", from 10.0.0.7, since ..." */
export function describeHolder(holder: LockHolder, engine: Engine): string {
  const parts = [`${engine === 'postgres' ? 'pid' : 'connection id'} ${holder.id}`];
  if (holder.user) parts.push(`user ${holder.user}`);
  if (holder.application) parts.push(`application "${holder.application}"`);
  if (holder.host) parts.push(`from ${holder.host}`);
  if (holder.since) parts.push(`since ${holder.since}`);
  return parts.join(', ');
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
