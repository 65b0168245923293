/**
 * Where a query result's rows come from, so the grid can edit them: exactly one table (or updatable view),
 * with its key among the result's columns. The server says which table column each result column is
 * (PostgreSQL's table oid and column number, MySQL's database, table and column); the statement's plan says
 * whether the rows are read from that one table alone (a join of a table with itself, or with another table
 * whose columns are not shown, reads more than one). Anything else is read-only, with a one-line reason.
 *
 * The catalog is read on a connection of the tab's own (its statement's cursor may still be open on the
 * tab's connection), with short lock and statement timeouts, so a lock held by the tab's work cannot block it.
 */
import type { BrowseColumn } from '../../../shared/browse.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { quoteIdent } from '../../../shared/identifiers.ts';
import type { ResultOrigin } from '../../../shared/sessions.ts';
import type { ColumnInfo } from '../../../shared/values.ts';
import { number, text } from '../browse/catalog-values.ts';
import { readMysqlMeta } from '../browse/meta-mysql.ts';
import { readPostgresMeta } from '../browse/meta-postgres.ts';
import type { TableMeta } from '../browse/table-meta.ts';
import { scannedRelations, type PlanNode } from '../browse/view-key.ts';
import type { ColumnSource, DbSession } from '../drivers/driver.ts';

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'mysql', 'performance_schema', 'sys']);
const EDITABLE_PG_KINDS = new Set(['r', 'p', 'v', 'f']);

export const readOnlyOrigin = (why: string): ResultOrigin => ({ editable: false, reason: `Read-only: ${why}` });

/** Timeouts for the catalog connection: it answers quickly or not at all. */
export async function limitCatalogSession(session: DbSession): Promise<void> {
  const settings =
    session.engine === 'postgres'
      ? ["SET statement_timeout = '5s'", "SET lock_timeout = '2s'"]
      : ['SET SESSION lock_wait_timeout = 2', 'SET SESSION max_statement_time = 5', 'SET SESSION max_execution_time = 5000'];
  // MariaDB and MySQL each know one of the statement limits.
  for (const setting of settings) await session.query(setting).catch(() => undefined);
}

const list = (names: string[]) => [...new Set(names)].join(', ');

/** Whether a plan joins (rather than appends, as a UNION does) the relations it scans. */
const joins = (node: PlanNode): boolean => /Join|Nested Loop/.test(node['Node Type'] ?? '') || (node.Plans ?? []).some(joins);

/** The result's columns mapped onto the table's, and the key check. */
function mapOnto(meta: TableMeta, shown: (string | null)[], display: string): ResultOrigin {
  const columns: (BrowseColumn | null)[] = shown.map((name) => {
    const column = name === null ? undefined : meta.columns.find((c) => c.name === name);
    if (!column) return null;
    const { name: own, type, typeClass, nullable, default: value, generated, inKey } = column;
    return { name: own, type, typeClass, nullable, default: value, generated, inKey };
  });
  if (!meta.key) {
    return readOnlyOrigin(
      meta.table.kind === 'view'
        ? `the view ${display} is not one the server can update, or does not show its table's key`
        : `${display} has no primary or unique key, so its rows cannot be told apart`,
    );
  }
  const missing = meta.key.columns.filter((k) => !columns.some((c) => c?.name === k));
  if (missing.length > 0) return readOnlyOrigin(`no key column in the result (${display} is keyed by ${meta.key.columns.join(', ')})`);
  return { editable: true, table: meta.table, columns, key: meta.key.columns };
}

/** A table as the origin check reads it once: where it is, what it is, and (for one that can be edited) its meta. */
interface CachedTable {
  display: string;
  /** PostgreSQL: `r`, `p`, `v`, `m`, `f`…; MySQL: the meta's kind. */
  kind: string;
  /** Null for a relation that is never edited (a system catalog, a materialized view): `readOnly` says why. */
  meta: TableMeta | null;
  readOnly?: string;
  /** PostgreSQL: column numbers to the names of columns that can be written. */
  names: Map<number, string>;
  /** PostgreSQL, a partitioned table: the names of the relations its rows are read through. */
  partitions?: Set<string>;
}

/**
 * What was read of each table, kept for the tab's session: a statement that changes anything (a command)
 * clears it. A stale entry is harmless: an apply reads the table again and refuses what no longer fits.
 */
export type TableCache = Map<string, Promise<CachedTable | null>>;

function cached(cache: TableCache, key: string, read: () => Promise<CachedTable | null>): Promise<CachedTable | null> {
  let entry = cache.get(key);
  if (!entry) {
    entry = read();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

async function readPostgresTable(catalog: DbSession, oid: string): Promise<CachedTable | null> {
  const relation = await catalog.query(
    'select n.nspname, c.relname, c.relkind, current_database() from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = $1::oid',
    [oid],
  );
  const row = relation.rows[0];
  if (!row) return null;
  const [schema, name, kind, database] = [text(row[0]), text(row[1]), text(row[2]), text(row[3])];
  const display = schema === 'public' ? name : `${schema}.${name}`;
  if (SYSTEM_SCHEMAS.has(schema)) return { display, kind, meta: null, readOnly: `${display} is a system catalog`, names: new Map() };
  if (!EDITABLE_PG_KINDS.has(kind)) return { display, kind, meta: null, readOnly: `${display} is a materialized view: refresh it, do not edit it`, names: new Map() };
  // A view's column that is an expression there cannot be written: it is no table column.
  const attributes = await catalog.query(
    'select attnum, attname from pg_attribute where attrelid = $1 and attnum > 0 and not attisdropped and pg_column_is_updatable(attrelid, attnum, false)',
    [oid],
  );
  const meta = await readPostgresMeta(catalog, { database, schema, name }, (part) => quoteIdent('postgres', part));
  const names = new Map(attributes.rows.map((r) => [number(r[0]), text(r[1])]));
  if (kind !== 'p') return { display, kind, meta, names };
  const partitions = await catalog.query('select c.relname from pg_partition_tree($1::oid) t join pg_class c on c.oid = t.relid', [oid]);
  return { display, kind, meta, names, partitions: new Set(partitions.rows.map((r) => text(r[0]))) };
}

async function postgresOrigin(catalog: DbSession, sql: string, sources: ColumnSource[], cache: TableCache): Promise<ResultOrigin> {
  const shown = sources.map((s) => (s && 'tableOid' in s ? s : null));
  const oids = [...new Set(shown.filter((s) => s !== null).map((s) => String(s.tableOid)))];
  if (oids.length === 0) return readOnlyOrigin('no column of the result is a column of a table');
  if (oids.length > 1) {
    const names = await catalog.query('select relname from pg_class where oid = any($1::oid[]) order by relname', [oids]);
    return readOnlyOrigin(`joins ${oids.length} tables (${list(names.rows.map((r) => text(r[0])))})`);
  }
  const table = await cached(cache, oids[0]!, () => readPostgresTable(catalog, oids[0]!));
  if (!table) return readOnlyOrigin('the table the rows come from is not visible outside this tab (a temporary table, or one made in its open transaction)');
  if (!table.meta) return readOnlyOrigin(table.readOnly!);
  const { meta, kind, display, names, partitions } = table;
  const explained = await catalog.query(`EXPLAIN (FORMAT JSON)\n${sql}`);
  const plan = (JSON.parse(text(explained.rows[0]?.[0])) as { Plan: PlanNode }[])[0]!.Plan;
  let scans = scannedRelations(plan);
  // A partitioned table is read through its partitions.
  if (partitions) {
    const others = scans.filter((s) => !partitions.has(s['Relation Name']!));
    scans = others.length === 0 && scans.length > 0 ? [{ ...scans[0]!, 'Relation Name': meta.table.name }] : others;
  }
  if (scans.length > 1) {
    // A join names its tables as the statement does (with aliases); scans appended (inheritance) have made-up aliases.
    const joined = joins(plan);
    const what = scans.map((s) => (joined && s.Alias && s.Alias !== s['Relation Name'] ? `${s['Relation Name']} ${s.Alias}` : s['Relation Name']!));
    return readOnlyOrigin(`${joined ? 'joins' : 'combines'} ${scans.length} tables (${list(what)})`);
  }
  // A view is read through its base table; a table must be read itself (not through a materialized CTE).
  if (scans.length === 0 || (kind !== 'v' && scans[0]!['Relation Name'] !== meta.table.name)) return readOnlyOrigin(`the rows are not read from ${display} directly`);
  return mapOnto(meta, shown.map((s) => (s ? (names.get(s.attnum) ?? null) : null)), display);
}

async function mysqlOrigin(catalog: DbSession, sql: string, sources: ColumnSource[], cache: TableCache): Promise<ResultOrigin> {
  const shown = sources.map((s) => (s && 'alias' in s ? s : null));
  const tables = new Map(shown.filter((s) => s !== null).map((s) => [`${s.database}.${s.table}.${s.alias}`, s]));
  if (tables.size === 0) return readOnlyOrigin('no column of the result is a column of a table');
  if (tables.size > 1) return readOnlyOrigin(`joins ${tables.size} tables (${list([...tables.values()].map((s) => (s.alias === s.table ? s.table : `${s.table} ${s.alias}`)))})`);
  const source = [...tables.values()][0]!;
  const address = { database: source.database, schema: null, name: source.table };
  if (SYSTEM_SCHEMAS.has(source.database.toLowerCase())) return readOnlyOrigin(`${source.table} is a system table`);
  const table = await cached(cache, `${source.database}.${source.table}`, () =>
    readMysqlMeta(catalog, address, (part) => quoteIdent('mysql', part)).then(
      (meta) => ({ display: source.table, kind: meta.table.kind, meta, names: new Map() }),
      // Not a table of that name: a derived table or CTE.
      (error: unknown) => (error instanceof CabinetError && error.code === 'NOT_FOUND' ? null : Promise.reject(error)),
    ),
  );
  const meta = table?.meta;
  if (!meta) return readOnlyOrigin(`the rows come from a subquery or CTE (${source.table}), not from a table`);
  const explained = await catalog.query(`EXPLAIN ${sql}`);
  const at = (name: string) => explained.columns.findIndex((c) => c.name === name);
  const [tableAt, typeAt] = [at('table'), at('select_type')];
  const scans = explained.rows.filter((r) => r[tableAt] !== null && !/SUBQUERY|UNION RESULT/i.test(text(r[typeAt])));
  if (scans.length > 1) {
    // Scans of one SELECT are joined; of several (a UNION), combined.
    const joined = new Set(scans.map((r) => text(r[at('id')]))).size === 1;
    return readOnlyOrigin(`${joined ? 'joins' : 'combines'} ${scans.length} tables (${list(scans.map((r) => text(r[tableAt])))})`);
  }
  // A table must be read under the name the result gives it (a derived table of the same name is not it); a view is read through its base table.
  if (scans.length === 0 || (meta.table.kind !== 'view' && text(scans[0]![tableAt]) !== source.alias)) {
    return readOnlyOrigin(`the rows are not read from ${source.table} directly`);
  }
  return mapOnto(meta, shown.map((s) => s?.column ?? null), source.table);
}

/** Whether a result can be edited, read on `catalog` (a connection beside the tab's, on the same database). */
export async function findResultOrigin(catalog: DbSession, sql: string, columns: readonly ColumnInfo[], sources: ColumnSource[], cache: TableCache): Promise<ResultOrigin> {
  if (sources.length !== columns.length) return readOnlyOrigin('the server did not say where the columns come from');
  try {
    return catalog.engine === 'postgres' ? await postgresOrigin(catalog, sql, sources, cache) : await mysqlOrigin(catalog, sql, sources, cache);
  } catch (error) {
    return readOnlyOrigin(`where the rows come from could not be told (${error instanceof Error ? error.message : String(error)})`);
  }
}
