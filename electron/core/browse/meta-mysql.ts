/**
 * What a MySQL/MariaDB row source reads when a table is opened, from information_schema: the relation, its
 * columns, the paging key, the foreign keys out of it, and a row total from the engine's statistics.
 */
import type { BrowseRelationKind, ColumnGeneration, ColumnTypeClass, ForeignKeyLink, RowKey, RowTotal } from '../../../shared/browse.ts';
import type { DbSession } from '../drivers/driver.ts';
import { number, text, textOrNull } from './catalog-values.ts';
import { notFound, tableRef, type TableAddress } from './table-path.ts';
import type { ColumnMeta, TableMeta } from './table-meta.ts';
import { mysqlViewKey } from './view-key.ts';

/** A table whose data is this small is counted exactly on open. */
export const TINY_TABLE_BYTES = 1024 * 1024;

export interface MysqlRelation {
  kind: BrowseRelationKind;
  /** InnoDB's estimate (exact for MyISAM/Aria); null for a view. */
  tableRows: number | null;
  dataBytes: number | null;
  comment: string | null;
}

export async function findMysqlRelation(session: DbSession, address: TableAddress): Promise<MysqlRelation> {
  const r = await session.query(
    `select TABLE_TYPE, TABLE_ROWS, DATA_LENGTH, TABLE_COMMENT from information_schema.TABLES where TABLE_SCHEMA = ? and TABLE_NAME = ?`,
    [address.database, address.name],
  );
  const row = r.rows[0];
  if (!row) throw notFound(address);
  const view = text(row[0]) === 'VIEW';
  return {
    kind: view ? 'view' : 'table',
    tableRows: view || row[1] === null ? null : number(row[1]),
    dataBytes: view || row[2] === null ? null : number(row[2]),
    comment: textOrNull(row[3]) || null,
  };
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit']);
const DATE_TYPES = new Set(['date', 'datetime', 'timestamp', 'time']);

export function mysqlTypeClass(dataType: string): ColumnTypeClass {
  if (INTEGER_TYPES.has(dataType)) return 'integer';
  if (dataType === 'decimal' || dataType === 'numeric') return 'decimal';
  if (dataType === 'float' || dataType === 'double' || dataType === 'real') return 'float';
  if (TEXT_TYPES.has(dataType)) return 'text';
  if (BINARY_TYPES.has(dataType)) return 'binary';
  if (DATE_TYPES.has(dataType)) return 'date-time';
  if (dataType === 'json') return 'json';
  return 'other';
}

export function mysqlGeneration(extra: string): ColumnGeneration | null {
  if (/\bauto_increment\b/i.test(extra)) return 'auto-increment';
  if (/\bvirtual\b/i.test(extra)) return 'virtual';
  if (/\b(stored|persistent)\b/i.test(extra)) return 'stored';
  return null;
}

/**
 * MariaDB writes a default as an expression (`'x'`, `NULL`, `current_timestamp()`); MySQL writes the bare
 * value and SQL NULL for none. An unquoted NULL from MariaDB is "no default" too.
 */
export function mysqlDefault(value: string | null, mariadb: boolean): string | null {
  if (value === null) return null;
  return mariadb && value === 'NULL' ? null : value;
}

const MYSQL_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', Z: '\x1a' };

/**
 * The members of `enum('a','it''s')` or `set(…)` as COLUMN_TYPE writes them: string literals, a quote doubled
 * and a backslash escaped inside a member. Undefined for any other type.
 */
export function mysqlAllowedValues(columnType: string): string[] | undefined {
  const list = /^(?:enum|set)\((.*)\)$/is.exec(columnType)?.[1];
  if (list === undefined) return undefined;
  return [...list.matchAll(/'((?:[^'\\]|''|\\.)*)'/gs)].map((m) =>
    m[1]!.replace(/''|\\(.)/gs, (_escape, char?: string) => (char === undefined ? "'" : (MYSQL_ESCAPES[char] ?? char))),
  );
}

export const isMariadb = (session: DbSession) => /mariadb/i.test(session.serverVersion);

/** Columns in table order; INVISIBLE ones (left out of `SELECT *`) are left out here too. */
export async function readMysqlColumns(session: DbSession, address: TableAddress) {
  const r = await session.query(
    `select COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
       from information_schema.COLUMNS where TABLE_SCHEMA = ? and TABLE_NAME = ? order by ORDINAL_POSITION`,
    [address.database, address.name],
  );
  const mariadb = isMariadb(session);
  return r.rows
    .filter((row) => !/\binvisible\b/i.test(text(row[5])))
    .map((row) => {
      const dataType = text(row[2]).toLowerCase();
      const generated = mysqlGeneration(text(row[5]));
      const expression = generated === 'virtual' || generated === 'stored';
      const allowedValues = mysqlAllowedValues(text(row[1]));
      return {
        name: text(row[0]),
        type: text(row[1]),
        ...(allowedValues ? { allowedValues } : {}),
        dataType,
        typeClass: mysqlTypeClass(dataType),
        nullable: text(row[3]) === 'YES',
        default: expression ? null : mysqlDefault(textOrNull(row[4]), mariadb),
        generated,
        generationExpression: expression ? textOrNull(row[6]) : null,
        comment: textOrNull(row[7]) || null,
      };
    });
}

/** The unique indexes, each with its columns in order (PRIMARY first). */
export async function readMysqlUniqueIndexes(session: DbSession, address: TableAddress): Promise<{ name: string; columns: (string | null)[] }[]> {
  const r = await session.query(
    `select INDEX_NAME, COLUMN_NAME from information_schema.STATISTICS
      where TABLE_SCHEMA = ? and TABLE_NAME = ? and NON_UNIQUE = 0
      order by INDEX_NAME = 'PRIMARY' desc, INDEX_NAME, SEQ_IN_INDEX`,
    [address.database, address.name],
  );
  const indexes = new Map<string, (string | null)[]>();
  for (const row of r.rows) {
    const name = text(row[0]);
    indexes.set(name, [...(indexes.get(name) ?? []), textOrNull(row[1])]);
  }
  return [...indexes].map(([name, columns]) => ({ name, columns }));
}

function chooseKey(indexes: { name: string; columns: (string | null)[] }[], columns: { name: string; nullable: boolean }[]): RowKey | null {
  const notNull = new Set(columns.filter((c) => !c.nullable).map((c) => c.name));
  const primary = indexes.find((i) => i.name === 'PRIMARY');
  if (primary) return { kind: 'primary', name: 'PRIMARY', columns: primary.columns.map(String) };
  // A functional part has no column name; a nullable column lets NULLs repeat.
  const usable = indexes.filter((i) => i.columns.every((c) => c !== null && notNull.has(c)));
  usable.sort((a, b) => a.columns.length - b.columns.length);
  const unique = usable[0];
  return unique ? { kind: 'unique', name: unique.name, columns: unique.columns.map(String) } : null;
}

async function readForeignKeys(session: DbSession, address: TableAddress): Promise<ForeignKeyLink[]> {
  const r = await session.query(
    `select CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       from information_schema.KEY_COLUMN_USAGE
      where TABLE_SCHEMA = ? and TABLE_NAME = ? and REFERENCED_TABLE_NAME is not null
      order by CONSTRAINT_NAME, ORDINAL_POSITION`,
    [address.database, address.name],
  );
  const links = new Map<string, ForeignKeyLink>();
  for (const row of r.rows) {
    const name = text(row[0]);
    let link = links.get(name);
    if (!link) {
      link = { name, columns: [], references: tableRef({ database: text(row[2]), schema: null, name: text(row[3]) }), referencedColumns: [] };
      links.set(name, link);
    }
    link.columns.push(text(row[1]));
    link.referencedColumns.push(text(row[4]));
  }
  return [...links.values()];
}

/** The planner's estimate from `EXPLAIN FORMAT=JSON` of a single-table statement; null when the plan is not that simple. */
export function mysqlPlanRows(explainJson: string): number | null {
  const block = (JSON.parse(explainJson) as { query_block?: { table?: unknown; nested_loop?: { table?: unknown }[] } }).query_block;
  const tables = block?.nested_loop ? block.nested_loop.map((n) => n.table) : [block?.table];
  if (tables.length !== 1) return null;
  const table = tables[0] as { rows?: unknown; filtered?: unknown } | undefined;
  if (typeof table?.rows !== 'number') return null;
  const filtered = typeof table.filtered === 'number' ? table.filtered : 100;
  return Math.round((table.rows * filtered) / 100);
}

async function mysqlTotal(session: DbSession, relation: MysqlRelation, sqlName: string): Promise<RowTotal> {
  if (relation.kind === 'view') return { rows: null, exact: false };
  if (relation.dataBytes !== null && relation.dataBytes <= TINY_TABLE_BYTES) {
    const r = await session.query(`select count(*) from ${sqlName}`);
    return { rows: number(r.rows[0]?.[0]), exact: true };
  }
  return { rows: relation.tableRows, exact: false };
}

/** The relation's total again, as on open. */
export async function readMysqlTotal(session: DbSession, address: TableAddress, sqlName: string): Promise<RowTotal> {
  return mysqlTotal(session, await findMysqlRelation(session, address), sqlName);
}

export async function readMysqlMeta(session: DbSession, address: TableAddress, quote: (name: string) => string): Promise<TableMeta> {
  const relation = await findMysqlRelation(session, address);
  const sqlName = `${quote(address.database)}.${quote(address.name)}`;
  const columns = await readMysqlColumns(session, address);
  const key =
    relation.kind === 'view'
      ? await mysqlViewKey(session, address.database, address.name, async (database, name) => {
          const base = { database, schema: null, name };
          return chooseKey(await readMysqlUniqueIndexes(session, base), await readMysqlColumns(session, base));
        })
      : chooseKey(await readMysqlUniqueIndexes(session, address), columns);
  const foreignKeys = relation.kind === 'view' ? [] : await readForeignKeys(session, address);
  const total = await mysqlTotal(session, relation, sqlName);
  const keyColumns = new Set(key?.columns ?? []);
  return {
    table: { ...tableRef(address, relation.kind), kind: relation.kind },
    sqlName,
    columns: columns.map((c): ColumnMeta => ({
      name: c.name,
      type: c.type,
      dataType: c.dataType,
      typeClass: c.typeClass,
      nullable: c.nullable,
      default: c.default,
      generated: c.generated,
      ...(c.allowedValues ? { allowedValues: c.allowedValues } : {}),
      inKey: keyColumns.has(c.name),
    })),
    key,
    foreignKeys,
    total,
    hasRowAddress: false,
    partitioned: false,
  };
}
