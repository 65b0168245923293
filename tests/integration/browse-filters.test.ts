/**
 * Every filter operator on both engines, against rows whose answers are known, values exact (a bigint past
 * 2^53, a decimal past a double's digits); and the clear refusals: a value that does not fit its column,
 * ILIKE on MySQL, a raw WHERE that is wrong or is two statements. After each refusal the view still reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowseFilter } from '../../shared/browse.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { browser, failure, type Browser } from './browse-fixture.ts';

const ROWS = [
  `(1, 1, 9223372036854775807, 1.500, 'Apple', '2024-01-01 10:00:00', '2024-01-01', BIN1)`,
  `(2, 2, -5, 0.000, 'apple pie', '2024-06-30 23:59:59', '2024-06-30', BIN2)`,
  `(3, NULL, 0, 12345678901234567.125, '50% off_now', NULL, NULL, NULL)`,
  `(4, 3, 9007199254740993, -2.250, '', '1999-12-31 00:00:00', '1999-12-31', NULL)`,
  `(5, 4, 9007199254740992, NULL, NULL, '2000-01-01 00:00:00', '2000-01-01', NULL)`,
  `(6, 2, NULL, 1.5, 'NULL', '2030-05-05 05:05:05', '2030-05-05', NULL)`,
  `(7, 5, 10, 3, 'Banana', '2024-01-01 00:00:00', '2024-01-01', NULL)`,
];

describe.each(['postgres', 'mysql'] as const)('%s: filters', (engine) => {
  let db: TestDatabase;
  let b: Browser;
  let viewId: string;
  const postgres = engine === 'postgres';

  beforeAll(async () => {
    db = postgres ? await createPostgresDatabase('cabinet_browse_filters') : await createMysqlDatabase('cabinet_browse_filters');
    const [bin1, bin2] = postgres ? ["'\\x00ff'::bytea", "'\\x01'::bytea"] : ["x'00ff'", "x'01'"];
    await db.exec(`
      create table f (id int primary key, n int, big bigint, amount numeric(20,3), t varchar(40), ts ${postgres ? 'timestamp' : 'datetime'}, dt date,
                      bin ${postgres ? 'bytea' : 'varbinary(16)'});
      insert into f values ${ROWS.join(',').replace('BIN1', bin1).replace('BIN2', bin2)};
    `);
    b = browser([db]);
    viewId = await b.open(db, 'f');
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  const ids = async (filters: BrowseFilter[], where?: string) => {
    await b.query(viewId, [], filters, where);
    return (await b.readAll(viewId, 3)).rows.map((r) => Number(r[0]));
  };

  it('compares with =, <>, <, <=, >, >= (NULLs match none of them)', async () => {
    expect(await ids([{ column: 'n', op: '=', value: '2' }])).toEqual([2, 6]);
    expect(await ids([{ column: 'n', op: '<>', value: '2' }])).toEqual([1, 4, 5, 7]);
    expect(await ids([{ column: 'n', op: '<', value: '3' }])).toEqual([1, 2, 6]);
    expect(await ids([{ column: 'n', op: '<=', value: '3' }])).toEqual([1, 2, 4, 6]);
    expect(await ids([{ column: 'n', op: '>', value: '3' }])).toEqual([5, 7]);
    expect(await ids([{ column: 'n', op: '>=', value: '3' }])).toEqual([4, 5, 7]);
    expect(await ids([{ column: 'ts', op: '>=', value: '2024-01-01' }])).toEqual([1, 2, 6, 7]);
    expect(await ids([{ column: 'dt', op: '=', value: '2024-06-30' }])).toEqual([2]);
  });

  it('compares big integers and decimals exactly, digit for digit', async () => {
    expect(await ids([{ column: 'big', op: '=', value: '9007199254740993' }])).toEqual([4]);
    expect(await ids([{ column: 'big', op: '>', value: '9007199254740992' }])).toEqual([1, 4]);
    expect(await ids([{ column: 'big', op: '=', value: '9223372036854775807' }])).toEqual([1]);
    expect(await ids([{ column: 'amount', op: '=', value: '12345678901234567.125' }])).toEqual([3]);
    expect(await ids([{ column: 'amount', op: '>', value: '12345678901234567.124' }])).toEqual([3]);
    expect(await ids([{ column: 'amount', op: '=', value: '1.5' }])).toEqual([1, 6]);
    await b.query(viewId, [], [{ column: 'id', op: 'in', values: ['1', '3'] }]);
    const rows = (await b.rows(viewId, 0, 10)).rows;
    expect(rows.map((r) => [r[2], r[3]])).toEqual([
      ['9223372036854775807', '1.500'],
      ['0', '12345678901234567.125'],
    ]);
    expect(rows[0]![7]).toEqual({ kind: 'bytes', hex: '00ff', length: 2 });
  });

  it('finds a case-insensitive substring with contains, its own % and _ taken literally, on text and on numbers', async () => {
    expect(await ids([{ column: 't', op: 'contains', value: 'APPLE' }])).toEqual([1, 2]);
    expect(await ids([{ column: 't', op: 'contains', value: '%' }])).toEqual([3]);
    expect(await ids([{ column: 't', op: 'contains', value: '_' }])).toEqual([3]);
    expect(await ids([{ column: 'n', op: 'contains', value: '2' }])).toEqual([2, 6]);
    expect(await ids([{ column: 'amount', op: 'contains', value: '.125' }])).toEqual([3]);
  });

  it('matches LIKE patterns with the engine’s own case rules, and ILIKE on PostgreSQL', async () => {
    expect(await ids([{ column: 't', op: 'like', value: 'A%' }])).toEqual(postgres ? [1] : [1, 2]);
    expect(await ids([{ column: 't', op: 'like', value: '_pple%' }])).toEqual(postgres ? [1, 2] : [1, 2]);
    if (postgres) expect(await ids([{ column: 't', op: 'ilike', value: 'a%' }])).toEqual([1, 2]);
  });

  it('takes IN lists, BETWEEN, IS NULL and IS NOT NULL, and tells NULL from "" and "NULL"', async () => {
    expect(await ids([{ column: 't', op: 'in', values: ['Banana', 'NULL', 'nope'] }])).toEqual([6, 7]);
    expect(await ids([{ column: 'amount', op: 'between', values: ['0', '1.5'] }])).toEqual([1, 2, 6]);
    expect(await ids([{ column: 'ts', op: 'between', values: ['2024-01-01 00:00:00', '2024-01-01 23:59:59'] }])).toEqual([1, 7]);
    expect(await ids([{ column: 't', op: 'is-null' }])).toEqual([5]);
    expect(await ids([{ column: 't', op: 'is-not-null' }])).toEqual([1, 2, 3, 4, 6, 7]);
    expect(await ids([{ column: 't', op: '=', value: '' }])).toEqual([4]);
    expect(await ids([{ column: 'bin', op: 'is-not-null' }])).toEqual([1, 2]);
  });

  it('ANDs the filters, then the raw WHERE', async () => {
    const filters: BrowseFilter[] = [
      { column: 'n', op: '>=', value: '2' },
      { column: 't', op: 'contains', value: 'a' },
    ];
    expect(await ids(filters)).toEqual([2, 7]);
    expect(await ids([{ column: 'n', op: '>=', value: '2' }], 'id > 5')).toEqual([6, 7]);
    // A line comment in the WHERE box does not swallow the ORDER BY.
    expect(await ids([], 'id < 3 -- the first two')).toEqual([1, 2]);
  });

  describe('refusals, after which the view still reads', () => {
    const stillReads = async () => {
      const rows = (await b.rows(viewId, 0, 10)).rows.map((r) => Number(r[0]));
      expect(rows).toEqual([5, 7]);
    };
    beforeAll(async () => {
      await b.query(viewId, [], [{ column: 'n', op: '>', value: '3' }]);
    });

    it('refuses a value that does not fit an integer column, naming the column', async () => {
      const error = await failure(b.query(viewId, [], [{ column: 'n', op: '=', value: 'abc' }]));
      expect(error).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('"n"') });
      expect(error.message).toContain('abc');
      if (postgres) expect(error).toMatchObject({ sqlState: '22P02', message: expect.stringContaining('invalid input syntax for type integer') });
      await stillReads();
    });

    it('refuses a bad value in an IN list, a bad timestamp and a bad date', async () => {
      expect(await failure(b.query(viewId, [], [{ column: 'id', op: 'in', values: ['1', 'x'] }]))).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('"id"') });
      const timestamp = await failure(b.query(viewId, [], [{ column: 'ts', op: '>', value: 'not a date' }]));
      expect(timestamp).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('"ts"') });
      if (postgres) expect(timestamp.sqlState).toBe('22007');
      expect(await failure(b.query(viewId, [], [{ column: 'dt', op: '=', value: '2024-13-45' }]))).toMatchObject({
        code: 'SQL_ERROR',
        message: expect.stringContaining('"dt"'),
      });
      await stillReads();
    });

    it('refuses a number out of the column’s range (PostgreSQL) and text where a decimal goes (MySQL)', async () => {
      if (postgres) {
        expect(await failure(b.query(viewId, [], [{ column: 'big', op: '=', value: '99999999999999999999' }]))).toMatchObject({ code: 'SQL_ERROR', sqlState: '22003' });
      } else {
        expect(await failure(b.query(viewId, [], [{ column: 'amount', op: 'between', values: ['1', 'two'] }]))).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('"two"') });
      }
      await stillReads();
    });

    it('refuses ILIKE on MySQL with a reason', async () => {
      if (postgres) return;
      expect(await failure(b.query(viewId, [], [{ column: 't', op: 'ilike', value: 'a%' }]))).toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringContaining('LIKE is already case-insensitive'),
      });
      await stillReads();
    });

    it('shows a raw WHERE’s syntax error with the SQL and the position in it', async () => {
      const error = await failure(b.query(viewId, [], [], 'n = = 1'));
      expect(error.code).toBe('SQL_ERROR');
      expect(error.detail).toContain('SQL:\nSELECT * FROM');
      if (postgres) {
        expect(error.message).toContain('syntax error');
        const shown = error.detail!.slice(error.detail!.indexOf('SQL:\n') + 5);
        expect(shown.slice(error.position! - 1)).toMatch(/^= 1\)/);
      } else {
        expect(error.message).toMatch(/SQL syntax/);
      }
      expect(await failure(b.query(viewId, [], [], 'no_such_column > 1'))).toMatchObject({ code: 'SQL_ERROR' });
      await stillReads();
    });

    it('refuses two statements in the WHERE box, and runs neither', async () => {
      expect(await failure(b.query(viewId, [], [], '1 = 1; drop table f'))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('not statements') });
      await stillReads();
    });

    it('refuses a sort or filter on a column the table does not have', async () => {
      expect(await failure(b.query(viewId, [{ column: 'nope', direction: 'asc' }]))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"nope"') });
      expect(await failure(b.query(viewId, [], [{ column: 'nope', op: 'is-null' }]))).toMatchObject({ code: 'BAD_INPUT' });
      await stillReads();
    });
  });
});
