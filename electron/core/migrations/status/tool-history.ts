import type { ForeignHistory, HistoryEvent } from '../../../../shared/migrations.ts';
import { versionKey, type Migration } from '../files/migration-file.ts';

/**
 * Another tool's history rows as the events `computeStatus` joins with that tool's folder: the latest row
 * of each version is its state. Prisma's checksum is compared with the file's as Prisma computes it; the
 * other layout (db-migrate) keeps none, so its files are never `modified`.
 */
export function toolEvents(migrations: Migration[], history: ForeignHistory | undefined): HistoryEvent[] {
  if (!history) return [];
  const byKey = new Map(migrations.map((m) => [versionKey(m.version), m]));
  return history.entries.flatMap((entry, index): HistoryEvent[] => {
    if (!/^\d+$/.test(entry.version)) return [];
    const migration = byKey.get(versionKey(entry.version));
    const rolledBack = entry.extra.rolled_back_at !== undefined;
    const checksum = !migration ? entry.checksum : entry.checksum === null || entry.checksum === migration.toolChecksum ? migration.checksum : entry.checksum;
    const failed = !entry.success && !rolledBack;
    return [
      {
        id: index + 1,
        version: entry.version,
        name: entry.name,
        action: 'up',
        status: rolledBack ? 'reverted' : failed ? 'failed' : 'applied',
        checksum,
        upSql: null,
        downSql: null,
        statementsDone: 0,
        statementsTotal: 0,
        error: failed ? (entry.extra.logs ?? `${history.tool} recorded this migration as unfinished.`) : null,
        failedStatement: null,
        startedAt: entry.appliedAt ?? '',
        finishedAt: entry.appliedAt,
        executionMs: entry.executionMs,
        appliedBy: entry.extra.installed_by ?? null,
        dbUser: null,
        toolVersion: history.tool,
      },
    ];
  });
}
