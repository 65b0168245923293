/**
 * The statements a row source runs, built from its current query: the window SELECT (in the order or its
 * reverse, from a keyset segment, with LIMIT/OFFSET), the COUNT, the planner's estimate, and the check of
 * filter values. Pure: no session here, so the SQL can be read and tested as text.
 */
import type { PagingMode, SqlParam } from '../../../shared/browse.ts';
import { renderFilter, type ResolvedFilter } from './filters.ts';
import type { BrowseDialect } from './dialect.ts';
import { orderByList, renderPredicate, reverseOrder, type OrderTerm, type Predicate } from './keyset.ts';
import { StatementBuilder } from './statement.ts';
import type { TableMeta } from './table-meta.ts';

/** A view's current sort and filters, resolved against its columns. */
export interface ViewQuery {
  meta: TableMeta;
  filters: ResolvedFilter[];
  /** The raw WHERE text, appended as `AND (…)`. */
  where: string | null;
  /** The user's sort, then the key's columns not in it: a total order when the table has a key. */
  order: OrderTerm[];
  /** Ties of a sorted table without a key are broken by the row address (PostgreSQL), so OFFSET pages are stable. */
  addressTieBreak: boolean;
  mode: PagingMode;
  /** The order is total (a key ends it), so it can be read from the end too. */
  reversible: boolean;
}

export interface BuiltStatement {
  sql: string;
  values: unknown[];
  params: SqlParam[];
}

export interface SelectOptions {
  /** Read in the reverse of the order (from the end, or backwards from an anchor). */
  backward?: boolean;
  segment?: Predicate;
  limit?: number;
  offset?: number;
}

function built(sql: string, builder: StatementBuilder): BuiltStatement {
  return { sql, values: builder.values, params: builder.shown };
}

/** A line comment in the raw text would swallow what follows it on the same line. */
function rawCondition(where: string): string {
  return where.includes('--') ? `(${where}\n)` : `(${where})`;
}

function whereClause(query: ViewQuery, sql: StatementBuilder, segment?: Predicate): string {
  const parts = query.filters.map((f) => renderFilter(f, sql));
  if (query.where !== null) parts.push(rawCondition(query.where));
  if (segment) {
    const text = renderPredicate(segment, sql);
    parts.push(segment.kind === 'or' ? `(${text})` : text);
  }
  return parts.length ? `\nWHERE ${parts.join('\n  AND ')}` : '';
}

function orderClause(query: ViewQuery, sql: StatementBuilder, backward: boolean): string {
  const terms = orderByList(backward ? reverseOrder(query.order) : query.order, sql);
  if (query.addressTieBreak && query.order.length > 0) {
    const direction = backward ? 'DESC' : 'ASC';
    if (query.meta.partitioned) terms.push(`tableoid ${direction}`);
    terms.push(`ctid ${direction}`);
  }
  return terms.length ? `\nORDER BY ${terms.join(', ')}` : '';
}

function pageClause(limit?: number, offset?: number): string {
  if (limit === undefined) return '';
  return `\nLIMIT ${limit}${offset ? ` OFFSET ${offset}` : ''}`;
}

export function buildSelect(query: ViewQuery, dialect: BrowseDialect, options: SelectOptions = {}): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const where = whereClause(query, sql, options.segment);
  const text = `SELECT * FROM ${query.meta.sqlName}${where}${orderClause(query, sql, Boolean(options.backward))}${pageClause(options.limit, options.offset)}`;
  return built(text, sql);
}

/**
 * The order's values of the one row `offset` places along the order (or its reverse): a seek. Only the order's
 * columns are read, so the server can skip the rows before it in an index alone (an index-only scan on
 * PostgreSQL), without fetching each skipped row whole as `SELECT *` with the same OFFSET would.
 */
export function buildSeek(query: ViewQuery, dialect: BrowseDialect, options: { backward: boolean; segment?: Predicate; offset: number }): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const columns = query.order.map((t) => sql.ident(t.column.name)).join(', ');
  const where = whereClause(query, sql, options.segment);
  const text = `SELECT ${columns} FROM ${query.meta.sqlName}${where}${orderClause(query, sql, options.backward)}${pageClause(1, options.offset)}`;
  return built(text, sql);
}

/** COUNT(*) of the filtered rows; with `cap`, of at most `cap` of them (how many a segment holds, up to an offset). */
export function buildCount(query: ViewQuery, dialect: BrowseDialect, options: { segment?: Predicate; cap?: number } = {}): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const where = whereClause(query, sql, options.segment);
  const text =
    options.cap === undefined
      ? `SELECT count(*) FROM ${query.meta.sqlName}${where}`
      : `SELECT count(*) FROM (SELECT 1 FROM ${query.meta.sqlName}${where}\nLIMIT ${options.cap}) AS capped`;
  return built(text, sql);
}

/** The planner's estimate of the filtered rows, without running the query. */
export function buildExplain(query: ViewQuery, dialect: BrowseDialect): BuiltStatement & { prefixLength: number } {
  const select = buildSelect({ ...query, order: [] }, dialect);
  const prefix = dialect.engine === 'postgres' ? 'EXPLAIN (FORMAT JSON) ' : 'EXPLAIN FORMAT=JSON ';
  return { ...select, sql: prefix + select.sql, prefixLength: prefix.length };
}

/** A statement that reads no row but makes the server read each value as its column's type (PostgreSQL). */
export function buildValueCheck(query: ViewQuery, dialect: BrowseDialect, filters: ResolvedFilter[]): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const text = `SELECT 1 FROM ${query.meta.sqlName} WHERE ${filters.map((f) => renderFilter(f, sql)).join(' AND ')} LIMIT 0`;
  return built(text, sql);
}

/**
 * The leading sort column's smallest and largest values (each one probe of an index on it), and, for a nullable
 * column, how many of its values are NULL, counted up to `nullCap` (what a far jump interpolates between, jump.ts).
 */
export function buildLeadRange(query: ViewQuery, dialect: BrowseDialect, nullCap: number): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const lead = query.order[0]!.column;
  const column = sql.ident(lead.name);
  const nulls = lead.nullable ? `, (SELECT count(*) FROM (SELECT 1 FROM ${query.meta.sqlName} WHERE ${column} IS NULL LIMIT ${nullCap}) AS nulls)` : ', 0';
  return built(`SELECT MIN(${column}), MAX(${column})${nulls} FROM ${query.meta.sqlName}`, sql);
}

/** Whether the leading sort column is the first column of a B-tree index (so MIN, MAX and a range on it are index reads). */
export function buildLeadIndexed(query: ViewQuery, dialect: BrowseDialect): BuiltStatement {
  const sql = new StatementBuilder(dialect);
  const lead = query.order[0]!.column.name;
  const { table, sqlName } = query.meta;
  if (dialect.engine === 'postgres') {
    const relation = sql.param(sqlName);
    const text = `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
  WHERE i.indrelid = ${relation}::regclass AND a.attname = ${sql.param(lead)} AND i.indpred IS NULL AND am.amname = 'btree')`;
    return built(text, sql);
  }
  const text = `SELECT EXISTS (SELECT 1 FROM information_schema.STATISTICS
  WHERE TABLE_SCHEMA = ${sql.param(table.database)} AND TABLE_NAME = ${sql.param(table.name)} AND COLUMN_NAME = ${sql.param(lead)}
    AND SEQ_IN_INDEX = 1 AND INDEX_TYPE = 'BTREE')`;
  return built(text, sql);
}
