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

const PARAM = Symbol('parameter');

/**
 * SQL expressions for the times of a row written at the end of the script that ran its migration: the
 * values are only known on the server by then.
 */
export interface ServerClock {
  startedAt: string;
  finishedAt: string;
  executionMs: string;
}

/**
 * Appends events with one INSERT, in order. The database user comes from the server, so it names who
 * really connected.
 */
export function insertEventsSql(dialect: MigrationDialect, table: string, events: NewHistoryEvent[], clock?: ServerClock): BoundSql {
  const ts = (iso: string | null) => (iso === null ? null : dialect.timestampParam(iso));
  const rowParams = (event: NewHistoryEvent) => [
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
  const fromClock: Partial<Record<(typeof COLUMNS)[number], string>> = clock
    ? { started_at: clock.startedAt, finished_at: clock.finishedAt, execution_ms: clock.executionMs }
    : {};
  const params: unknown[] = [];
  const tuples = events.map((event) => rowParams(event).map((value, c) => fromClock[COLUMNS[c]!] ?? (params.push(value), PARAM)));
  const placeholders = dialect.placeholders(params.length);
  let next = 0;
  const rows = tuples.map((values) => `(${[...values.map((v) => (v === PARAM ? placeholders[next++]! : v)), dialect.currentUser].join(', ')})`);
  return {
    sql: `INSERT INTO ${table} (${COLUMNS.join(', ')}, db_user) VALUES ${rows.join(',\n  ')}`,
    params,
  };
}

/**
 * The progress counter of a `running` row: the one value that moves after a row is written. A dry run
 * inserts no row, so it shows where the id would go.
 */
export function progressSql(dialect: MigrationDialect, table: string, id: number | null, statementsDone: number): BoundSql {
  const [done, key] = dialect.placeholders(2);
  if (id === null) return { sql: `UPDATE ${table} SET statements_done = ${done} WHERE id = {id of the running row}`, params: [statementsDone] };
  return { sql: `UPDATE ${table} SET statements_done = ${done} WHERE id = ${key}`, params: [statementsDone, id] };
}

function selectHistorySql(dialect: MigrationDialect, table: string, latestOnly: boolean): string {
  const columns = COLUMNS.map((c) => (c === 'started_at' || c === 'finished_at' ? dialect.isoTimestamp(c) : c));
  // A version's state is its latest row: a run reads those, not every event of a long history.
  const where = latestOnly ? ` WHERE id IN (SELECT max(id) FROM ${table} GROUP BY version)` : '';
  return `SELECT id, ${columns.join(', ')}, db_user FROM ${table}${where} ORDER BY id`;
}

/** Every event, oldest first; a row no runner could have written is an error naming it. */
export async function readHistory(session: DbSession, dialect: MigrationDialect, table: string): Promise<HistoryEvent[]> {
  const result = await session.query(selectHistorySql(dialect, table, false));
  return result.rows.map(toEvent);
}

/** The latest event of each version (as written: `7` and `007` are two), oldest first, checked like every event. */
export async function readLatestEvents(session: DbSession, dialect: MigrationDialect, table: string): Promise<HistoryEvent[]> {
  const result = await session.query(selectHistorySql(dialect, table, true));
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
