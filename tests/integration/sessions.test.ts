/** Query sessions as the SQL editor uses them, on real servers: cursors, the spool, cancel, transactions, messages. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { RpcEvent } from '../../shared/rpc.ts';
import type { SessionProgress } from '../../shared/sessions.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';

let dir: string;
let core: Core;
let client: CoreClient;
const events: RpcEvent[] = [];
let nextId = 1;

async function call<M extends MethodName>(method: M, input: MethodInput<M>, as: CoreClient = client): Promise<MethodOutput<M>> {
  const response = await as.call(nextId++, method, input);
  if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
  return response.value as MethodOutput<M>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cabinet-sessions-'));
  core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
  client = core.connectClient((e) => events.push(e));
});
afterAll(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

async function openSession(db: TestDatabase) {
  const profile = await call('profiles/save', { profile: { name: db.name, ...db.params } });
  const connection = await call('connections/open', { profileId: profile.id });
  return call('sessions/open', { connectionId: connection.connectionId });
}

describe.each([
  ['PostgreSQL', 'postgres' as const],
  ['MariaDB', 'mysql' as const],
])('%s sessions', (_label, engine) => {
  let db: TestDatabase;
  let admin: { query(sql: string): Promise<unknown[][]>; end(): Promise<void> };
  beforeAll(async () => {
    db = engine === 'postgres' ? await createPostgresDatabase() : await createMysqlDatabase();
    await db.exec('create table t (id int primary key, note text)');
    if (engine === 'postgres') {
      const c = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
      await c.connect();
      admin = { query: async (sql) => (await c.query({ text: sql, rowMode: 'array' })).rows, end: () => c.end() };
    } else {
      const c = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
      admin = { query: async (sql) => (await c.query({ sql, rowsAsArray: true }))[0] as unknown[][], end: () => c.end() };
    }
  });
  afterAll(async () => {
    await admin.end();
    await db.drop();
  });

  const series = (n: number) =>
    engine === 'postgres'
      ? `select g as id, repeat('x', 20) as pad from generate_series(1, ${n}) g`
      : // MariaDB's sequence engine (a recursive CTE stops at max_recursive_iterations, 1000).
        `select seq as id, repeat('x', 20) as pad from seq_1_to_${n}`;

  it('keeps BEGIN in its own tab: another tab does not see the uncommitted row', async () => {
    const one = await openSession(db);
    const two = await openSession(db);
    await call('sessions/execute', { sessionId: one.sessionId, sql: 'BEGIN' });
    const insert = await call('sessions/execute', { sessionId: one.sessionId, sql: "insert into t values (1, 'mine')" });
    expect(insert).toMatchObject({ kind: 'command', rowsAffected: 1, transaction: 'open' });
    expect((await call('sessions/status', { sessionId: one.sessionId })).transaction).toBe('open');
    const seen = await call('sessions/execute', { sessionId: two.sessionId, sql: 'select count(*) from t' });
    expect(seen.rows).toEqual([['0']]);
    await call('sessions/close', { sessionId: one.sessionId, finish: 'rollback' });
    await call('sessions/close', { sessionId: two.sessionId });
  });

  it('reads a large result a window at a time, by row index, exactly', async () => {
    const session = await openSession(db);
    const outcome = await call('sessions/execute', { sessionId: session.sessionId, sql: series(300_000), firstRows: 100 });
    expect(outcome.kind).toBe('rows');
    expect(outcome.columns.map((c) => c.name)).toEqual(['id', 'pad']);
    expect(outcome.rows).toHaveLength(100);
    expect(outcome.rows[0]).toEqual(['1', 'x'.repeat(20)]);
    if (engine === 'postgres') {
      // The cursor read one batch, not the whole result.
      expect(outcome.complete).toBe(false);
      expect(outcome.rowCount).toBeLessThanOrEqual(1_000);
    }
    // MySQL reads on in the background: the far rows come once the read has reached them.
    await expect
      .poll(async () => (await call('sessions/rows', { resultId: outcome.resultId!, start: 250_000, count: 3 })).rows.map((r) => r[0]), { timeout: 30_000 })
      .toEqual(['250001', '250002', '250003']);
    const back = await call('sessions/rows', { resultId: outcome.resultId!, start: 10, count: 2 });
    expect(back.rows.map((r) => r[0])).toEqual(['11', '12']);
    await expect.poll(async () => (await call('sessions/rows', { resultId: outcome.resultId!, start: 299_999, count: 5 })).complete, { timeout: 30_000 }).toBe(true);
    const last = await call('sessions/rows', { resultId: outcome.resultId!, start: 299_999, count: 5 });
    expect(last).toMatchObject({ rowCount: 300_000, complete: true, rows: [['300000', 'x'.repeat(20)]] });
    if (engine === 'mysql') {
      const progress = events.filter((e): e is { event: 'sessions/progress'; payload: SessionProgress } => e.event === 'sessions/progress' && (e.payload as SessionProgress).resultId === outcome.resultId);
      expect(progress.at(-1)?.payload).toMatchObject({ rowCount: 300_000, complete: true });
    }
    await call('sessions/close', { sessionId: session.sessionId });
  });

  it('cancels a long statement from a second connection; the session and its transaction survive', async () => {
    const session = await openSession(db);
    await call('sessions/execute', { sessionId: session.sessionId, sql: 'BEGIN' });
    await call('sessions/execute', { sessionId: session.sessionId, sql: "insert into t values (2, 'kept')" });
    const sleep = engine === 'postgres' ? 'select pg_sleep(60)' : 'select sleep(60)';
    const running = call('sessions/execute', { sessionId: session.sessionId, sql: sleep }).then(
      (value) => ({ value }),
      (error: { code?: string; message?: string }) => ({ error }),
    );
    const activity = engine === 'postgres' ? "select count(*) from pg_stat_activity where query like 'select pg_sleep(60)%' and state = 'active'" : "select count(*) from information_schema.processlist where info like 'select sleep(60)%'";
    await expect.poll(async () => Number((await admin.query(activity))[0]![0]), { timeout: 10_000 }).toBe(1);
    expect(await call('sessions/cancel', { sessionId: session.sessionId })).toMatchObject({ cancelled: true });
    const ended = await running;
    if (engine === 'postgres') expect('error' in ended && ended.error.message).toMatch(/cancel/i);
    // MariaDB answers an interrupted SLEEP() with 1 (no error), PostgreSQL with 57014.
    await expect.poll(async () => Number((await admin.query(activity))[0]![0]), { timeout: 10_000 }).toBe(0);
    if (engine === 'postgres') {
      // A cancelled statement fails the transaction; the tab can roll it back.
      expect((await call('sessions/status', { sessionId: session.sessionId })).transaction).toBe('failed');
      await call('sessions/execute', { sessionId: session.sessionId, sql: 'ROLLBACK' });
    } else {
      const still = await call('sessions/execute', { sessionId: session.sessionId, sql: 'select note from t where id = 2' });
      expect(still.rows).toEqual([['kept']]);
      await call('sessions/execute', { sessionId: session.sessionId, sql: 'ROLLBACK' });
    }
    // Races: nothing running, twice.
    expect(await call('sessions/cancel', { sessionId: session.sessionId })).toMatchObject({ cancelled: false });
    expect(await call('sessions/cancel', { sessionId: session.sessionId })).toMatchObject({ cancelled: false });
    expect((await call('sessions/execute', { sessionId: session.sessionId, sql: 'select 1' })).rows).toEqual([['1']]);
    await call('sessions/close', { sessionId: session.sessionId });
  });

  it('passes on notices and warnings, and errors with their position', async () => {
    const session = await openSession(db);
    const noisy =
      engine === 'postgres'
        ? await call('sessions/execute', { sessionId: session.sessionId, sql: "do $$ begin raise notice 'hello from plpgsql'; end $$" })
        : await call('sessions/execute', { sessionId: session.sessionId, sql: "select cast('abc' as signed)" });
    expect(noisy.messages.map((m) => m.message).join(' ')).toMatch(engine === 'postgres' ? /hello from plpgsql/ : /Truncated incorrect INTEGER value: 'abc'/);
    const bad = await call('sessions/execute', { sessionId: session.sessionId, sql: 'select * from t wher id = 1' }).catch((e: unknown) => e as { code: string; sqlState?: string; position?: number });
    expect(bad).toMatchObject({ code: 'SQL_ERROR' });
    if (engine === 'postgres') expect(bad).toMatchObject({ sqlState: '42601', position: 22 });
    // The session goes on after an error.
    expect((await call('sessions/execute', { sessionId: session.sessionId, sql: 'select 2' })).rows).toEqual([['2']]);
    await call('sessions/close', { sessionId: session.sessionId });
  });

  it('a session whose connection the server dropped says so once, then reconnects on the next statement', async () => {
    const session = await openSession(db);
    await call('sessions/execute', { sessionId: session.sessionId, sql: 'select 1' });
    if (engine === 'postgres') await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'Cabinet (query)'`);
    else {
      const rows = await admin.query(`select id from information_schema.processlist where db = database() and id <> connection_id() and command = 'Sleep'`);
      for (const [id] of rows) await admin.query(`kill ${Number(id)}`);
    }
    await expect
      .poll(() => call('sessions/execute', { sessionId: session.sessionId, sql: 'select 2' }).then(() => 'ok', (e: { code: string }) => e.code))
      .toBe('CONNECTION_LOST');
    expect((await call('sessions/execute', { sessionId: session.sessionId, sql: 'select 3' })).rows).toEqual([['3']]);
    await call('sessions/close', { sessionId: session.sessionId });
  });

  it('another client cannot read or use this client\'s session and results', async () => {
    const session = await openSession(db);
    const outcome = await call('sessions/execute', { sessionId: session.sessionId, sql: series(10) });
    const other = core.connectClient(() => undefined);
    await expect(call('sessions/execute', { sessionId: session.sessionId, sql: 'select 1' }, other)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('sessions/rows', { resultId: outcome.resultId!, start: 0, count: 1 }, other)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await other.close();
    await call('sessions/close', { sessionId: session.sessionId });
  });
});

describe('history and saved queries', () => {
  it('keeps every statement with its connection, duration, rows or error, across a restart, searchable', async () => {
    const db = await createPostgresDatabase();
    try {
      const session = await openSession(db);
      await call('sessions/execute', { sessionId: session.sessionId, sql: 'select 41 + 1 as answer' });
      await call('sessions/execute', { sessionId: session.sessionId, sql: 'select * from nowhere_at_all' }).catch(() => undefined);
      await call('sessions/close', { sessionId: session.sessionId });
      await expect.poll(async () => (await call('history/search', { text: 'nowhere_at_all' })).entries.length).toBe(1);

      const restarted = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
      const other = restarted.connectClient(() => undefined);
      const { entries } = await call('history/search', { text: 'nowhere_at_all' }, other);
      expect(entries[0]).toMatchObject({ connectionName: db.name, database: db.name, sql: 'select * from nowhere_at_all', error: expect.stringContaining('nowhere_at_all') });
      const ok = (await call('history/search', { text: '41 + 1' }, other)).entries[0];
      expect(ok).toMatchObject({ rows: 1, sql: 'select 41 + 1 as answer' });
      expect(ok!.durationMs).toBeGreaterThanOrEqual(0);
      await restarted.close();
    } finally {
      await db.drop();
    }
  });

  it('saves queries as .sql files in a folder a person can see, and refuses names that would leave it', async () => {
    const saved = await call('queries/save', { name: 'Top customers', text: 'select 1;\n' });
    expect(saved.path).toBe(join(dir, 'queries', 'Top customers.sql'));
    const { folder, queries } = await call('queries/list', {});
    expect(folder).toBe(join(dir, 'queries'));
    expect(queries.map((q) => q.name)).toContain('Top customers');
    expect(await call('queries/read', { name: 'Top customers' })).toEqual({ name: 'Top customers', text: 'select 1;\n' });
    for (const name of ['../escape', '.hidden', 'a/b', '']) {
      await expect(call('queries/save', { name, text: 'x' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
    await call('queries/delete', { name: 'Top customers' });
    await expect(call('queries/read', { name: 'Top customers' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a read-only connection', () => {
  it.each([
    ['PostgreSQL', createPostgresDatabase],
    ['MariaDB', createMysqlDatabase],
  ])('%s: the server refuses every change from its sessions', async (_label, create) => {
    const db = await create();
    try {
      await db.exec('create table t (id int)');
      const profile = await call('profiles/save', { profile: { name: `${db.name} ro`, ...db.params, readOnly: true } });
      const connection = await call('connections/open', { profileId: profile.id });
      expect(connection.readOnly).toBe(true);
      const session = await call('sessions/open', { connectionId: connection.connectionId });
      await expect(call('sessions/execute', { sessionId: session.sessionId, sql: 'insert into t values (1)' })).rejects.toMatchObject({
        code: 'SQL_ERROR',
        message: expect.stringMatching(/read-only|READ ONLY/i),
      });
      expect((await call('sessions/execute', { sessionId: session.sessionId, sql: 'select count(*) from t' })).rows).toEqual([['0']]);
      await call('connections/close', { connectionId: connection.connectionId });
    } finally {
      await db.drop();
    }
  });
});
