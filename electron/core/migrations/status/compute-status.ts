import type { HistoryEvent, MigrationRow, MigrationStatus } from '../../../../shared/migrations.ts';
import { compareVersions, versionKey, type Direction, type Migration, type MigrationSection } from '../files/migration-file.ts';
import { storedSectionText } from '../files/stored-section.ts';

/** One version: its file (if any), its latest history event (if any), and what they add up to. */
export interface VersionState {
  version: string;
  name: string;
  status: MigrationStatus;
  migration?: Migration;
  latest?: HistoryEvent;
}

const isInEffect = (event: HistoryEvent | undefined) => event?.status === 'applied' || event?.status === 'baseline';

/**
 * Joins the folder with the history. The latest event of a version is its state; a `running` row whose
 * runner no longer holds the lock was interrupted, and counts as failed where it stopped.
 */
export function computeStatus(migrations: Migration[], events: HistoryEvent[], lockHeldElsewhere: boolean): VersionState[] {
  const latestByKey = new Map<string, HistoryEvent>();
  for (const event of events) latestByKey.set(versionKey(event.version), event);
  const fileByKey = new Map(migrations.map((m) => [versionKey(m.version), m]));

  let newestInEffect: string | undefined;
  for (const event of latestByKey.values()) {
    if (isInEffect(event) && (!newestInEffect || compareVersions(event.version, newestInEffect) > 0)) newestInEffect = event.version;
  }

  const keys = [...new Set([...fileByKey.keys(), ...latestByKey.keys()])].sort(compareVersions);
  return keys.map((key) => {
    const migration = fileByKey.get(key);
    const latest = latestByKey.get(key);
    const olderThanApplied = newestInEffect !== undefined && compareVersions(key, newestInEffect) < 0;
    const state: VersionState = {
      version: migration?.version ?? latest!.version,
      name: migration?.name ?? latest!.name,
      status: statusOf(migration, latest, olderThanApplied, lockHeldElsewhere),
    };
    if (migration) state.migration = migration;
    if (latest) state.latest = latest;
    return state;
  });
}

function statusOf(
  migration: Migration | undefined,
  latest: HistoryEvent | undefined,
  olderThanApplied: boolean,
  lockHeldElsewhere: boolean,
): MigrationStatus {
  if (!latest) return olderThanApplied ? 'out-of-order' : 'pending';
  switch (latest.status) {
    case 'running':
      return lockHeldElsewhere ? 'running' : 'failed';
    case 'failed':
      return 'failed';
    case 'reverted':
      return migration && olderThanApplied ? 'out-of-order' : 'reverted';
    case 'applied':
    case 'baseline':
      if (!migration) return 'missing';
      if (latest.checksum !== migration.checksum) return 'modified';
      return latest.status;
  }
}

/** Why `up` must not run now, or undefined. A failed or modified version stops everything after it. */
export function upBlocker(states: VersionState[]): string | undefined {
  const stuck = states.find((s) => s.status === 'failed' || s.status === 'running');
  if (stuck?.status === 'running') {
    return `Version ${stuck.version} is being applied by another runner right now.`;
  }
  if (stuck) {
    const { statementsDone, statementsTotal } = stuck.latest!;
    return (
      `Version ${stuck.version} (${stuck.name}) failed after ${statementsDone} of ${statementsTotal} statements` +
      `${stuck.latest!.error ? `: ${stuck.latest!.error}` : ''}. Resolve it first: resolve ${stuck.version} --resume, --revert or --mark-resolved.`
    );
  }
  const modified = states.find((s) => s.status === 'modified');
  if (modified) {
    return (
      `Version ${modified.version} (${modified.migration!.files.join(', ')}) changed since it was applied ` +
      `(checksum ${modified.latest!.checksum?.slice(0, 12)} then, ${modified.migration!.checksum.slice(0, 12)} now). ` +
      'Restore the file, or revert the version before changing it.'
    );
  }
  return undefined;
}

/**
 * One version as `status` lists it. `sectionText` writes a file's section as the row shows it: by default as the
 * history keeps it, so the file now and the SQL as applied compare line for line.
 */
export function toMigrationRow(
  state: VersionState,
  sectionText: (direction: Direction, section: MigrationSection | undefined) => string | null = storedSectionText,
): MigrationRow {
  const { migration, latest } = state;
  const row: MigrationRow = {
    version: state.version,
    name: state.name,
    status: state.status,
    canRevert: migration?.down !== undefined || (latest?.downSql ?? null) !== null,
  };
  if (migration) {
    row.files = migration.files;
    row.checksum = migration.checksum;
    row.upSql = sectionText('up', migration.up)!;
    const down = sectionText('down', migration.down);
    if (down !== null) row.downSql = down;
  }
  if (latest) {
    if (latest.upSql !== null) row.appliedUpSql = latest.upSql;
    if (latest.downSql !== null) row.appliedDownSql = latest.downSql;
    if (latest.checksum) row.appliedChecksum = latest.checksum;
    row.appliedAt = latest.finishedAt ?? latest.startedAt;
    if (latest.executionMs !== null) row.executionMs = latest.executionMs;
    if (latest.appliedBy) row.appliedBy = latest.appliedBy;
    if (latest.dbUser) row.dbUser = latest.dbUser;
    row.statementsDone = latest.statementsDone;
    row.statementsTotal = latest.statementsTotal;
    if (latest.failedStatement) row.failedStatement = latest.failedStatement;
    if (latest.error) row.error = latest.error;
    else if (state.status === 'failed') {
      row.error = `Interrupted after ${latest.statementsDone} of ${latest.statementsTotal} statements: the runner stopped mid-way.`;
    }
  }
  return row;
}
