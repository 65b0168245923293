import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/values.ts';
import {
  COPY_CHUNK_ROWS,
  formatRange,
  formatRows,
  mysqlLiteral,
  postgresLiteral,
  toCsv,
  toJson,
  toSqlInsert,
  toTsv,
} from '../../renderer/src/components/data-grid/copyFormats.ts';

const columns = [
  { name: 'id', type: 'int8' },
  { name: 'note', type: 'text' },
  { name: 'data', type: 'bytea' },
];
const bytes = (hex: string): CellValue => ({ kind: 'bytes', hex, length: hex.length / 2 });

const rows: CellValue[][] = [
  ['1', 'plain', bytes('deadbeef')],
  ['2', null, null],
  ['3', '', bytes('')],
  ['4', 'NULL', null],
  ['9007199254740993', 'tab\there\nnew "line"', null],
];

const pgIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

describe('TSV', () => {
  it('writes NULL and empty as empty fields, bytes as \\x hex, and quotes tabs, newlines and quotes', () => {
    expect(toTsv(columns, rows)).toBe(
      ['1\tplain\t\\xdeadbeef', '2\t\t', '3\t\t\\x', '4\tNULL\t', '9007199254740993\t"tab\there\nnew ""line"""\t'].join('\n'),
    );
  });

  it('adds a header line on request', () => {
    expect(toTsv(columns, [['1', 'a', null]], true)).toBe('id\tnote\tdata\n1\ta\t');
  });

  it('keeps big numbers digit for digit', () => {
    expect(toTsv([columns[0]!], [['123456789012345678901234567890.000000001']])).toBe('123456789012345678901234567890.000000001');
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and tells NULL (nothing) from empty ("")', () => {
    expect(toCsv(columns, rows, true)).toBe(
      [
        'id,note,data',
        '1,plain,\\xdeadbeef',
        '2,,',
        '3,"",\\x',
        '4,NULL,',
        '9007199254740993,"tab\there\nnew ""line""",',
      ].join('\r\n'),
    );
  });

  it('quotes commas and edge spaces', () => {
    expect(toCsv([columns[1]!], [['a,b'], [' padded']])).toBe('"a,b"\r\n" padded"');
  });
});

describe('JSON', () => {
  it('writes objects keyed by name with null for NULL and text for everything else', () => {
    const parsed = JSON.parse(toJson(columns, rows, true)) as unknown[];
    expect(parsed[0]).toEqual({ id: '1', note: 'plain', data: '\\xdeadbeef' });
    expect(parsed[1]).toEqual({ id: '2', note: null, data: null });
    expect(parsed[2]).toEqual({ id: '3', note: '', data: '\\x' });
    expect(parsed[3]).toEqual({ id: '4', note: 'NULL', data: null });
    expect(parsed[4]).toEqual({ id: '9007199254740993', note: 'tab\there\nnew "line"', data: null });
  });

  it('writes arrays without headers', () => {
    expect(JSON.parse(toJson(columns, rows.slice(0, 2), false))).toEqual([
      ['1', 'plain', '\\xdeadbeef'],
      ['2', null, null],
    ]);
  });

  it('keeps repeated column names apart', () => {
    const parsed = JSON.parse(toJson([{ name: 'id', type: 'int4' }, { name: 'id', type: 'int4' }, { name: 'id_2', type: 'int4' }], [['1', '2', '3']]));
    expect(parsed).toEqual([{ id: '1', id_2: '2', id_2_2: '3' }]);
  });

  it('is an empty array for no rows', () => {
    expect(toJson(columns, [])).toBe('[]');
  });
});

describe('SQL INSERT', () => {
  it('writes one statement per row, with quoted identifiers, numbers bare and text quoted', () => {
    const sql = toSqlInsert(columns, rows.slice(0, 4), { table: '"public"."Order Items"', quoteIdent: pgIdent, quoteValue: postgresLiteral });
    expect(sql.split('\n')).toEqual([
      `INSERT INTO "public"."Order Items" ("id", "note", "data") VALUES (1, 'plain', '\\xdeadbeef'::bytea);`,
      `INSERT INTO "public"."Order Items" ("id", "note", "data") VALUES (2, NULL, NULL);`,
      `INSERT INTO "public"."Order Items" ("id", "note", "data") VALUES (3, '', '\\x'::bytea);`,
      `INSERT INTO "public"."Order Items" ("id", "note", "data") VALUES (4, 'NULL', NULL);`,
    ]);
  });

  it('doubles quotes, and escapes backslashes for MySQL', () => {
    const cols = [{ name: 'a"b', type: 'varchar(10)' }];
    const row: CellValue[][] = [["it's a \\ path"]];
    expect(toSqlInsert(cols, row, { table: '"t"', quoteIdent: pgIdent })).toBe(`INSERT INTO "t" ("a""b") VALUES ('it''s a \\ path');`);
    expect(toSqlInsert(cols, row, { table: '`t`', quoteIdent: (n) => `\`${n}\``, quoteValue: mysqlLiteral }, false)).toBe(
      `INSERT INTO \`t\` VALUES ('it''s a \\\\ path');`,
    );
    expect(mysqlLiteral(bytes('00ff'), { name: 'b', type: 'blob' })).toBe("X'00ff'");
  });

  it('quotes a numeric-looking value in a text column, and never trusts a non-number in a numeric one', () => {
    const cols = [
      { name: 'code', type: 'text' },
      { name: 'n', type: 'numeric(10,2)' },
    ];
    expect(toSqlInsert(cols, [['007', '1; DROP TABLE x']], { table: 't', quoteIdent: pgIdent })).toBe(
      `INSERT INTO t ("code", "n") VALUES ('007', '1; DROP TABLE x');`,
    );
  });

  it('needs a table for formatRows', () => {
    expect(() => formatRows(columns, rows, { format: 'sql' })).toThrow(/table/);
  });
});

describe('formatRange (a copy larger than what is loaded)', () => {
  const total = 12_345;
  const makeRow = (i: number): CellValue[] => [String(i), `note ${i}`, null];

  it('reads in chunks through the reader and keeps only the copied columns, in display order', async () => {
    const calls: [number, number][] = [];
    const read = async (start: number, count: number) => {
      calls.push([start, count]);
      return Array.from({ length: Math.max(0, Math.min(count, total - start)) }, (_, k) => makeRow(start + k));
    };
    const text = await formatRange(read, columns, { top: 10, bottom: 10_009, columns: [1, 0] }, { format: 'tsv', headers: true });
    const lines = text.split('\n');
    expect(lines).toHaveLength(10_001);
    expect(lines[0]).toBe('note\tid');
    expect(lines[1]).toBe('note 10\t10');
    expect(lines[10_000]).toBe('note 10009\t10009');
    expect(calls).toEqual([
      [10, COPY_CHUNK_ROWS],
      [10 + COPY_CHUNK_ROWS, COPY_CHUNK_ROWS],
    ]);
  });

  it('stops where the data ends (the row count was an estimate)', async () => {
    const read = async (start: number, count: number) =>
      Array.from({ length: Math.max(0, Math.min(count, total - start)) }, (_, k) => makeRow(start + k));
    const text = await formatRange(read, columns, { top: 12_340, bottom: 20_000, columns: [0] }, { format: 'csv' });
    expect(text.split('\r\n')).toEqual(['12340', '12341', '12342', '12343', '12344']);
  });

  it('gives up when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(formatRange(async () => [], columns, { top: 0, bottom: 1, columns: [0] }, { format: 'tsv' }, controller.signal)).rejects.toThrow();
  });
});
