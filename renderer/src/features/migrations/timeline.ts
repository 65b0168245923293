/**
 * The timeline's order and contents, apart from how they are drawn: Cabinet's versions and other tools' history
 * rows on one line, newest first, and which version the next run takes.
 */
import type { MethodOutput } from '../../../../shared/api.ts';
import type { ForeignHistory, ForeignHistoryEntry, HistoryEvent, MigrationRow, MigrationStatusReport } from '../../../../shared/migrations.ts';

export type TimelineEntry =
  | { kind: 'cabinet'; key: string; version: string; row: MigrationRow; events: HistoryEvent[] }
  | { kind: 'foreign'; key: string; version: string; history: ForeignHistory; entry: ForeignHistoryEntry };

/** Versions compare as numbers of any length: a longer string of digits is the bigger version. */
export function compareVersions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The version the next `up` applies: the oldest one waiting (pending, out of order or reverted). */
export function nextPending(rows: MigrationRow[]): MigrationRow | undefined {
  return [...rows].sort((a, b) => compareVersions(a.version, b.version)).find((r) => isWaiting(r));
}

export const isWaiting = (row: MigrationRow) => row.status === 'pending' || row.status === 'reverted' || row.status === 'out-of-order';
/** In the database now: what `down` can revert. */
export const isInDatabase = (row: MigrationRow) => row.status === 'applied' || row.status === 'baseline' || row.status === 'modified' || row.status === 'missing';

/**
 * Cabinet's versions and other tools' history rows on one line, newest first. A tool whose folder layout is
 * attached already gives the rows their state, so its table is not drawn a second time.
 */
export function timelineEntries(status: MigrationStatusReport | null, history: MethodOutput<'migrations/history'>): TimelineEntry[] {
  if (!status) return [];
  const entries: TimelineEntry[] = status.rows.map((row) => ({
    kind: 'cabinet',
    key: `cabinet:${row.version}`,
    version: row.version,
    row,
    events: pastOf(row.version, history.events),
  }));
  for (const found of history.foreign) {
    if (found.tool === status.layout) continue;
    found.entries.forEach((entry, i) => entries.push({ kind: 'foreign', key: `${found.tool}:${found.table}:${i}`, version: entry.version, history: found, entry }));
  }
  return entries.sort((a, b) => compareVersions(b.version, a.version));
}

/** A version's events, oldest first; a `running` row is left out once a later event of the version ended it. */
export function pastOf(version: string, events: HistoryEvent[]): HistoryEvent[] {
  const own = events.filter((e) => e.version === version);
  return own.filter((e, i) => e.status !== 'running' || i === own.length - 1);
}
