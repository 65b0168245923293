import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverFor } from '../support/drivers.ts';
import type { DbSession } from '../../electron/core/drivers/driver.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

describe('PostgreSQL: values cross exactly', () => {
  let db: TestDatabase;
  let session: DbSession;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.exec(`
      set timezone = 'Pacific/Chatham';
      create table v (
        id int primary key, big int8, num numeric, d date, ts timestamp, tstz timestamptz, b bytea,
        j jsonb, arr int[], t text, flag bool, f8 float8
      );
      insert into v values
        (1, 9223372036854775807, 12345678901234567890.123456789012, '2024-02-29', '2024-02-29 23:59:59.123456',
         '2024-02-29 23:59:59.123456+13:45', '\\x00ff10', '{"a": [1, 2.50, "x"]}', '{1,2,3}', '', true, 0.1),
        (2, -9223372036854775808, -0.000000000000000000001, null, null, null, '\\x', null, '{}', 'NULL', false, 1e308),
        (3, null, null, null, null, null, null, null, null, null, null, null);
    `);
    session = await driverFor('postgres').connect(db.params, {});
  });
  afterAll(async () => {
    await session.close();
    await db.drop();
  });

  it('keeps int8 and numeric digit for digit, as strings', async () => {
    const r = await session.query('select big, num from v order by id');
    expect(r.rows[0]).toEqual(['9223372036854775807', '12345678901234567890.123456789012']);
    expect(r.rows[1]).toEqual(['-9223372036854775808', '-0.000000000000000000001']);
    expect(r.columns.map((c) => c.type)).toEqual(['int8', 'numeric']);
  });

  it('shows dates and timestamps as the server wrote them, not re-rendered in the viewer zone', async () => {
    await session.query("set timezone = 'UTC'");
    const r = await session.query('select d, ts, tstz from v where id = 1');
    expect(r.rows[0]).toEqual(['2024-02-29', '2024-02-29 23:59:59.123456', '2024-02-29 10:14:59.123456+00']);
  });

  it('gives bytea as hex with its byte length', async () => {
    const r = await session.query('select b from v order by id');
    expect(r.rows.map((row) => row[0])).toEqual([
      { kind: 'bytes', hex: '00ff10', length: 3 },
      { kind: 'bytes', hex: '', length: 0 },
      null,
    ]);
  });

  it('keeps JSON and arrays as their text', async () => {
    const r = await session.query('select j, arr from v where id = 1');
    expect(r.rows[0]).toEqual(['{"a": [1, 2.50, "x"]}', '{1,2,3}']);
  });

  it('keeps NULL, the empty string and the string NULL apart', async () => {
    const r = await session.query('select t from v order by id');
    expect(r.rows.map((row) => row[0])).toEqual(['', 'NULL', null]);
  });

  it('reads booleans and floats as text without rounding', async () => {
    const r = await session.query('select flag, f8 from v order by id');
    expect(r.rows).toEqual([
      ['true', '0.1'],
      ['false', '1e+308'],
      [null, null],
    ]);
  });

  it('binds parameters, never pastes values into SQL', async () => {
    const hostile = "'); drop table v; --";
    const r = await session.query('select $1::text as x', [hostile]);
    expect(r.rows).toEqual([[hostile]]);
    expect((await session.query('select count(*) from v')).rows).toEqual([['3']]);
  });

  it('reports a malformed statement with its position', async () => {
    await expect(session.query('select * fron v')).rejects.toMatchObject({ code: 'SQL_ERROR', sqlState: '42601', position: 10 });
  });
});

describe('MariaDB: values cross exactly', () => {
  let db: TestDatabase;
  let session: DbSession;
  beforeAll(async () => {
    db = await createMysqlDatabase();
    await db.exec(`
      create table v (
        id int primary key, ubig bigint unsigned, big bigint, dec30 decimal(30,10), d date, dt datetime(6), ts timestamp(3) null,
        bin varbinary(16), bl blob, j json, t varchar(20), dbl double, bits bit(4)
      );
      insert into v values
        (1, 18446744073709551615, -9223372036854775808, 12345678901234567890.0123456789, '2024-02-29', '2024-02-29 23:59:59.123456',
         '2024-02-29 23:59:59.123', x'00ff10', x'cafe', '{"a": [1, 2.50]}', '', 0.1, b'1010'),
        (2, 0, 9223372036854775807, -0.0000000001, '0000-00-00', null, null, x'', x'', null, 'NULL', 1e308, b'0000'),
        (3, null, null, null, null, null, null, null, null, null, null, null, null);
    `);
    session = await driverFor('mysql').connect(db.params, {});
  });
  afterAll(async () => {
    await session.close();
    await db.drop();
  });

  it('keeps BIGINT UNSIGNED, BIGINT and DECIMAL digit for digit', async () => {
    const r = await session.query('select ubig, big, dec30 from v order by id');
    expect(r.rows[0]).toEqual(['18446744073709551615', '-9223372036854775808', '12345678901234567890.0123456789']);
    expect(r.rows[1]).toEqual(['0', '9223372036854775807', '-0.0000000001']);
    expect(r.columns[0]!.type).toBe('LONGLONG UNSIGNED');
  });

  it('shows dates as the server wrote them, zero dates included', async () => {
    const r = await session.query('select d, dt, ts from v order by id');
    expect(r.rows[0]).toEqual(['2024-02-29', '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59.123']);
    expect(r.rows[1]![0]).toBe('0000-00-00');
  });

  it('gives binary columns as hex with their length, text stays text', async () => {
    const r = await session.query('select bin, bl, bits, t from v where id = 1');
    expect(r.rows[0]).toEqual([
      { kind: 'bytes', hex: '00ff10', length: 3 },
      { kind: 'bytes', hex: 'cafe', length: 2 },
      { kind: 'bytes', hex: '0a', length: 1 },
      '',
    ]);
  });

  it('keeps JSON as its text and NULL, empty and the string NULL apart', async () => {
    const r = await session.query('select j, t from v order by id');
    expect(r.rows.map((row) => row[0])).toEqual(['{"a": [1, 2.50]}', null, null]);
    expect(r.rows.map((row) => row[1])).toEqual(['', 'NULL', null]);
  });

  it('reads doubles as the server text', async () => {
    const r = await session.query('select dbl from v order by id');
    expect(r.rows.map((row) => row[0])).toEqual(['0.1', '1e308', null]);
  });

  it('reads the rows a called procedure returns', async () => {
    await session.query("create procedure two_rows() begin select 1 as a, 'x' as b union all select 2, 'y'; end");
    const r = await session.query('call two_rows()');
    expect(r.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(r.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
  });

  it('binds parameters and reports malformed SQL', async () => {
    const hostile = "'); drop table v; --";
    expect((await session.query('select ? as x', [hostile])).rows).toEqual([[hostile]]);
    await expect(session.query('select * fron v')).rejects.toMatchObject({ code: 'SQL_ERROR', sqlState: '42000' });
  });
});
