/**
 * The grid's selection as text: TSV (what Ctrl+C puts on the clipboard, for spreadsheets), CSV,
 * JSON and SQL INSERT statements, with or without a header. Pure functions over rows that are already
 * cut down to the copied columns; `formatRange` reads a range that is not loaded through the source.
 *
 * Values stay exact: numbers and dates are the server's text, bytes are `\x` and hex, and NULL is
 * distinguishable wherever the format can say so (CSV writes '' as `""` and NULL as nothing, as
 * PostgreSQL's COPY does; JSON writes null). TSV cannot: both are an empty field there.
 */
import { isBytes, type CellValue } from '../../../../shared/values.ts';

export type CopyFormat = 'tsv' | 'csv' | 'json' | 'sql';

export interface CopyColumn {
  name: string;
  type: string;
}

export interface SqlInsertOptions {
  /** The target table, already quoted by the engine's rules (e.g. `"public"."Order Items"`). */
  table: string;
  /** Quotes one column name by the engine's rules. */
  quoteIdent: (name: string) => string;
  /** Writes one value as an SQL literal; defaults to `standardSqlLiteral`. */
  quoteValue?: (value: CellValue, column: CopyColumn) => string;
}

export interface CopyOptions {
  format: CopyFormat;
  /** TSV/CSV: a first line of column names. JSON: objects keyed by name instead of arrays. SQL: a column list. */
  headers?: boolean;
  /** Required for `format: 'sql'`. */
  sql?: SqlInsertOptions;
}

/** Plain text of a value in TSV/CSV, before any quoting. NULL is empty. */
function plainText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return `\\x${value.hex}`;
}

function tsvField(value: CellValue): string {
  const text = plainText(value);
  // Spreadsheets read a quoted field as one cell even across tabs and line breaks.
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvField(value: CellValue): string {
  if (value === '') return '""';
  const text = plainText(value);
  return /[",\n\r]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toTsv(columns: readonly CopyColumn[], rows: readonly (readonly CellValue[])[], headers = false): string {
  const lines = rows.map((row) => row.map(tsvField).join('\t'));
  if (headers) lines.unshift(columns.map((c) => tsvField(c.name)).join('\t'));
  return lines.join('\n');
}

/** RFC 4180: CRLF between records. */
export function toCsv(columns: readonly CopyColumn[], rows: readonly (readonly CellValue[])[], headers = false): string {
  const lines = rows.map((row) => row.map(csvField).join(','));
  if (headers) lines.unshift(columns.map((c) => csvField(c.name)).join(','));
  return lines.join('\r\n');
}

function jsonValue(value: CellValue): string | null {
  return isBytes(value) ? `\\x${value.hex}` : value;
}

/** Unique object keys for results with repeated names (`SELECT a.id, b.id`): `id`, `id_2`. */
function uniqueKeys(columns: readonly CopyColumn[]): string[] {
  const used = new Set<string>();
  return columns.map(({ name }) => {
    let key = name;
    for (let n = 2; used.has(key); n++) key = `${name}_${n}`;
    used.add(key);
    return key;
  });
}

/** One row per line. With headers each row is an object keyed by column name, otherwise an array. */
export function toJson(columns: readonly CopyColumn[], rows: readonly (readonly CellValue[])[], headers = true): string {
  if (rows.length === 0) return '[]';
  const keys = headers ? uniqueKeys(columns) : [];
  const lines = rows.map((row) => {
    if (!headers) return JSON.stringify(row.map(jsonValue));
    const object: Record<string, string | null> = {};
    keys.forEach((key, i) => {
      object[key] = jsonValue(row[i] ?? null);
    });
    return JSON.stringify(object);
  });
  return `[\n  ${lines.join(',\n  ')}\n]`;
}

const NUMERIC_TYPE = /^(tinyint|smallint|mediumint|int|integer|bigint|int[248]|numeric|decimal|dec|real|float[48]?|double( precision)?|(small|big)?serial)\b/i;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Standard SQL literals: numbers bare in numeric columns, everything else a quoted string with ''
 * doubled, bytes as X'…'. Right for PostgreSQL text (standard_conforming_strings) but see the
 * engine-specific ones for bytes and backslashes.
 */
export function standardSqlLiteral(value: CellValue, column: CopyColumn): string {
  if (value === null) return 'NULL';
  if (isBytes(value)) return `X'${value.hex}'`;
  if (NUMERIC_TYPE.test(column.type) && NUMBER.test(value)) return value;
  return quoteString(value);
}

/** PostgreSQL: bytes as a bytea literal (X'…' would be a bit string there). */
export function postgresLiteral(value: CellValue, column: CopyColumn): string {
  if (isBytes(value)) return `'\\x${value.hex}'::bytea`;
  return standardSqlLiteral(value, column);
}

/** MySQL/MariaDB: backslash is an escape character in strings unless NO_BACKSLASH_ESCAPES is set. */
export function mysqlLiteral(value: CellValue, column: CopyColumn): string {
  if (typeof value === 'string' && !(NUMERIC_TYPE.test(column.type) && NUMBER.test(value))) {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
  }
  return standardSqlLiteral(value, column);
}

/** One INSERT per row; with headers the statement names its columns. */
export function toSqlInsert(
  columns: readonly CopyColumn[],
  rows: readonly (readonly CellValue[])[],
  options: SqlInsertOptions,
  headers = true,
): string {
  const literal = options.quoteValue ?? standardSqlLiteral;
  const target = headers ? `${options.table} (${columns.map((c) => options.quoteIdent(c.name)).join(', ')})` : options.table;
  return rows
    .map((row) => `INSERT INTO ${target} VALUES (${columns.map((column, i) => literal(row[i] ?? null, column)).join(', ')});`)
    .join('\n');
}

export function formatRows(columns: readonly CopyColumn[], rows: readonly (readonly CellValue[])[], options: CopyOptions): string {
  switch (options.format) {
    case 'tsv':
      return toTsv(columns, rows, options.headers ?? false);
    case 'csv':
      return toCsv(columns, rows, options.headers ?? false);
    case 'json':
      return toJson(columns, rows, options.headers ?? true);
    case 'sql':
      if (!options.sql) throw new Error('SQL INSERT needs a table name and a quoting function.');
      return toSqlInsert(columns, rows, options.sql, options.headers ?? true);
  }
}

/** Reads rows by index: the grid's cache, which serves loaded rows and fetches the rest. */
export type RowReader = (start: number, count: number, signal?: AbortSignal) => Promise<CellValue[][]>;

export interface CopyRange {
  /** First and last row, inclusive. */
  top: number;
  bottom: number;
  /** Source indices of the copied columns, in the order they are shown. */
  columns: readonly number[];
}

/** Rows read per call while copying a range larger than what is loaded. */
export const COPY_CHUNK_ROWS = 5000;

/**
 * A range as text, reading it in chunks and keeping only the copied columns of each chunk, so
 * copying 3 columns of 100,000 rows never holds 100,000 full rows.
 */
export async function formatRange(
  read: RowReader,
  allColumns: readonly CopyColumn[],
  range: CopyRange,
  options: CopyOptions,
  signal?: AbortSignal,
): Promise<string> {
  const projected: CellValue[][] = [];
  for (let start = range.top; start <= range.bottom; start += COPY_CHUNK_ROWS) {
    signal?.throwIfAborted();
    const count = Math.min(COPY_CHUNK_ROWS, range.bottom - start + 1);
    const rows = await read(start, count, signal);
    for (const row of rows) projected.push(range.columns.map((c) => row[c] ?? null));
    if (rows.length < count) break; // the table ended before its estimated count
  }
  const columns = range.columns.map((c) => allColumns[c] ?? { name: `column ${c + 1}`, type: '' });
  return formatRows(columns, projected, options);
}
