/**
 * Other tools' history tables, read (never written) so their migrations show on Cabinet's timeline. Each tool
 * is known by its table name and the columns it creates; a table with that name but another shape belongs
 * to someone else and is skipped.
 */
import { FOREIGN_HISTORY_LIMIT, type ForeignHistory, type ForeignHistoryEntry, type ForeignTool } from '../../../../shared/migrations.ts';
import { qualifiedName, quoteIdent } from '../../../../shared/identifiers.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { CellValue } from '../../../../shared/values.ts';
import type { DbSession } from '../../drivers/driver.ts';

/** A row by column name: text, or null for SQL NULL; time columns hold milliseconds since 1970 as text. */
type Row = Record<string, string | null>;

interface ToolShape {
  tool: ForeignTool;
  table: string;
  /** The columns the tool creates; a table missing one of them is not the tool's. */
  columns: readonly string[];
  /** Columns read as instants (milliseconds since 1970), whatever their type on the server. */
  times: readonly string[];
  /** What orders the rows oldest first. */
  order: readonly string[];
  /** Chooses between two tools with one table name: the first shape that matches wins. */
  matches?: (columns: Set<string>) => boolean;
  entry(row: Row): Omit<ForeignHistoryEntry, 'tool' | 'extra'>;
}

const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const isTrue = (value: string | null) => value === 'true' || value === '1' || value === 't';
/** `20250101120000_create_users` → its numeric prefix and the rest. */
function splitName(text: string): { version: string; name: string } {
  const match = /^(\d+)[_-]?(.*)$/.exec(text);
  return match ? { version: match[1]!, name: match[2]! } : { version: '', name: text };
}

/** The shapes each tool creates, from its own documentation and source (see the integration test's DDL). */
const SHAPES: readonly ToolShape[] = [
  {
    tool: 'prisma',
    table: '_prisma_migrations',
    columns: ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'],
    times: ['finished_at', 'rolled_back_at', 'started_at'],
    order: ['started_at', 'migration_name'],
    entry: (row) => {
      const finished = row.finished_at;
      return {
        ...splitName(row.migration_name ?? ''),
        appliedAt: iso(finished ?? row.started_at),
        success: finished !== null && row.rolled_back_at === null,
        executionMs: finished !== null && row.started_at !== null ? Number(finished) - Number(row.started_at) : null,
        checksum: row.checksum,
      };
    },
  },
  {
    tool: 'db-migrate',
    table: 'migrations',
    columns: ['id', 'name', 'run_on'],
    times: ['run_on'],
    order: ['id'],
    // db-migrate records the file's name with a leading slash: `/20250101120000-create-users`.
    entry: (row) => ({ ...splitName((row.name ?? '').replace(/^\//, '')), appliedAt: iso(row.run_on), success: true, executionMs: null, checksum: null }),
  },
  {
    tool: 'golang-migrate',
    table: 'schema_migrations',
    columns: ['version', 'dirty'],
    times: [],
    order: ['version'],
    entry: (row) => ({ version: row.version ?? '', name: '', appliedAt: null, success: !isTrue(row.dirty), dirty: isTrue(row.dirty), executionMs: null, checksum: null }),
  },
  {
    tool: 'dbmate',
    table: 'schema_migrations',
    columns: ['version'],
    times: [],
    order: ['version'],
    matches: (columns) => !columns.has('dirty'),
    entry: (row) => ({ version: row.version ?? '', name: '', appliedAt: null, success: true, executionMs: null, checksum: null }),
  },
  {
    tool: 'flyway',
    table: 'flyway_schema_history',
    columns: ['installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success'],
    times: ['installed_on'],
    order: ['installed_rank'],
    entry: (row) => ({
      version: row.version ?? '',
      name: row.description ?? '',
      appliedAt: iso(row.installed_on),
      success: isTrue(row.success),
      executionMs: row.execution_time === null ? null : Number(row.execution_time),
      checksum: row.checksum,
    }),
  },
  {
    tool: 'knex',
    table: 'knex_migrations',
    columns: ['id', 'name', 'batch', 'migration_time'],
    times: ['migration_time'],
    order: ['id'],
    entry: (row) => ({ ...splitName(row.name ?? ''), appliedAt: iso(row.migration_time), success: true, executionMs: null, checksum: null }),
  },
];

const TABLE_NAMES = [...new Set(SHAPES.map((s) => s.table))];

interface FoundTable {
  schema: string;
  table: string;
  columns: Set<string>;
  /** The columns of a date and time type. */
  timeColumns: Set<string>;
}

/**
 * Where each candidate table is, with its columns and which of them hold times: every schema but the system's
 * on PostgreSQL, the current database on MySQL.
 */
async function findTables(session: DbSession): Promise<FoundTable[]> {
  const sql =
    session.engine === 'postgres'
      ? `SELECT n.nspname, c.relname, json_agg(json_build_array(a.attname, t.typcategory = 'D') ORDER BY a.attnum)::text
           FROM pg_catalog.pg_class c
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
          WHERE c.relkind IN ('r', 'p', 'v') AND c.relname = ANY($1::text[])
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          GROUP BY n.nspname, c.relname
          ORDER BY n.nspname = current_schema() DESC, n.nspname, c.relname`
      : `SELECT TABLE_SCHEMA, TABLE_NAME, JSON_ARRAYAGG(JSON_ARRAY(LOWER(COLUMN_NAME), DATA_TYPE IN ('datetime', 'timestamp')))
           FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${TABLE_NAMES.map(() => '?').join(', ')})
          GROUP BY TABLE_SCHEMA, TABLE_NAME
          ORDER BY TABLE_NAME`;
  const result = await session.query(sql, session.engine === 'postgres' ? [TABLE_NAMES] : TABLE_NAMES);
  return result.rows.map((row) => {
    const [schema, table, columns] = row as string[];
    // PostgreSQL says true/false, MySQL 1/0.
    const list = JSON.parse(columns!) as [string, boolean | number][];
    return { schema: schema!, table: table!, columns: new Set(list.map(([name]) => name)), timeColumns: new Set(list.filter(([, time]) => time).map(([name]) => name)) };
  });
}

/** Milliseconds since 1970 as text: both engines read a zone-less timestamp in the session's zone, as the tool wrote it. */
function instant(engine: Engine, column: string): string {
  const quoted = quoteIdent(engine, column);
  return engine === 'postgres'
    ? `(extract(epoch FROM ${quoted}::timestamptz) * 1000)::bigint::text`
    : `CAST(ROUND(UNIX_TIMESTAMP(${quoted}) * 1000) AS CHAR)`;
}

function asText(engine: Engine, column: string): string {
  const quoted = quoteIdent(engine, column);
  return engine === 'postgres' ? `${quoted}::text` : `CAST(${quoted} AS CHAR)`;
}

async function readTable(session: DbSession, shape: ToolShape, schema: string, columns: string[]): Promise<ForeignHistory> {
  const { engine } = session;
  const target = engine === 'postgres' ? qualifiedName(engine, [schema, shape.table]) : quoteIdent(engine, shape.table);
  const select = columns.map((c) => (shape.times.includes(c) ? instant(engine, c) : asText(engine, c)));
  const newestFirst = shape.order.map((c) => `${quoteIdent(engine, c)} DESC`).join(', ');
  const [rows, count] = await Promise.all([
    session.query(`SELECT ${select.join(', ')} FROM ${target} ORDER BY ${newestFirst} LIMIT ${FOREIGN_HISTORY_LIMIT}`),
    session.query(`SELECT COUNT(*) FROM ${target}`),
  ]);
  const entries = rows.rows.reverse().map((values) => toEntry(shape, columns, values));
  return { tool: shape.tool, table: engine === 'postgres' ? `${schema}.${shape.table}` : shape.table, entries, total: Number(count.rows[0]![0]) };
}

function toEntry(shape: ToolShape, columns: string[], values: CellValue[]): ForeignHistoryEntry {
  const row: Row = {};
  columns.forEach((column, n) => {
    const value = values[n];
    row[column] = typeof value === 'string' ? value : null;
  });
  const extra: Record<string, string> = {};
  for (const column of columns) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    extra[column] = shape.times.includes(column) ? iso(value)! : value;
  }
  return { tool: shape.tool, ...shape.entry(row), extra };
}

/**
 * Every other tool's history table in the database, with its rows, oldest first. On PostgreSQL the same table
 * in several schemas is read once per schema. Run outside a transaction: a table that fails to read is skipped.
 */
export async function readForeignHistories(session: DbSession): Promise<ForeignHistory[]> {
  const found = await findTables(session);
  const histories: ForeignHistory[] = [];
  for (const { schema, table, columns, timeColumns } of found) {
    // The right names with other types (a text `installed_on`) are not the tool's table either.
    const shape = SHAPES.find(
      (s) => s.table === table && s.columns.every((c) => columns.has(c)) && s.times.every((c) => timeColumns.has(c)) && (s.matches?.(columns) ?? true),
    );
    if (!shape) continue;
    // A value the tool could not have written (a time out of range) skips the table rather than failing the timeline.
    const history = await readTable(session, shape, schema, [...columns]).catch(() => undefined);
    if (history) histories.push(history);
  }
  return histories;
}
