/**
 * The raw drivers on the same SQL, for the ratios: `pg` through `pg-cursor` (the first 500 rows, as arrays of
 * unparsed text), `mysql2` streaming the result (the first 500 rows, then the connection is dropped and the
 * statement killed); a cancel from a second connection (pg_cancel_backend, KILL QUERY) timed until the
 * sleeping statement returns. Also the admin's view: is the statement still in pg_stat_activity /
 * information_schema.processlist?
 */
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { TestDatabase } from '../../tests/support/databases.ts';

const FIRST_ROWS = 500;
/** Every value as the server's text, as Cabinet shows it (no parsing into JS types). */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

const pgClient = async (db: TestDatabase) => {
  const client = new pg.Client({ host: db.params.host, port: db.params.port, user: db.params.user, database: db.name });
  await client.connect();
  return client;
};
const mysqlOptions = (db: TestDatabase) => ({ host: db.params.host, port: db.params.port, user: db.params.user, password: '', database: db.name });

/** The time for the first 500 rows of `sql` on a connection opened beforehand (not timed). */
export async function rawFirstRows(db: TestDatabase, sql: string): Promise<number> {
  if (db.params.engine === 'postgres') {
    const client = await pgClient(db);
    try {
      const started = performance.now();
      const cursor = client.query(new Cursor<unknown[]>(sql, [], { rowMode: 'array', types: TEXT_TYPES }));
      const rows = await cursor.read(FIRST_ROWS);
      const took = performance.now() - started;
      if (rows.length !== FIRST_ROWS) throw new Error(`pg-cursor read ${rows.length} rows, not ${FIRST_ROWS}`);
      await cursor.close();
      return took;
    } finally {
      await client.end();
    }
  }
  const connection = mysql.createConnection(mysqlOptions(db));
  // Dropping the connection mid-result is the plan: its late errors are not news.
  connection.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
  const threadId = connection.threadId;
  try {
    return await new Promise<number>((resolve, reject) => {
      const started = performance.now();
      let rows = 0;
      const query = connection.query({ sql, rowsAsArray: true });
      query.on('result', () => {
        if (++rows === FIRST_ROWS) resolve(performance.now() - started);
      });
      query.on('error', (error: Error) => (rows < FIRST_ROWS ? reject(error) : undefined));
      query.on('end', () => (rows < FIRST_ROWS ? reject(new Error(`mysql2 read ${rows} rows, not ${FIRST_ROWS}`)) : undefined));
    });
  } finally {
    // The rest of the result is not wanted: drop the connection and make sure the server stops sending.
    connection.destroy();
    await killQuietly(db, threadId);
  }
}

async function killQuietly(db: TestDatabase, threadId: number | null): Promise<void> {
  if (threadId === null) return;
  const admin = await mysqlPromise.createConnection(mysqlOptions(db));
  try {
    await admin.query(`kill ${Number(threadId)}`).catch(() => undefined);
  } finally {
    await admin.end();
  }
}

/** The sleep statement of each engine, as typed in the editor. */
export const sleepSql = (db: TestDatabase) => (db.params.engine === 'postgres' ? 'select pg_sleep(60)' : 'select sleep(60)');

/** A connection that watches the server's list of statements. */
export interface Admin {
  /** How many sessions (other than this one) run the sleep statement now. */
  sleeping(): Promise<number>;
  close(): Promise<void>;
}

export async function openAdmin(db: TestDatabase): Promise<Admin> {
  const pattern = `${sleepSql(db)}%`;
  if (db.params.engine === 'postgres') {
    const client = await pgClient(db);
    return {
      async sleeping() {
        const result = await client.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and state = 'active' and query ilike $2",
          [db.name, pattern],
        );
        return result.rows[0]!.n;
      },
      close: () => client.end(),
    };
  }
  const connection = await mysqlPromise.createConnection(mysqlOptions(db));
  return {
    async sleeping() {
      const [rows] = await connection.query<mysqlPromise.RowDataPacket[]>(
        "select count(*) as n from information_schema.processlist where db = ? and id <> connection_id() and command = 'Query' and info like ?",
        [db.name, pattern],
      );
      return Number(rows[0]!.n);
    },
    close: () => connection.end(),
  };
}

/** Polls until the sleep statement is (true) or is no longer (false) on the server; the time it took, ms. */
export async function waitForSleeping(admin: Admin, wanted: boolean, timeoutMs: number, since = performance.now()): Promise<number> {
  while (true) {
    const running = (await admin.sleeping()) > 0;
    if (running === wanted) return performance.now() - since;
    if (performance.now() - since > timeoutMs) {
      throw new Error(`the sleep statement ${wanted ? 'never showed' : 'was still'} in the server's list after ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The raw driver's cancel: one connection sleeps; once the server lists it, a second connection cancels it
 * (pg_cancel_backend / KILL QUERY); the time from sending the cancel to the sleeping call's return.
 */
export async function rawCancel(db: TestDatabase, admin: Admin): Promise<number> {
  if (db.params.engine === 'postgres') {
    const sleeper = await pgClient(db);
    const canceller = await pgClient(db);
    try {
      const pid = (await sleeper.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const ended = sleeper.query(sleepSql(db)).then(
        () => performance.now(),
        () => performance.now(),
      );
      await waitForSleeping(admin, true, 10_000);
      const started = performance.now();
      await canceller.query('select pg_cancel_backend($1)', [pid]);
      return (await ended) - started;
    } finally {
      await sleeper.end();
      await canceller.end();
    }
  }
  const sleeper = await mysqlPromise.createConnection(mysqlOptions(db));
  const canceller = await mysqlPromise.createConnection(mysqlOptions(db));
  try {
    const ended = sleeper.query(sleepSql(db)).then(
      () => performance.now(),
      () => performance.now(),
    );
    await waitForSleeping(admin, true, 10_000);
    const started = performance.now();
    await canceller.query(`kill query ${Number(sleeper.threadId)}`);
    return (await ended) - started;
  } finally {
    await sleeper.end().catch(() => sleeper.destroy());
    await canceller.end();
  }
}
