/**
 * Exports through the core, as the renderer calls it, on both real servers: every format, compared byte for
 * byte with psql's \copy where the server has a tool of its own, values checked exactly, SQL output loaded
 * back; progress, cancel (the partial file deleted, the statement gone from the server), ownership, and the
 * browser-mode download route.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { ExportProgress } from '../../shared/exports.ts';
import type { RpcEvent } from '../../shared/rpc.ts';
import type { CellValue } from '../../shared/values.ts';
import { connect } from '../../electron/core/connections/connector.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createFormatWriter } from '../../electron/core/exports/formats.ts';
import { startWebServer, type WebServer } from '../../electron/web/web-server.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';

const run = promisify(execFile);

interface Caller {
  client: CoreClient;
  events: RpcEvent[];
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

function caller(core: Core): Caller {
  const events: RpcEvent[] = [];
  const client = core.connectClient((e) => events.push(e));
  let nextId = 1;
  return {
    client,
    events,
    async call(method, input) {
      const response = await client.call(nextId++, method, input);
      if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
      return response.value as never;
    },
  };
}

const progressOf = (events: RpcEvent[], exportId: string): ExportProgress[] =>
  events.flatMap((e) => (e.event === 'exports/progress' && e.payload.exportId === exportId ? [e.payload] : []));

async function finished(who: Caller, exportId: string, timeoutMs = 30_000): Promise<ExportProgress> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = progressOf(who.events, exportId).find((p) => p.done);
    if (done) return done;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`export ${exportId} did not finish in ${timeoutMs} ms`);
}

const PG_TABLE = `
  create table t (id int primary key, txt text, num numeric, big int8, flag bool, raw bytea, doc jsonb, at timestamptz, arr text[], f float8);
  insert into t values
    (1, 'plain', 1.50, 9223372036854775807, true, '\\x00ff', '{"a": [1, "x,y"], "q": "say \\"hi\\""}', '2025-01-02 03:04:05.123456+00', '{a,"b c"}', 0.1),
    (2, '', null, -1, false, '\\x', 'null', null, '{}', 'NaN'),
    (3, null, 0, 0, null, null, null, '1999-12-31 23:59:59+00', null, '-Infinity'),
    (4, 'NULL', 12345678901234567890.000000000000000001, 1, true, null, '"s"', null, null, 1e300),
    (5, E'comma, "quote"\\nnewline\\r\\ncrlf\\ttab', null, null, null, null, null, null, null, null),
    (6, '\\.', null, null, null, null, null, null, null, null),
    (7, 'Zürich ✓ 🐘 日本', null, null, null, null, null, null, null, null),
    (8, E'back\\\\slash and it''s', null, null, null, '\\x5c27', null, null, '{"\\\\"}', null),
    (9, ' padded ', null, null, null, null, '{"nested": {"json": "text"}}', null, null, null);
  create table t_copy (like t);
  create table "Odd ""Name""" (id int, "a,b" text);
  insert into "Odd ""Name""" values (1, 'x');
  create table big as select g as id, md5(g::text) as h from generate_series(1, 20000) g;
`;

const MY_TABLE = `
  create table t (id int primary key, txt varchar(200), num decimal(30,10), big bigint unsigned, flag tinyint(1), raw varbinary(10),
                  doc json, at datetime(6), f double, bits bit(8));
  insert into t values
    (1, 'plain', 1.5, 18446744073709551615, 1, x'00ff', '{"a": [1, "x,y"]}', '2025-01-02 03:04:05.123456', 0.1, b'10100101'),
    (2, '', null, 0, 0, x'', 'null', null, -1e-300, null),
    (3, null, -12345678901234567890.1234567890, null, null, null, null, '1999-12-31 23:59:59', null, null),
    (4, 'NULL', 0, 1, 1, null, null, null, null, null),
    (5, 'comma, "quote"\\nnewline\\r\\ncrlf\\ttab', null, null, null, null, null, null, null, null),
    (6, 'back\\\\slash it''s \\0 nul', null, null, null, x'5c27', null, null, null, null),
    (7, 'Zürich ✓ 🐘 日本', null, null, null, null, null, null, null, null);
  create table t_copy like t;
  create table seq (n int primary key);
  insert into seq select seq from seq_1_to_20000;
`;

describe('exports through the core', () => {
  let dir: string;
  let core: Core;
  let a: Caller;
  let b: Caller;
  let pgDb: TestDatabase;
  let myDb: TestDatabase;
  let pgConn: string;
  let myConn: string;

  const psqlCopy = async (db: TestDatabase, query: string, file: string, header = true) => {
    await run('psql', ['-h', PG_HOST, '-p', String(PG_PORT), '-U', 'postgres', '-d', db.name, '-X', '-q', '-c', `\\copy (${query}) to '${file}' csv${header ? ' header' : ''}`], {
      env: { ...process.env, PGTZ: undefined, PGDATESTYLE: undefined },
    });
    return readFile(file);
  };

  const exportTo = async (who: Caller, input: MethodInput<'exports/start'>) => {
    const started = await who.call('exports/start', input);
    const end = await finished(who, started.exportId);
    return { started, end };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-exports-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    a = caller(core);
    b = caller(core);
    [pgDb, myDb] = await Promise.all([createPostgresDatabase(), createMysqlDatabase()]);
    await Promise.all([pgDb.exec(PG_TABLE), myDb.exec(MY_TABLE)]);
    const pgProfile = await a.call('profiles/save', { profile: { name: 'Export PG', ...pgDb.params } });
    const myProfile = await a.call('profiles/save', { profile: { name: 'Export Maria', ...myDb.params } });
    pgConn = (await a.call('connections/open', { profileId: pgProfile.id })).connectionId;
    myConn = (await a.call('connections/open', { profileId: myProfile.id })).connectionId;
  });
  afterAll(async () => {
    await core?.close();
    await Promise.all([pgDb?.drop(), myDb?.drop()]);
    await rm(dir, { recursive: true, force: true });
  });

  describe('PostgreSQL', () => {
    it('writes CSV byte for byte as psql \\copy does, and reports the rows', async () => {
      const query = 'select * from t order by id';
      const path = join(dir, 'pg.csv');
      const { started, end } = await exportTo(a, { connectionId: pgConn, sql: `${query};`, format: 'csv', path });
      expect(started).toEqual({ exportId: expect.any(String), path, fileName: 'pg.csv' });
      expect(end).toMatchObject({ done: true, rows: 9 });
      expect(end.error).toBeUndefined();
      const ours = await readFile(path);
      expect(end.bytes).toBe(ours.length);
      const theirs = await psqlCopy(pgDb, query, join(dir, 'psql.csv'));
      expect(ours.toString('utf8')).toBe(theirs.toString('utf8'));
      expect(ours.equals(theirs)).toBe(true);
      // Spot checks of the rules the comparison relies on.
      const text = ours.toString('utf8');
      expect(text).toContain('\n2,"",,-1,f,\\x,null,,{},NaN\n');
      expect(text).toContain('\n3,,0,0,,,,1999-12-31 23:59:59+00,,-Infinity\n');
      expect(text).toContain('\n4,NULL,');
    });

    it('writes the same bytes when the core formats the rows itself (the way MySQL and the demo go)', async () => {
      const query = 'select * from t order by id';
      for (const header of [true, false]) {
        const session = await connect({ params: pgDb.params }, { applicationName: 'test' });
        try {
          const cursor = await session.openStatement(query);
          const writer = createFormatWriter('csv', { engine: 'postgres', columns: cursor.columns, headers: header });
          let out = writer.start();
          for (let rows = await cursor.read(3); rows.length; rows = await cursor.read(3)) out += writer.rows(rows);
          out += writer.end();
          await cursor.close();
          expect(out).toBe((await psqlCopy(pgDb, query, join(dir, 'psql-js.csv'), header)).toString('utf8'));
        } finally {
          await session.close();
        }
      }
      // One column: a lone \. is quoted by both.
      const one = join(dir, 'one.csv');
      await exportTo(a, { connectionId: pgConn, sql: 'select txt from t order by id', format: 'csv', path: one, headers: false });
      expect(await readFile(one, 'utf8')).toBe((await psqlCopy(pgDb, 'select txt from t order by id', join(dir, 'psql-one.csv'), false)).toString('utf8'));
      expect(await readFile(one, 'utf8')).toContain('\n"\\."\n');
    });

    it('exports what COPY cannot wrap by reading the cursor: the same CSV rules', async () => {
      const path = join(dir, 'show.csv');
      const { end } = await exportTo(a, { connectionId: pgConn, sql: 'show standard_conforming_strings', format: 'csv', path });
      expect(end).toMatchObject({ done: true, rows: 1 });
      expect(await readFile(path, 'utf8')).toBe('standard_conforming_strings\non\n');
    });

    it('writes JSON lines and a JSON array with every value exact', async () => {
      const session = await connect({ params: pgDb.params }, { applicationName: 'test' });
      const expected = await session.query('select * from t order by id');
      await session.close();
      const asJson = (v: CellValue) => (v === null || typeof v === 'string' ? v : `\\x${v.hex}`);
      const objects = expected.rows.map((row) => Object.fromEntries(expected.columns.map((c, i) => [c.name, asJson(row[i]!)])));
      expect(objects[0]).toMatchObject({ big: '9223372036854775807', num: '1.50', raw: '\\x00ff', doc: '{"a": [1, "x,y"], "q": "say \\"hi\\""}', flag: 'true' });
      expect(objects[3]).toMatchObject({ num: '12345678901234567890.000000000000000001', txt: 'NULL' });

      const lines = join(dir, 'pg.jsonl');
      expect((await exportTo(a, { connectionId: pgConn, sql: 'select * from t order by id', format: 'jsonl', path: lines })).end).toMatchObject({ done: true, rows: 9 });
      const text = await readFile(lines, 'utf8');
      expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(objects);
      expect(text).toContain('"big":"9223372036854775807"');

      const array = join(dir, 'pg.json');
      await exportTo(a, { connectionId: pgConn, sql: 'select * from t order by id', format: 'json', path: array });
      expect(JSON.parse(await readFile(array, 'utf8'))).toEqual(objects);
    });

    it('writes INSERT statements that load back into the same rows', async () => {
      const path = join(dir, 'pg.sql');
      const { end } = await exportTo(a, { connectionId: pgConn, sql: 'select * from t order by id', format: 'sql', table: 't_copy', rowsPerInsert: 4, path });
      expect(end).toMatchObject({ done: true, rows: 9 });
      const sql = await readFile(path, 'utf8');
      expect(sql.match(/^INSERT INTO "t_copy" \("id", "txt", "num", "big", "flag", "raw", "doc", "at", "arr", "f"\) VALUES$/gm)).toHaveLength(3);
      expect(sql).toContain("'back\\slash and it''s'");
      expect(sql).toContain("'\\x5c27'::bytea");
      await run('psql', ['-h', PG_HOST, '-p', String(PG_PORT), '-U', 'postgres', '-d', pgDb.name, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', path]);
      const original = await psqlCopy(pgDb, 'select * from t order by id', join(dir, 'orig.csv'));
      const loaded = await psqlCopy(pgDb, 'select * from t_copy order by id', join(dir, 'loaded.csv'));
      expect(loaded.equals(original)).toBe(true);
    });

    it('quotes a qualified INSERT target and odd column names', async () => {
      const path = join(dir, 'odd.sql');
      await exportTo(a, { connectionId: pgConn, sql: 'select * from "Odd ""Name"""', format: 'sql', table: ['public', 'Odd "Name"'], path });
      expect(await readFile(path, 'utf8')).toBe('INSERT INTO "public"."Odd ""Name""" ("id", "a,b") VALUES\n  (1, \'x\');\n');
    });

    it('runs the statement read-only: an export never changes data', async () => {
      const path = join(dir, 'delete.csv');
      const { end } = await exportTo(a, { connectionId: pgConn, sql: 'delete from t returning *', format: 'csv', path });
      expect(end).toMatchObject({ done: true, error: { code: 'SQL_ERROR', sqlState: '25006' } });
      await expect(stat(path)).rejects.toThrow();
      const check = await connect({ params: pgDb.params }, { applicationName: 'test' });
      expect((await check.query('select count(*) from t')).rows[0]![0]).toBe('9');
      await check.close();
    });

    it('reports a failing statement with its position in the user\'s SQL, and leaves no file', async () => {
      const sql = '-- a comment\nselect id from no_such_table';
      const path = join(dir, 'fail.csv');
      const { end } = await exportTo(a, { connectionId: pgConn, sql, format: 'csv', path });
      expect(end.error).toMatchObject({ code: 'SQL_ERROR', sqlState: '42P01' });
      expect(sql.slice(end.error!.position! - 1)).toBe('no_such_table');
      const syntax = await exportTo(a, { connectionId: pgConn, sql: 'select from from t', format: 'csv', path });
      expect(syntax.end.error).toMatchObject({ code: 'SQL_ERROR', sqlState: '42601', position: 13 });
      expect((await readdir(dir)).filter((f) => f.includes('fail.csv') || f.endsWith('.partial'))).toEqual([]);
    });

    it('replaces an existing file only when the export finished', async () => {
      const path = join(dir, 'keep.csv');
      await writeFile(path, 'old contents');
      await exportTo(a, { connectionId: pgConn, sql: 'select 1/0', format: 'csv', path });
      expect(await readFile(path, 'utf8')).toBe('old contents');
      await exportTo(a, { connectionId: pgConn, sql: 'select 1 as one', format: 'csv', path });
      expect(await readFile(path, 'utf8')).toBe('one\n1\n');
    });

    it('refuses a file it cannot write, at once', async () => {
      await expect(a.call('exports/start', { connectionId: pgConn, sql: 'select 1', format: 'csv', path: join(dir, 'missing', 'x.csv') })).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringContaining('does not exist'),
      });
      await expect(a.call('exports/start', { connectionId: pgConn, sql: 'select 1', format: 'csv', path: dir })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(a.call('exports/start', { connectionId: 'gone', sql: 'select 1', format: 'csv', path: join(dir, 'x.csv') })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    });

    it('reports progress about every 250 ms while it runs, then once at the end', async () => {
      const path = join(dir, 'slow.jsonl');
      const sql = 'select g, pg_sleep(case when g % 1000 = 0 then 0.15 else 0 end) from generate_series(1, 6000) g';
      const { started, end } = await exportTo(a, { connectionId: pgConn, sql, format: 'jsonl', path });
      expect(end).toMatchObject({ done: true, rows: 6000 });
      const seen = progressOf(a.events, started.exportId);
      const running = seen.filter((p) => !p.done);
      expect(running.length).toBeGreaterThanOrEqual(2);
      expect(seen.filter((p) => p.done)).toHaveLength(1);
      expect(seen.at(-1)!.done).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.rows).toBeGreaterThanOrEqual(seen[i - 1]!.rows);
      expect(await a.call('exports/status', { exportId: started.exportId })).toMatchObject({ done: true, rows: 6000, format: 'jsonl', path });
    });

    it('cancels a running COPY: the partial file is deleted and the statement is gone from the server', async () => {
      const path = join(dir, 'huge.csv');
      // generate_series in the select list streams (in FROM it would be materialised first).
      const sql = "select g, repeat('x', 200) from (select generate_series(1, 200000000) as g) s";
      const started = await a.call('exports/start', { connectionId: pgConn, sql, format: 'csv', path });
      await expect.poll(() => progressOf(a.events, started.exportId).some((p) => p.rows > 1000), { timeout: 15_000 }).toBe(true);
      const partials = (await readdir(dir)).filter((f) => f.startsWith('.huge.csv.'));
      expect(partials).toHaveLength(1);
      const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'postgres' });
      await admin.connect();
      const exporting = () => admin.query("select query from pg_stat_activity where datname = $1 and application_name = 'Cabinet (export)'", [pgDb.name]);
      // The server formats the CSV, as for psql's \copy.
      expect((await exporting()).rows.map((r: { query: string }) => r.query)).toEqual([`COPY (\n${sql}\n) TO STDOUT WITH (FORMAT csv, HEADER)`]);
      const asked = performance.now();
      expect(await a.call('exports/cancel', { exportId: started.exportId })).toEqual({ cancelled: true });
      expect(performance.now() - asked).toBeLessThan(2000);
      const end = await finished(a, started.exportId);
      expect(end).toMatchObject({ done: true, cancelled: true });
      expect(end.error).toBeUndefined();
      expect((await readdir(dir)).filter((f) => f.includes('huge.csv'))).toEqual([]);
      await expect.poll(async () => (await exporting()).rows.length).toBe(0);
      await admin.end();
      expect(await a.call('exports/cancel', { exportId: started.exportId })).toEqual({ cancelled: false });
    });

    it('cancels a statement that has not sent a row yet', async () => {
      const path = join(dir, 'sleep.csv');
      const started = await a.call('exports/start', { connectionId: pgConn, sql: 'select pg_sleep(60)', format: 'csv', path });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const asked = performance.now();
      expect(await a.call('exports/cancel', { exportId: started.exportId })).toEqual({ cancelled: true });
      expect((await finished(a, started.exportId, 5000)).cancelled).toBe(true);
      expect(performance.now() - asked).toBeLessThan(2000);
      await expect(stat(path)).rejects.toThrow();
    });

    it('belongs to the client that started it', async () => {
      const started = await a.call('exports/start', { connectionId: pgConn, sql: 'select * from big', format: 'csv', path: join(dir, 'mine.csv') });
      await expect(b.call('exports/status', { exportId: started.exportId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(b.call('exports/cancel', { exportId: started.exportId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await finished(a, started.exportId)).rows).toBe(20000);
      // Many network reads' worth of COPY data, byte for byte.
      expect((await readFile(join(dir, 'mine.csv'))).equals(await psqlCopy(pgDb, 'select * from big', join(dir, 'psql-big.csv')))).toBe(true);
      expect(progressOf(b.events, started.exportId)).toEqual([]);
      await expect(a.call('exports/status', { exportId: 'no-such-export' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('cancels a running export when its client goes away', async () => {
      const c = caller(core);
      const path = join(dir, 'orphan.csv');
      const started = await c.call('exports/start', { connectionId: pgConn, sql: "select g, repeat('y', 200) from (select generate_series(1, 200000000) as g) s", format: 'csv', path });
      await expect.poll(() => progressOf(c.events, started.exportId).some((p) => p.rows > 0), { timeout: 15_000 }).toBe(true);
      await c.client.close();
      await expect.poll(async () => (await readdir(dir)).filter((f) => f.includes('orphan.csv')), { timeout: 5000 }).toEqual([]);
    });
  });

  it('exports from the embedded demo, where the core formats the CSV itself', async () => {
    const demo = (await a.call('connections/open', { profileId: 'demo' })).connectionId;
    const path = join(dir, 'demo.csv');
    const { end } = await exportTo(a, { connectionId: demo, sql: 'select artist_id, name from artist order by artist_id limit 3', format: 'csv', path });
    expect(end).toMatchObject({ done: true, rows: 3 });
    expect(await readFile(path, 'utf8')).toBe('artist_id,name\n1,AC/DC\n2,Accept\n3,Aerosmith\n');
    await a.call('connections/close', { connectionId: demo });
  });

  describe('MariaDB', () => {
    it('writes CSV with the same rules: NULL, "", bytes as \\x hex, exact numbers', async () => {
      const path = join(dir, 'my.csv');
      const { end } = await exportTo(a, { connectionId: myConn, sql: 'select * from t order by id', format: 'csv', path });
      expect(end).toMatchObject({ done: true, rows: 7 });
      expect(await readFile(path, 'utf8')).toBe(
        [
          'id,txt,num,big,flag,raw,doc,at,f,bits',
          '1,plain,1.5000000000,18446744073709551615,1,\\x00ff,"{""a"": [1, ""x,y""]}",2025-01-02 03:04:05.123456,0.1,\\xa5',
          '2,"",,0,0,\\x,null,,-1e-300,',
          '3,,-12345678901234567890.1234567890,,,,,1999-12-31 23:59:59.000000,,',
          '4,NULL,0.0000000000,1,1,,,,,',
          '5,"comma, ""quote""\nnewline\r\ncrlf\ttab",,,,,,,,',
          "6,back\\slash it's \0 nul,,,,\\x5c27,,,,",
          '7,Zürich ✓ 🐘 日本,,,,,,,,',
          '',
        ].join('\n'),
      );
    });

    it('writes JSON lines and an array with exact values', async () => {
      const path = join(dir, 'my.jsonl');
      await exportTo(a, { connectionId: myConn, sql: 'select id, big, raw, doc, txt from t where id in (1, 2, 6) order by id', format: 'jsonl', path });
      expect((await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
        { id: '1', big: '18446744073709551615', raw: '\\x00ff', doc: '{"a": [1, "x,y"]}', txt: 'plain' },
        { id: '2', big: '0', raw: '\\x', doc: 'null', txt: '' },
        { id: '6', big: null, raw: '\\x5c27', doc: null, txt: "back\\slash it's \0 nul" },
      ]);
      const array = join(dir, 'my.json');
      await exportTo(a, { connectionId: myConn, sql: 'select id from t order by id limit 2', format: 'json', path: array });
      expect(await readFile(array, 'utf8')).toBe('[\n{"id":"1"},\n{"id":"2"}\n]\n');
    });

    it('writes INSERT statements that load back into the same rows', async () => {
      const path = join(dir, 'my.sql');
      const { end } = await exportTo(a, { connectionId: myConn, sql: 'select * from t order by id', format: 'sql', table: 't_copy', path });
      expect(end).toMatchObject({ done: true, rows: 7 });
      const sql = await readFile(path, 'utf8');
      expect(sql).toContain("'back\\\\slash it\\'s \\0 nul'");
      expect(sql).toContain("X'5c27'");
      await myDb.exec(sql);
      const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: myDb.name });
      const [[diff]] = (await conn.query(
        'select (select count(*) from t) as a, (select count(*) from t_copy) as b, (select count(*) from t natural join t_copy) as same',
      )) as unknown as [[{ a: number; b: number; same: number }]];
      // NULL never joins: compare the rows by their text, NULL included.
      const [[text]] = (await conn.query(
        "select (select group_concat(concat_ws('|', id, ifnull(txt,'~'), ifnull(num,'~'), ifnull(big,'~'), ifnull(flag,'~'), ifnull(hex(raw),'~'), ifnull(doc,'~'), ifnull(at,'~'), ifnull(f,'~'), ifnull(hex(bits),'~')) order by id) from t) as a, " +
          "(select group_concat(concat_ws('|', id, ifnull(txt,'~'), ifnull(num,'~'), ifnull(big,'~'), ifnull(flag,'~'), ifnull(hex(raw),'~'), ifnull(doc,'~'), ifnull(at,'~'), ifnull(f,'~'), ifnull(hex(bits),'~')) order by id) from t_copy) as b",
      )) as unknown as [[{ a: string; b: string }]];
      await conn.end();
      expect(diff!.a).toBe(7);
      expect(diff!.b).toBe(7);
      expect(text!.b).toBe(text!.a);
    });

    it('cancels a running stream: KILL QUERY, the partial file deleted, the query gone', async () => {
      const path = join(dir, 'my-huge.csv');
      const started = await a.call('exports/start', { connectionId: myConn, sql: 'select seq, repeat(\'z\', 200) from seq_1_to_200000000', format: 'csv', path });
      await expect.poll(() => progressOf(a.events, started.exportId).some((p) => p.rows > 1000), { timeout: 15_000 }).toBe(true);
      const asked = performance.now();
      expect(await a.call('exports/cancel', { exportId: started.exportId })).toEqual({ cancelled: true });
      expect(performance.now() - asked).toBeLessThan(2000);
      expect(await finished(a, started.exportId)).toMatchObject({ done: true, cancelled: true });
      expect((await readdir(dir)).filter((f) => f.includes('my-huge.csv'))).toEqual([]);
      const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '' });
      await expect
        .poll(async () => ((await conn.query("select count(*) as n from information_schema.processlist where info like '%seq_1_to_200000000%' and info not like '%processlist%'")) as unknown as [[{ n: number }]])[0][0].n)
        .toBe(0);
      await conn.end();
    });

    it('exports a bigger result whole', async () => {
      const path = join(dir, 'seq.csv');
      const { end } = await exportTo(a, { connectionId: myConn, sql: 'select n from seq order by n', format: 'csv', headers: false, path });
      expect(end).toMatchObject({ done: true, rows: 20000 });
      const lines = (await readFile(path, 'utf8')).split('\n');
      expect(lines).toHaveLength(20001);
      expect(lines[19999]).toBe('20000');
    });
  });

  describe('browser mode', () => {
    let server: WebServer;
    let cookie: string;

    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });

    beforeAll(async () => {
      server = await startWebServer({ core, staticDir: join(import.meta.dirname, '..', 'support', 'static'), port: 0 });
      cookie = String((await get(`/?token=${server.token}`)).headers['set-cookie']).split(';')[0]!;
    });
    afterAll(async () => {
      await server?.close();
    });

    it('serves a finished export once, as an attachment, only with the token', async () => {
      const { started, end } = await exportTo(a, { connectionId: pgConn, sql: 'select * from t order by id', format: 'csv', name: 'Orders 2025' });
      expect(end).toMatchObject({ done: true, rows: 9 });
      expect(started.downloadUrl).toBe(`/downloads/${started.exportId}`);
      expect(started.fileName).toMatch(/^export-Orders_2025-\d{8}-\d{6}\.csv$/);
      expect((await a.call('exports/status', { exportId: started.exportId })).downloadUrl).toBe(started.downloadUrl);

      const refused = await get(started.downloadUrl!);
      expect(refused.status).toBe(403);
      expect((await get(started.downloadUrl!, { cookie: 'cabinet_token=wrong' })).status).toBe(403);
      expect((await get(started.downloadUrl!, { cookie, origin: 'http://evil.example' })).status).toBe(403);
      expect((await get(started.downloadUrl!, { cookie, host: 'evil.example' })).status).toBe(403);

      const reply = await get(started.downloadUrl!, { cookie, origin: `http://127.0.0.1:${server.port}` });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(reply.headers['content-disposition']).toBe(`attachment; filename="${started.fileName}"; filename*=UTF-8''${started.fileName}`);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.body.equals(await psqlCopy(pgDb, 'select * from t order by id', join(dir, 'psql-dl.csv')))).toBe(true);

      // Downloaded: the file is gone with its private folder, and the address answers 404.
      await expect.poll(() => stat(dirname(started.path)).then(() => true, () => false)).toBe(false);
      expect((await get(started.downloadUrl!, { cookie })).status).toBe(404);
      expect((await a.call('exports/status', { exportId: started.exportId })).downloadUrl).toBeUndefined();
    });

    it('leaves nothing behind when a browser-mode export fails', async () => {
      const { started, end } = await exportTo(a, { connectionId: pgConn, sql: 'select 1/0', format: 'csv' });
      expect(end.error).toMatchObject({ sqlState: '22012' });
      await expect(stat(dirname(started.path))).rejects.toThrow();
      expect((await get(started.downloadUrl!, { cookie })).status).toBe(404);
    });

    it('answers 404 for unknown and odd ids', async () => {
      for (const id of ['nope', '00000000-0000-0000-0000-000000000000', '..%2F..%2Fetc%2Fpasswd', '%00']) {
        expect((await get(`/downloads/${id}`, { cookie })).status).toBe(404);
      }
    });

    it('deletes a waiting download when its client goes away, or when it is cancelled after it finished', async () => {
      const c = caller(core);
      const { started } = await exportTo(c, { connectionId: myConn, sql: 'select * from t', format: 'json' });
      expect(started.fileName).toMatch(/^export-query-\d{8}-\d{6}\.json$/);
      expect((await stat(started.path)).isFile()).toBe(true);
      expect((await get(started.downloadUrl!, { cookie }, 'HEAD')).status).toBe(200);
      expect(((await stat(dirname(started.path))).mode & 0o777).toString(8)).toBe('700');
      await c.client.close();
      await expect.poll(() => stat(dirname(started.path)).then(() => true, () => false)).toBe(false);
      expect((await get(started.downloadUrl!, { cookie })).status).toBe(404);

      const again = await exportTo(a, { connectionId: myConn, sql: 'select 1', format: 'sql' });
      expect(await a.call('exports/cancel', { exportId: again.started.exportId })).toEqual({ cancelled: false });
      await expect.poll(() => stat(dirname(again.started.path)).then(() => true, () => false)).toBe(false);
      expect((await get(again.started.downloadUrl!, { cookie })).status).toBe(404);
    });
  });
});
