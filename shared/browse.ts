/**
 * The table-browsing part of the contract: a row source per opened table or view ("browse view"), read by
 * row index in the current server-side sort and filter, and the Structure of a table. A view belongs to the
 * client that opened it and closes when that client goes away.
 */
import { z } from 'zod';
import { idSchema, LIMITS, method } from './contract.ts';
import type { CellValue } from './values.ts';

export type BrowseRelationKind = 'table' | 'partitioned-table' | 'view' | 'materialized-view' | 'foreign-table';

/** A coarse class of a column's type, for alignment and for what a filter value must look like. */
export type ColumnTypeClass = 'integer' | 'decimal' | 'float' | 'boolean' | 'text' | 'date-time' | 'json' | 'binary' | 'other';

/** How the server fills a column itself. `stored` and `virtual` (generated expressions) cannot be written. */
export type ColumnGeneration = 'stored' | 'virtual' | 'identity-always' | 'identity-by-default' | 'auto-increment';

/** The server computes the column and refuses a value for it: generated expressions and GENERATED ALWAYS identities. */
export function neverWritten(generated: ColumnGeneration | null): boolean {
  return generated === 'stored' || generated === 'virtual' || generated === 'identity-always';
}

/** Where a table is, with its address in the schema tree (for opening it in a tab). */
export interface TableRef {
  database: string;
  /** PostgreSQL schema; null on MySQL, where the database is the schema. */
  schema: string | null;
  name: string;
  /** Its node path in the tree, as `schema/children` lists it. */
  path: string[];
}

export interface BrowseColumn {
  name: string;
  /** The declared type as the engine writes it: `character varying(160)`, `int(10) unsigned`. */
  type: string;
  typeClass: ColumnTypeClass;
  nullable: boolean;
  /** The default expression as the server shows it; null when there is none. */
  default: string | null;
  generated: ColumnGeneration | null;
  /** Part of the paging key (the primary key, or the unique key used instead of one). */
  inKey: boolean;
  /** An enum's labels in declared order (a MySQL `set(…)` takes any of them, comma-separated); absent for other types. */
  allowedValues?: string[];
}

/** The columns that identify a row: the primary key, else a unique key on NOT NULL columns. */
export interface RowKey {
  kind: 'primary' | 'unique';
  name: string;
  columns: string[];
}

/** A foreign key out of the browsed table: a cell of `columns` links to the row of `references` it names. */
export interface ForeignKeyLink {
  name: string;
  columns: string[];
  references: TableRef;
  referencedColumns: string[];
}

/** A row count: the planner's estimate (`exact: false`), or counted. `rows: null` when not even an estimate is known. */
export interface RowTotal {
  rows: number | null;
  exact: boolean;
}

/**
 * How windows are read: `keyset` from the nearest known row (needs a key, and a sort the server can compare
 * back exactly), `offset` otherwise (no key, or a sort column whose text does not compare back exactly).
 */
export type PagingMode = 'keyset' | 'offset';

/** A parameter as shown beside its SQL: text, NULL, or bytes as `\x…` hex. */
export type SqlParam = string | null;

export interface ShownStatement {
  sql: string;
  params: SqlParam[];
  elapsedMs: number;
}

export interface BrowseTableInfo {
  viewId: string;
  /** Bumped by every `browse/query`; windows carry the generation they were read for. */
  generation: number;
  table: TableRef & { kind: BrowseRelationKind };
  columns: BrowseColumn[];
  /** Null: no key, so rows cannot be told apart (read-only for edits; paged by OFFSET). */
  key: RowKey | null;
  paging: PagingMode;
  foreignKeys: ForeignKeyLink[];
  /** Never a COUNT(*) of a big table: the planner's estimate, exact only for tiny tables. */
  total: RowTotal;
  /** The SELECT the view runs (without its paging clauses), for "show the SQL". */
  sql: string;
}

export interface BrowseQueryInfo {
  generation: number;
  /** The SELECT with the new sort and filters, without paging clauses; `$1`/`?` stand for `params`. */
  sql: string;
  params: SqlParam[];
  paging: PagingMode;
  /**
   * A fresh estimate for the filtered rows (the planner's), or the table's total when nothing is filtered,
   * read again (a query is also a refresh). An exact count from `browse/count` lasts until the next query.
   */
  total: RowTotal;
}

/**
 * Rows `[start, start + rows.length)` in the current order. Fewer rows than asked means the data ends there
 * (`atEnd`). `total` is the best knowledge after this read: it turns exact when a read meets the end, and
 * grows past an estimate that was too small.
 */
export interface BrowseWindow {
  generation: number;
  rows: CellValue[][];
  start: number;
  /**
   * False when the window's index is a guess, and the rows are still the right rows in the right order:
   * placed from the end of the table while the total is only an estimate (their distance from the end is
   * exact), or a far jump into a big table placed by interpolation (the rows around it, read while
   * scrolling from it, follow one another exactly). The grid numbers them `≈n`.
   */
  startExact: boolean;
  /**
   * Grows when the view learns that rows it placed before are elsewhere (a far jump's guess met the first
   * row, or rows placed from the end when the estimated total changed): windows read under a smaller number
   * may show rows that have moved since, and are worth reading again.
   */
  placement: number;
  atEnd: boolean;
  total: RowTotal;
  /** The statement that read the rows; `statements` lists every one the read ran, this one first. */
  sql: string;
  params: SqlParam[];
  statements: ShownStatement[];
  elapsedMs: number;
}

export interface BrowseCount {
  generation: number;
  total: RowTotal;
  sql: string;
  params: SqlParam[];
  elapsedMs: number;
}

export interface StructureColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** The default; a generated column's expression is not one. */
  default: string | null;
  generated: ColumnGeneration | null;
  /** The expression of a generated column. */
  generationExpression: string | null;
  comment: string | null;
}

export interface KeyConstraint {
  name: string;
  columns: string[];
}

export interface IndexInfo {
  name: string;
  /** Column names, or the expression's text for an expression part. */
  columns: string[];
  /** `btree`, `gin`, `hash`… on PostgreSQL; `BTREE`, `FULLTEXT`… on MySQL. */
  method: string;
  unique: boolean;
  primary: boolean;
  /** The WHERE of a partial index. */
  predicate: string | null;
  /** The whole `CREATE INDEX` where the engine can give it. */
  definition: string | null;
}

export interface ForeignKeyInfo {
  name: string;
  /** The referencing table and columns. */
  table: TableRef;
  columns: string[];
  references: TableRef;
  referencedColumns: string[];
  onUpdate: string;
  onDelete: string;
}

export interface CheckConstraint {
  name: string;
  expression: string;
}

export interface TriggerInfo {
  name: string;
  /** BEFORE, AFTER, INSTEAD OF. */
  timing: string;
  /** INSERT, UPDATE, DELETE, TRUNCATE. */
  events: string[];
  level: 'row' | 'statement';
  enabled: boolean;
  /** `CREATE TRIGGER …` on PostgreSQL; the action statement on MySQL. */
  definition: string;
}

export interface PartitionInfo {
  table: TableRef;
  /** `FOR VALUES FROM (…) TO (…)`, `DEFAULT`… */
  bound: string;
}

export interface TableStructure {
  table: TableRef & { kind: BrowseRelationKind };
  comment: string | null;
  columns: StructureColumn[];
  primaryKey: KeyConstraint | null;
  uniqueConstraints: KeyConstraint[];
  indexes: IndexInfo[];
  /** Foreign keys out of this table. */
  foreignKeys: ForeignKeyInfo[];
  /** Foreign keys of other tables (or this one) that reference this table. */
  referencedBy: ForeignKeyInfo[];
  checks: CheckConstraint[];
  triggers: TriggerInfo[];
  /** The SELECT of a view or materialized view. */
  viewDefinition: string | null;
  /** `RANGE (at)`… of a PostgreSQL partitioned table. */
  partitionKey: string | null;
  partitions: PartitionInfo[];
  /** The parent, when this table is a partition. */
  partitionOf: PartitionInfo | null;
}

export const FILTER_OPERATORS = ['=', '<>', '<', '<=', '>', '>=', 'contains', 'like', 'ilike', 'in', 'is-null', 'is-not-null', 'between'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const MAX_WINDOW_ROWS = 2000;

const treePath = z.array(z.string().max(LIMITS.name)).min(1).max(LIMITS.treeDepth);
const columnName = z.string().min(1).max(LIMITS.name);
const filterValue = z.string().max(64 * 1024);
const listValue = z.string().max(LIMITS.text);

const sortSchema = z.strictObject({ column: columnName, direction: z.enum(['asc', 'desc']) });

/**
 * One column filter. `contains` is a case-insensitive substring of the value's text form; `like` and `ilike`
 * take the user's own `%` and `_`; `ilike` is PostgreSQL's only.
 */
export const filterSchema = z.discriminatedUnion('op', [
  z.strictObject({ column: columnName, op: z.enum(['=', '<>', '<', '<=', '>', '>=', 'contains', 'like', 'ilike']), value: filterValue }),
  z.strictObject({ column: columnName, op: z.literal('in'), values: z.array(listValue).min(1).max(1000) }),
  z.strictObject({ column: columnName, op: z.literal('between'), values: z.tuple([filterValue, filterValue]) }),
  z.strictObject({ column: columnName, op: z.enum(['is-null', 'is-not-null']) }),
]);

export type BrowseSort = z.infer<typeof sortSchema>;
export type BrowseFilter = z.infer<typeof filterSchema>;

export const browseMethods = {
  /** Opens a table, view or materialized view (a tree path) as a row source owned by the caller. */
  'browse/open': method<BrowseTableInfo>()(z.strictObject({ connectionId: idSchema, path: treePath })),
  /**
   * Sets the view's sort and filters (all AND-ed, then `where` as `AND (…)`) and starts its paging afresh.
   * A filter value that does not fit its column is refused here, and the view keeps its previous query.
   */
  'browse/query': method<BrowseQueryInfo>()(
    z.strictObject({
      viewId: idSchema,
      sort: z.array(sortSchema).max(32),
      filters: z.array(filterSchema).max(64),
      where: z.string().max(64 * 1024).optional(),
    }),
  ),
  /** Rows by index in the current order: `[start, start + count)`, or fewer at the end. */
  'browse/rows': method<BrowseWindow>()(
    z.strictObject({
      viewId: idSchema,
      start: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      count: z.number().int().min(1).max(MAX_WINDOW_ROWS),
    }),
  ),
  /** The exact number of rows with the current filters (a COUNT(*), on request only). */
  'browse/count': method<BrowseCount>()(z.strictObject({ viewId: idSchema })),
  'browse/close': method<Record<string, never>>()(z.strictObject({ viewId: idSchema })),
  /** Columns, keys, indexes, foreign keys both ways, checks, triggers, view definition and partitions. */
  'browse/structure': method<TableStructure>()(z.strictObject({ connectionId: idSchema, path: treePath })),
};
