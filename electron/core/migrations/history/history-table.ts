import { CabinetError } from '../../../../shared/errors.ts';
import type { HistoryAction, HistoryEvent, HistoryState } from '../../../../shared/migrations.ts';
import type { CellValue } from '../../../../shared/values.ts';
import type { DbSession } from '../../drivers/driver.ts';
import { HISTORY_TABLE, type BoundSql, type MigrationDialect } from '../engines/migration-dialect.ts';

/** A row to append: everything but the id and the database user, which the server fills in. */
export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'dbUser'>;

const STATES: readonly HistoryState[] = ['running', 'applied', 'failed', 'reverted', 'baseline'];
const ACTIONS: readonly HistoryAction[] = ['up', 'down', 'baseline', 'resume-up', 'resume-down', 'revert-failed', 'mark-resolved'];

const COLUMNS = [
  'version',
  'name',
  'action',
  'status',
  'checksum',
  'up_sql',
  'down_sql',
  'statements_done',
  'statements_total',
  'error',
  'failed_statement',
  'started_at',
  'finished_at',
  'execution_ms',
  'applied_by',
  'tool_version',
] as const;

export async function historyTableExists(session: DbSession, dialect: MigrationDialect): Promise<boolean> {
  return (await session.query(dialect.historyTableExists)).rows.length > 0;
}

/** Appends one event. The database user comes from the server, so it names who really connected. */
export function insertEventSql(dialect: MigrationDialect, event: NewHistoryEvent): BoundSql {
  const ts = (iso: string | null) => (iso === null ? null : dialect.timestampParam(iso));
  const params = [
    event.version,
    event.name,
    event.action,
    event.status,
    event.checksum,
    event.upSql,
    event.downSql,
    event.statementsDone,
    event.statementsTotal,
    event.error,
    event.failedStatement,
    ts(event.startedAt),
    ts(event.finishedAt),
    event.executionMs,
    event.appliedBy,
    event.toolVersion,
  ];
  const values = [...dialect.placeholders(params.length), dialect.currentUser];
  return {
    sql: `INSERT INTO ${HISTORY_TABLE} (${COLUMNS.join(', ')}, db_user) VALUES (${values.join(', ')})`,
    params,
  };
}

/**
 * The progress counter of a `running` row: the one value that moves after a row is written. A dry run
 * inserts no row, so it shows where the id would go.
 */
export function progressSql(dialect: MigrationDialect, id: number | null, statementsDone: number): BoundSql {
  const [done, key] = dialect.placeholders(2);
  if (id === null) return { sql: `UPDATE ${HISTORY_TABLE} SET statements_done = ${done} WHERE id = {id of the running row}`, params: [statementsDone] };
  return { sql: `UPDATE ${HISTORY_TABLE} SET statements_done = ${done} WHERE id = ${key}`, params: [statementsDone, id] };
}

function selectHistorySql(dialect: MigrationDialect): string {
  const columns = COLUMNS.map((c) => (c === 'started_at' || c === 'finished_at' ? dialect.isoTimestamp(c) : c));
  return `SELECT id, ${columns.join(', ')}, db_user FROM ${HISTORY_TABLE} ORDER BY id`;
}

/** Every event, oldest first; a row no runner could have written is an error naming it. */
export async function readHistory(session: DbSession, dialect: MigrationDialect): Promise<HistoryEvent[]> {
  const result = await session.query(selectHistorySql(dialect));
  return result.rows.map(toEvent);
}

function toEvent(row: CellValue[]): HistoryEvent {
  const text = (value: CellValue | undefined) => (typeof value === 'string' ? value : null);
  const [id, version, name, action, status, checksum, upSql, downSql, done, total, error, failedStatement, startedAt, finishedAt, executionMs, appliedBy, toolVersion, dbUser] =
    row.map(text);
  const event: HistoryEvent = {
    id: Number(id),
    version: version ?? '',
    name: name ?? '',
    action: action as HistoryAction,
    status: status as HistoryState,
    checksum,
    upSql,
    downSql,
    statementsDone: Number(done ?? 0),
    statementsTotal: Number(total ?? 0),
    error,
    failedStatement,
    startedAt: startedAt ?? '',
    finishedAt,
    executionMs: executionMs === null ? null : Number(executionMs),
    appliedBy,
    dbUser,
    toolVersion,
  };
  const problem = impossibility(event);
  if (problem) {
    throw new CabinetError({
      code: 'MIGRATION_ERROR',
      message: `${HISTORY_TABLE} row ${event.id} (version ${event.version || '?'}) ${problem}; the history was edited by hand. Fix or delete that row.`,
    });
  }
  return event;
}

function impossibility(event: HistoryEvent): string | undefined {
  if (!/^\d+$/.test(event.version)) return `has version "${event.version}", which is not a number`;
  if (!STATES.includes(event.status)) return `has status "${event.status}", which is none of ${STATES.join(', ')}`;
  if (!ACTIONS.includes(event.action)) return `has action "${event.action}", which is none of ${ACTIONS.join(', ')}`;
  if (event.statementsDone < 0 || event.statementsDone > event.statementsTotal) {
    return `says ${event.statementsDone} of ${event.statementsTotal} statements ran`;
  }
  if (event.status === 'failed' && event.failedStatement === null && event.error === null) {
    return 'is failed but names no error and no statement';
  }
  return undefined;
}
