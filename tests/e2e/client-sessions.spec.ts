import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

/**
 * A session belongs to the browser tab that opened it: when the tab goes, the session closes and the server
 * rolls its open transaction back. The tab here talks to the core over its own socket, as the renderer does.
 */
async function beginInTab(page: import('@playwright/test').Page, db: TestDatabase): Promise<string> {
  return page.evaluate(async (params) => {
    const ws = new WebSocket(`ws://${location.host}/rpc`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    let id = 0;
    const call = (method: string, input: unknown) =>
      new Promise<{ ok: boolean; value?: Record<string, string>; error?: { message: string } }>((resolve) => {
        const mine = ++id;
        ws.addEventListener('message', (event) => {
          const message = JSON.parse(String(event.data));
          if (message.id === mine) resolve(message);
        });
        ws.send(JSON.stringify({ id: mine, method, input }));
      });
    const must = async (method: string, input: unknown) => {
      const answer = await call(method, input);
      if (!answer.ok) throw new Error(`${method}: ${answer.error?.message}`);
      return answer.value!;
    };
    const profile = await must('profiles/save', { profile: { name: 'tab test', ...params } });
    const connection = await must('connections/open', { profileId: profile.id! });
    const session = await must('sessions/open', { connectionId: connection.connectionId! });
    await must('sessions/execute', { sessionId: session.sessionId!, sql: 'BEGIN' });
    await must('sessions/execute', { sessionId: session.sessionId!, sql: "INSERT INTO t (note) VALUES ('uncommitted')" });
    return session.sessionId!;
  }, db.params);
}

test('closing a browser tab rolls back the transaction its session left open (PostgreSQL)', async ({ cabinet, context }) => {
  const db = await createPostgresDatabase();
  try {
    await db.exec('create table t (note text)');
    const page = await context.newPage();
    await page.goto(cabinet.url);
    await beginInTab(page, db);

    const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await admin.connect();
    const openTransactions = async () =>
      (await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1 and state = 'idle in transaction'", [db.name])).rows[0].n;
    expect(await openTransactions()).toBe(1);

    await page.close();
    await expect.poll(openTransactions).toBe(0);
    expect((await admin.query('select count(*)::int as n from t')).rows[0].n).toBe(0);
    await admin.end();
  } finally {
    await db.drop();
  }
});

test('closing a browser tab rolls back the transaction its session left open (MariaDB)', async ({ cabinet, context }) => {
  const db = await createMysqlDatabase();
  try {
    await db.exec('create table t (note text) engine=InnoDB');
    const page = await context.newPage();
    await page.goto(cabinet.url);
    await beginInTab(page, db);

    const admin = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
    const openTransactions = async () => {
      const [rows] = await admin.query(
        'select count(*) as n from information_schema.innodb_trx t join information_schema.processlist p on p.id = t.trx_mysql_thread_id where p.db = ?',
        [db.name],
      );
      return Number((rows as { n: number }[])[0]!.n);
    };
    expect(await openTransactions()).toBe(1);

    await page.close();
    await expect.poll(openTransactions).toBe(0);
    const [rows] = await admin.query('select count(*) as n from t');
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
    await admin.end();
  } finally {
    await db.drop();
  }
});
