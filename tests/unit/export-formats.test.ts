import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../shared/exports.ts';
import type { Engine } from '../../shared/profiles.ts';
import type { CellValue, ColumnInfo } from '../../shared/values.ts';
import { contentDisposition, createFormatWriter, csvField, exportFileName, jsonKeys, mysqlLiteral, postgresLiteral, sqlLiteral, type WriterOptions } from '../../electron/core/exports/formats.ts';

const bytes = (hex: string): CellValue => ({ kind: 'bytes', hex, length: hex.length / 2 });
const text = (n: number): ColumnInfo[] => Array.from({ length: n }, (_, i) => ({ name: `c${i + 1}`, type: 'text' }));

function write(format: ExportFormat, options: WriterOptions, rows: CellValue[][], batches: number[] = [rows.length]): string {
  const writer = createFormatWriter(format, options);
  let out = writer.start();
  let at = 0;
  for (const size of batches) {
    out += writer.rows(rows.slice(at, at + size));
    at += size;
  }
  if (at < rows.length) out += writer.rows(rows.slice(at));
  return out + writer.end();
}

/** A strict RFC 4180 reader that tells an unquoted empty field (NULL) from a quoted one (''). */
function parseCsv(input: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < input.length) {
    let field: string | null;
    if (input[i] === '"') {
      let value = '';
      i++;
      while (true) {
        if (input[i] === '"' && input[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (input[i] === '"') {
          i++;
          break;
        } else if (i >= input.length) {
          throw new Error('unterminated quote');
        } else {
          value += input[i++];
        }
      }
      field = value;
    } else {
      let end = i;
      while (end < input.length && input[end] !== ',' && input[end] !== '\n') end++;
      const raw = input.slice(i, end);
      if (raw.includes('"') || raw.includes('\r')) throw new Error(`bare quote or CR in ${JSON.stringify(raw)}`);
      field = raw === '' ? null : raw;
      i = end;
    }
    row.push(field);
    if (input[i] === ',') i++;
    else if (input[i] === '\n') {
      rows.push(row);
      row = [];
      i++;
    } else if (i < input.length) throw new Error(`unexpected ${input[i]} at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

describe('CSV', () => {
  it('quotes commas, quotes, CR and LF, doubles quotes, and leaves tabs and spaces alone', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('tab\there')).toBe('tab\there');
    expect(csvField(' padded ')).toBe(' padded ');
    expect(csvField('plain')).toBe('plain');
  });

  it('keeps NULL, the empty string and the text NULL apart', () => {
    const out = write('csv', { engine: 'postgres', columns: text(3) }, [[null, '', 'NULL']]);
    expect(out).toBe('c1,c2,c3\n,"",NULL\n');
    expect(parseCsv(out)[1]).toEqual([null, '', 'NULL']);
  });

  it('writes bytes as \\x hex, unicode as it is, and big numbers digit for digit', () => {
    const columns: ColumnInfo[] = [
      { name: 'b', type: 'bytea' },
      { name: 'u', type: 'text' },
      { name: 'n', type: 'int8' },
      { name: 'd', type: 'numeric' },
    ];
    const out = write('csv', { engine: 'postgres', columns, headers: false }, [[bytes('00ff10'), 'Zürich ✓ 🐘 日本', '9007199254740993', '12345678901234567890.000000000000000001']]);
    expect(out).toBe('\\x00ff10,Zürich ✓ 🐘 日本,9007199254740993,12345678901234567890.000000000000000001\n');
    expect(write('csv', { engine: 'mysql', columns: text(1), headers: false }, [[bytes('')]])).toBe('\\x\n');
  });

  it('quotes a lone \\. only in a one-column row, as COPY does', () => {
    expect(write('csv', { engine: 'postgres', columns: text(1), headers: false }, [['\\.']])).toBe('"\\."\n');
    expect(write('csv', { engine: 'postgres', columns: text(2), headers: false }, [['\\.', 'x']])).toBe('\\.,x\n');
  });

  it('quotes header names by the same rules, and leaves the header out when asked', () => {
    const columns: ColumnInfo[] = [{ name: 'a,b', type: 'text' }, { name: 'say "x"', type: 'text' }, { name: '', type: 'text' }];
    expect(write('csv', { engine: 'mysql', columns }, [])).toBe('"a,b","say ""x""",""\n');
    expect(write('csv', { engine: 'mysql', columns, headers: false }, [])).toBe('');
  });

  it('writes PostgreSQL booleans as t/f (as COPY does), other engines\' values as they came', () => {
    const columns: ColumnInfo[] = [{ name: 'flag', type: 'bool' }, { name: 'flags', type: '_bool' }];
    expect(write('csv', { engine: 'postgres', columns, headers: false }, [['true', '{t,f}'], ['false', null], [null, '{}']])).toBe('t,"{t,f}"\nf,\n,{}\n');
    expect(write('csv', { engine: 'mysql', columns: [{ name: 'flag', type: 'TINY' }], headers: false }, [['1']])).toBe('1\n');
  });

  it('reads back exactly what was written, whatever the text and however the rows were batched', () => {
    const cell = fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'NULL', '\\.', '"', ',', '\r\n', ' '));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }))), ([n, rows, batches]) => {
        const options = { engine: 'mysql' as const, columns: text(n), headers: false };
        const out = write('csv', options, rows, batches);
        expect(out).toBe(write('csv', options, rows));
        // A one-column row holding only NULL is an empty line; the reader sees it as one NULL field.
        expect(parseCsv(out)).toEqual(rows);
      }),
    );
  });
});

describe('JSON lines and JSON array', () => {
  const columns: ColumnInfo[] = [
    { name: 'id', type: 'int8' },
    { name: 'price', type: 'numeric' },
    { name: 'doc', type: 'jsonb' },
    { name: 'raw', type: 'bytea' },
    { name: 'note', type: 'text' },
  ];
  const rows: CellValue[][] = [
    ['9223372036854775807', '0.10000000000000000001', '{"a": [1, {"b": "c\\"d"}]}', bytes('deadbeef'), 'NULL'],
    ['-1', null, 'null', null, ''],
    ['2', '1e3', '"x"', bytes(''), 'tab\tnew\nline "q" \u2028 \u0000 \\'],
  ];

  it('writes one object per line, every value a string or null', () => {
    const out = write('jsonl', { engine: 'postgres', columns }, rows);
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      { id: '9223372036854775807', price: '0.10000000000000000001', doc: '{"a": [1, {"b": "c\\"d"}]}', raw: '\\xdeadbeef', note: 'NULL' },
      { id: '-1', price: null, doc: 'null', raw: null, note: '' },
      { id: '2', price: '1e3', doc: '"x"', raw: '\\x', note: 'tab\tnew\nline "q" \u2028 \u0000 \\' },
    ]);
    expect(lines[0]).toContain('"raw":"\\\\xdeadbeef"');
  });

  it('writes a JSON array with the same objects, one per line', () => {
    const out = write('json', { engine: 'postgres', columns }, rows, [1, 0, 2]);
    expect(out.startsWith('[\n{"id":"9223372036854775807"')).toBe(true);
    expect(out.endsWith('}\n]\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(write('jsonl', { engine: 'postgres', columns }, rows).trim().split('\n').map((l) => JSON.parse(l)));
    expect(write('json', { engine: 'mysql', columns }, [])).toBe('[]\n');
    expect(JSON.parse(write('json', { engine: 'mysql', columns }, []))).toEqual([]);
  });

  it('gives a repeated column name a suffix, and treats __proto__ as a plain key', () => {
    expect(jsonKeys([{ name: 'a', type: 'text' }, { name: 'a', type: 'text' }, { name: 'a_2', type: 'text' }])).toEqual(['a', 'a_2', 'a_2_2']);
    const out = write('jsonl', { engine: 'mysql', columns: [{ name: '__proto__', type: 'text' }, { name: 'constructor', type: 'text' }] }, [['x', 'y']]);
    expect(out).toBe('{"__proto__":"x","constructor":"y"}\n');
    expect(Object.keys(JSON.parse(out) as object)).toEqual(['__proto__', 'constructor']);
  });

  it('parses back to the same values, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(fc.string({ unit: 'binary' })), fc.option(fc.string())), { maxLength: 10 }), (pairs) => {
        const out = write('json', { engine: 'mysql', columns: text(2) }, pairs);
        expect((JSON.parse(out) as Record<string, string | null>[]).map((o) => [o.c1, o.c2])).toEqual(pairs);
      }),
    );
  });
});

describe('SQL INSERT statements', () => {
  it('quotes string literals per engine', () => {
    expect(postgresLiteral("it's")).toBe("'it''s'");
    expect(postgresLiteral('back\\slash')).toBe("'back\\slash'");
    expect(postgresLiteral('two\nlines')).toBe("'two\nlines'");
    expect(mysqlLiteral("it's")).toBe("'it\\'s'");
    expect(mysqlLiteral('back\\slash')).toBe("'back\\\\slash'");
    expect(mysqlLiteral('nul\0 nl\n cr\r ctrlz\x1a tab\t')).toBe("'nul\\0 nl\\n cr\\r ctrlz\\Z tab\t'");
  });

  it('writes NULL, bytes, numbers and booleans as each engine reads them', () => {
    const int: ColumnInfo = { name: 'n', type: 'int8' };
    const float: ColumnInfo = { name: 'f', type: 'float8' };
    expect(sqlLiteral('postgres', null, int)).toBe('NULL');
    expect(sqlLiteral('postgres', 'NULL', { name: 't', type: 'text' })).toBe("'NULL'");
    expect(sqlLiteral('postgres', bytes('00ff'))).toBe("'\\x00ff'::bytea");
    expect(sqlLiteral('mysql', bytes('00ff'))).toBe("X'00ff'");
    expect(sqlLiteral('mysql', bytes(''))).toBe("X''");
    expect(sqlLiteral('postgres', '18446744073709551615', int)).toBe('18446744073709551615');
    expect(sqlLiteral('postgres', '-1.5e-7', float)).toBe('-1.5e-7');
    expect(sqlLiteral('postgres', 'NaN', float)).toBe("'NaN'");
    expect(sqlLiteral('postgres', '-Infinity', float)).toBe("'-Infinity'");
    expect(sqlLiteral('mysql', '18446744073709551615', { name: 'u', type: 'LONGLONG UNSIGNED' })).toBe('18446744073709551615');
    expect(sqlLiteral('mysql', '12', { name: 'v', type: 'VARCHAR' })).toBe("'12'");
    expect(sqlLiteral('postgres', 'true', { name: 'b', type: 'bool' })).toBe('true');
    expect(sqlLiteral('postgres', '2025-01-01 10:00:00+00', { name: 't', type: 'timestamptz' })).toBe("'2025-01-01 10:00:00+00'");
  });

  it('batches rows per INSERT, with quoted identifiers, whatever the read batches were', () => {
    const columns: ColumnInfo[] = [{ name: 'id', type: 'int4' }, { name: 'say "hi"', type: 'text' }];
    const rows: CellValue[][] = Array.from({ length: 5 }, (_, i) => [String(i), i % 2 ? null : `r${i}`]);
    const out = write('sql', { engine: 'postgres', columns, table: ['public', 'My "T"'], rowsPerInsert: 2 }, rows, [1, 3]);
    expect(out).toBe(
      'INSERT INTO "public"."My ""T""" ("id", "say ""hi""") VALUES\n  (0, \'r0\'),\n  (1, NULL);\n' +
        'INSERT INTO "public"."My ""T""" ("id", "say ""hi""") VALUES\n  (2, \'r2\'),\n  (3, NULL);\n' +
        'INSERT INTO "public"."My ""T""" ("id", "say ""hi""") VALUES\n  (4, \'r4\');\n',
    );
    expect(write('sql', { engine: 'postgres', columns, table: ['public', 'My "T"'], rowsPerInsert: 2 }, rows, [5])).toBe(out);
    const mysql = write('sql', { engine: 'mysql', columns: [{ name: 'a`b', type: 'VARCHAR' }] }, [['x']]);
    expect(mysql).toBe("INSERT INTO `exported` (`a``b`) VALUES\n  ('x');\n");
    expect(write('sql', { engine: 'mysql', columns: text(1) }, [])).toBe('');
  });

  it('writes 100 rows per INSERT unless told otherwise', () => {
    const rows: CellValue[][] = Array.from({ length: 250 }, (_, i) => [String(i)]);
    const out = write('sql', { engine: 'postgres', columns: [{ name: 'n', type: 'int4' }] }, rows, [7, 93, 150]);
    expect(out.match(/^INSERT INTO "exported" \("n"\) VALUES$/gm)).toHaveLength(3);
    expect(out.match(/;\n/g)).toHaveLength(3);
  });
});

describe('download file names', () => {
  const at = new Date(2025, 0, 2, 3, 4, 5);

  it('names a file after the table or query, and the time', () => {
    expect(exportFileName('users', 'csv', at)).toBe('export-users-20250102-030405.csv');
    expect(exportFileName(undefined, 'jsonl', at)).toBe('export-query-20250102-030405.jsonl');
    expect(exportFileName('../../etc/passwd', 'sql', at)).toBe('export-etc_passwd-20250102-030405.sql');
    expect(exportFileName('Order Items "2024"', 'json', at)).toBe('export-Order_Items_2024-20250102-030405.json');
    expect(exportFileName('Résumé 日本', 'csv', at)).toBe('export-Résumé_日本-20250102-030405.csv');
    expect(exportFileName('x'.repeat(300), 'csv', at)).toBe(`export-${'x'.repeat(60)}-20250102-030405.csv`);
  });

  it('offers the name as an attachment, with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('export-users-1.csv')).toBe(`attachment; filename="export-users-1.csv"; filename*=UTF-8''export-users-1.csv`);
    expect(contentDisposition("export-Résumé's (1).csv")).toBe(
      `attachment; filename="export-R_sum_'s (1).csv"; filename*=UTF-8''export-R%C3%A9sum%C3%A9%27s%20%281%29.csv`,
    );
  });
});

describe('every format, every engine', () => {
  it.each<[ExportFormat, Engine]>([
    ['csv', 'postgres'],
    ['csv', 'mysql'],
    ['jsonl', 'postgres'],
    ['json', 'mysql'],
    ['sql', 'postgres'],
    ['sql', 'mysql'],
  ])('%s on %s writes nothing but its start and end for no rows', (format, engine) => {
    const out = write(format, { engine, columns: text(2) }, []);
    expect(out).toBe({ csv: 'c1,c2\n', jsonl: '', json: '[]\n', sql: '' }[format]);
  });
});
