/**
 * What goes wrong under a browse view on both engines: the table dropped by someone else, the server ending
 * the session (idle, or in the middle of a read), the caller going away mid-read, the connection closing,
 * another client's view. Each answers with a clear error, and the view reads again once the cause is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CabinetError } from '../../shared/errors.ts';
import { BROWSE_APPLICATION_NAME } from '../../electron/core/browse/session-pool.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { browser, failure, truth, type Browser } from './browse-fixture.ts';

describe.each(['postgres', 'mysql'] as const)('%s: errors under a browse view', (engine) => {
  let db: TestDatabase;
  let b: Browser;
  const postgres = engine === 'postgres';

  /** The server ends every browse session of this database, as an administrator (or a restart) would. */
  async function killBrowseSessions() {
    if (postgres) {
      await truth(db, 'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = $2', [BROWSE_APPLICATION_NAME, db.name]);
    } else {
      const ids = await truth(db, 'select ID from information_schema.PROCESSLIST where DB = ? and ID <> connection_id()', [db.name]);
      for (const [id] of ids) await db.exec(`KILL ${Number(id)}`);
    }
  }

  async function browseSessions(): Promise<number> {
    const rows = postgres
      ? await truth(db, 'select count(*) from pg_stat_activity where application_name = $1 and datname = $2', [BROWSE_APPLICATION_NAME, db.name])
      : await truth(db, 'select count(*) from information_schema.PROCESSLIST where DB = ? and ID <> connection_id()', [db.name]);
    return Number(rows[0]![0]);
  }

  /** Sleeps once per read (one row passes the key condition), and never while only planned. */
  const sleepWhere = postgres ? 'id = 0 and pg_sleep(3) is not null' : 'id = 0 and sleep(3) = 0';

  beforeAll(async () => {
    db = postgres ? await createPostgresDatabase('cabinet_browse_errors') : await createMysqlDatabase('cabinet_browse_errors');
    await db.exec('create table doomed (id int primary key, v varchar(10)); insert into doomed values (1, \'a\'), (2, \'b\');');
    await db.exec('create table kept (id int primary key); insert into kept values (0), (1), (2);');
    b = browser([db]);
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  it('says a dropped table does not exist, with the SQL, and reads again once it is back', async () => {
    const viewId = await b.open(db, 'doomed');
    expect((await b.rows(viewId, 0, 10)).rows).toHaveLength(2);
    await db.exec('drop table doomed');
    const error = await failure(b.rows(viewId, 0, 10));
    expect(error.code).toBe('SQL_ERROR');
    expect(error.message).toMatch(postgres ? /relation "public.doomed" does not exist/ : /Table '.*doomed' doesn't exist/);
    expect(error.detail).toContain('SQL:\nSELECT * FROM');
    expect(await failure(b.service.count(b.context, viewId))).toMatchObject({ code: 'SQL_ERROR' });
    await db.exec("create table doomed (id int primary key, v varchar(10)); insert into doomed values (3, 'c');");
    expect((await b.rows(viewId, 0, 10)).rows).toEqual([['3', 'c']]);
  });

  it('says so when the table’s columns changed since it was opened', async () => {
    await db.exec('create table shifting (id int primary key, a int)');
    const viewId = await b.open(db, 'shifting');
    await db.exec('alter table shifting add column b int');
    expect(await failure(b.rows(viewId, 0, 10))).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('changed since it was opened') });
  });

  it('reconnects by itself after the server ended its idle sessions', async () => {
    const viewId = await b.open(db, 'kept');
    await b.rows(viewId, 0, 10);
    await killBrowseSessions();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await b.rows(viewId, 0, 10)).rows).toHaveLength(3);
  });

  it('reports a session ended in the middle of a read as a lost connection, then reads again', async () => {
    const viewId = await b.open(db, 'kept');
    await b.query(viewId, [], [], sleepWhere);
    const reading = failure(b.rows(viewId, 0, 10));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await killBrowseSessions();
    const error = await reading;
    expect(error).toMatchObject({ code: 'CONNECTION_LOST', message: expect.stringContaining('lost') });
    await b.query(viewId, [], []);
    expect((await b.rows(viewId, 0, 10)).rows).toHaveLength(3);
  });

  it('cancels the server’s work when the caller goes away mid-read', async () => {
    const viewId = await b.open(db, 'kept');
    await b.query(viewId, [], [], sleepWhere);
    const gone = new AbortController();
    const started = performance.now();
    const reading = b.service.rows({ clientId: b.context.clientId, signal: gone.signal }, viewId, 0, 10).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    gone.abort();
    const outcome = await reading;
    expect(performance.now() - started).toBeLessThan(2500);
    if (postgres) expect(outcome).toBeInstanceOf(CabinetError);
    const busy = postgres
      ? await truth(db, "select count(*) from pg_stat_activity where datname = $1 and query like '%pg_sleep%' and state = 'active' and pid <> pg_backend_pid()", [db.name])
      : await truth(db, "select count(*) from information_schema.PROCESSLIST where DB = ? and INFO like '%sleep(3) = 0%' and ID <> connection_id()", [db.name]);
    expect(Number(busy[0]![0])).toBe(0);
    await b.query(viewId, [], []);
  });

  it('keeps a client’s views to that client, and forgets a closed one', async () => {
    const viewId = await b.open(db, 'kept');
    const other = { clientId: 'someone-else', signal: new AbortController().signal };
    expect(await failure(b.service.rows(other, viewId, 0, 10))).toMatchObject({ code: 'NOT_FOUND' });
    expect(() => b.service.close(other, viewId)).toThrow(CabinetError);
    b.service.close(b.context, viewId);
    expect(await failure(b.rows(viewId, 0, 10))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('open the table again') });
    expect(await failure(b.service.open(b.context, 'no-such-connection', ['x', 'tables', 'y']))).toMatchObject({ code: 'NOT_CONNECTED' });
    expect(await failure(b.service.open(b.context, db.name, postgres ? [db.name, 'public', 'tables', 'nope'] : [db.name, 'tables', 'nope']))).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('"'),
    });
    expect(await failure(b.service.open(b.context, db.name, [db.name, 'functions', 'x']))).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('closes its views and its sessions with the connection, and with the client', async () => {
    const viewId = await b.open(db, 'kept');
    await b.rows(viewId, 0, 10);
    expect(await browseSessions()).toBeGreaterThan(0);
    b.service.closeClient(b.context.clientId);
    expect(await failure(b.rows(viewId, 0, 10))).toMatchObject({ code: 'NOT_FOUND' });
    const again = await b.open(db, 'kept');
    await b.service.closeConnection(db.name);
    expect(await failure(b.rows(again, 0, 10))).toMatchObject({ code: 'NOT_FOUND' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await browseSessions()).toBe(0);
  });
});
