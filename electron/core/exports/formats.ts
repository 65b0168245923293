/**
 * The export formats, as text: each writer turns batches of exact cell values into the bytes of its format.
 * A writer keeps only what its format needs between batches (whether a JSON array has a first element, the
 * rows of an unfinished INSERT), so the output never depends on how the rows were batched.
 *
 * - CSV (RFC 4180 quoting, `\n` line ends as PostgreSQL's COPY and psql's \copy write them): a field is
 *   quoted when it holds a comma, a quote, CR or LF; quotes are doubled. NULL is an empty field, the empty
 *   string `""`, so they stay distinct (COPY's own rule), and a lone `\.` in a one-column row is quoted
 *   (COPY does that so it is never read as its end-of-data marker). Bytes are `\x` and hex. PostgreSQL's
 *   booleans are its own text, `t` and `f`, as COPY writes them.
 * - JSON lines / JSON array: one object per row, keyed by column name (a repeated name gets `_2`, `_3`...).
 *   Every value is a JSON string or null, so bigints and decimals keep every digit, and JSON columns stay
 *   their text; bytes are the string `\x…`.
 * - SQL: `INSERT INTO <table> (<columns>) VALUES (...), (...);` with a batch of rows per statement,
 *   identifiers and literals quoted by the engine's rules. Numbers are written bare when their column is
 *   numeric and the text is a plain number; everything else is a string literal the server converts.
 */
import { DEFAULT_INSERT_TABLE, DEFAULT_ROWS_PER_INSERT, type ExportFormat } from '../../../shared/exports.ts';
import { qualifiedName, quoteIdent } from '../../../shared/identifiers.ts';
import type { Engine } from '../../../shared/profiles.ts';
import type { CellValue, ColumnInfo } from '../../../shared/values.ts';

export interface WriterOptions {
  engine: Engine;
  columns: readonly ColumnInfo[];
  /** CSV: a header line with the column names (default true). */
  headers?: boolean;
  /** SQL: the INSERT target, one name or its qualified parts. */
  table?: string | readonly string[];
  /** SQL: rows per INSERT (default 100). */
  rowsPerInsert?: number;
}

/** Text in, text out: `start` once, `rows` for each batch, `end` once. */
export interface FormatWriter {
  start(): string;
  rows(rows: readonly CellValue[][]): string;
  end(): string;
}

export function createFormatWriter(format: ExportFormat, options: WriterOptions): FormatWriter {
  switch (format) {
    case 'csv':
      return csvWriter(options);
    case 'jsonl':
      return jsonLinesWriter(options);
    case 'json':
      return jsonArrayWriter(options);
    case 'sql':
      return sqlInsertWriter(options);
  }
}

// ---- CSV ----

const CSV_SPECIAL = /[",\r\n]/;

/** One CSV field: quoted when it must be (see the file's comment); `single` is true in a one-column row. */
export function csvText(text: string, single = false): string {
  if (text === '' || CSV_SPECIAL.test(text) || (single && text === '\\.')) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvField(value: CellValue, single = false): string {
  if (value === null) return '';
  if (typeof value === 'string') return csvText(value, single);
  return `\\x${value.hex}`;
}

/** PostgreSQL's booleans reach the core as `true`/`false`; COPY (and so psql's \copy) writes `t`/`f`. */
const PG_BOOL_TEXT: Record<string, string> = { true: 't', false: 'f' };

function csvWriter({ engine, columns, headers = true }: WriterOptions): FormatWriter {
  const single = columns.length === 1;
  const bools = engine === 'postgres' ? columns.map((c) => c.type === 'bool') : columns.map(() => false);
  const anyBool = bools.includes(true);
  return {
    start: () => (headers ? `${columns.map((c) => csvText(c.name, single)).join(',')}\n` : ''),
    // One string grown field by field: V8 appends to it cheaply, and it is flattened once, when written.
    rows(rows) {
      let out = '';
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) {
          if (i > 0) out += ',';
          const value = row[i]!;
          out += anyBool && bools[i] && typeof value === 'string' ? csvField(PG_BOOL_TEXT[value] ?? value, single) : csvField(value, single);
        }
        out += '\n';
      }
      return out;
    },
    end: () => '',
  };
}

// ---- JSON ----

/** Column names as object keys, each once: a repeated name gets `_2`, `_3`... (JSON readers keep only one of two equal keys). */
export function jsonKeys(columns: readonly ColumnInfo[]): string[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    let key = column.name;
    for (let n = 2; taken.has(key); n++) key = `${column.name}_${n}`;
    taken.add(key);
    return key;
  });
}

function jsonValue(value: CellValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return `"\\\\x${value.hex}"`;
}

/** Builds each row's object text directly: no object is made, so a key like `__proto__` is just a key. */
function jsonObjects(columns: readonly ColumnInfo[]): (row: readonly CellValue[]) => string {
  const keys = jsonKeys(columns).map((k, i) => `${i === 0 ? '{' : ','}${JSON.stringify(k)}:`);
  return (row) => {
    let out = '';
    for (let i = 0; i < keys.length; i++) out += keys[i]! + jsonValue(row[i] ?? null);
    return keys.length === 0 ? '{}' : out + '}';
  };
}

function jsonLinesWriter({ columns }: WriterOptions): FormatWriter {
  const object = jsonObjects(columns);
  return {
    start: () => '',
    rows: (rows) => {
      let out = '';
      for (const row of rows) out += `${object(row)}\n`;
      return out;
    },
    end: () => '',
  };
}

/** `[`, one object per line, `]`: valid JSON that still reads well line by line. */
function jsonArrayWriter({ columns }: WriterOptions): FormatWriter {
  const object = jsonObjects(columns);
  let first = true;
  return {
    start: () => '[',
    rows: (rows) => {
      let out = '';
      for (const row of rows) {
        out += `${first ? '\n' : ',\n'}${object(row)}`;
        first = false;
      }
      return out;
    },
    end: () => (first ? ']\n' : '\n]\n'),
  };
}

// ---- SQL ----

/** PostgreSQL with standard_conforming_strings on (the default since 9.1): only the quote is doubled. */
export function postgresLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const MYSQL_ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', '\\': '\\\\', "'": "\\'" };

/** MySQL's default mode reads backslash escapes in strings: backslashes are escaped too (as mysqldump does). */
export function mysqlLiteral(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL and Ctrl-Z are among the characters mysqldump escapes
  return `'${text.replace(/[\0\n\r\x1a\\']/g, (c) => MYSQL_ESCAPES[c]!)}'`;
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const PG_NUMERIC = new Set(['int2', 'int4', 'int8', 'oid', 'numeric', 'float4', 'float8']);
const MYSQL_NUMERIC = new Set(['TINY', 'SHORT', 'LONG', 'LONGLONG', 'INT24', 'DECIMAL', 'NEWDECIMAL', 'FLOAT', 'DOUBLE', 'YEAR']);

function isNumericColumn(engine: Engine, column: ColumnInfo): boolean {
  return engine === 'postgres' ? PG_NUMERIC.has(column.type) : MYSQL_NUMERIC.has(column.type.replace(/ UNSIGNED$/, ''));
}

/** One value as a SQL literal of the engine. */
export function sqlLiteral(engine: Engine, value: CellValue, column?: ColumnInfo): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string') return engine === 'postgres' ? `'\\x${value.hex}'::bytea` : `X'${value.hex}'`;
  if (column && isNumericColumn(engine, column) && PLAIN_NUMBER.test(value)) return value;
  if (engine === 'postgres' && column?.type === 'bool' && (value === 'true' || value === 'false')) return value;
  return engine === 'postgres' ? postgresLiteral(value) : mysqlLiteral(value);
}

function sqlInsertWriter({ engine, columns, table = DEFAULT_INSERT_TABLE, rowsPerInsert = DEFAULT_ROWS_PER_INSERT }: WriterOptions): FormatWriter {
  const target = typeof table === 'string' ? quoteIdent(engine, table) : qualifiedName(engine, table);
  const head = `INSERT INTO ${target} (${columns.map((c) => quoteIdent(engine, c.name)).join(', ')}) VALUES\n`;
  const tuple = (row: readonly CellValue[]) => {
    let out = '  (';
    for (let i = 0; i < columns.length; i++) out += (i === 0 ? '' : ', ') + sqlLiteral(engine, row[i] ?? null, columns[i]);
    return out + ')';
  };
  /** Rows of the INSERT not yet closed: it is closed by a full batch or by `end`. */
  let open = 0;
  return {
    start: () => '',
    rows(rows) {
      let out = '';
      for (const row of rows) {
        out += open === 0 ? `${head}${tuple(row)}` : `,\n${tuple(row)}`;
        open++;
        if (open === rowsPerInsert) {
          out += ';\n';
          open = 0;
        }
      }
      return out;
    },
    end: () => (open > 0 ? ';\n' : ''),
  };
}

// ---- files ----

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  json: 'application/json; charset=utf-8',
  sql: 'application/sql; charset=utf-8',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `export-<name>-<YYYYMMDD-HHMMSS>.<ext>`: the name keeps letters, digits, `.`, `_` and `-`, at most 60 of them. */
export function exportFileName(name: string | undefined, extension: string, at = new Date()): string {
  const cleaned = (name ?? '').normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._-]+/, '');
  const safe = [...cleaned].slice(0, 60).join('').replace(/[._-]+$/, '');
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `export-${safe || 'query'}-${stamp}.${extension}`;
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266): every browser gets a usable name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
