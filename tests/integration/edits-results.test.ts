/**
 * Editing a query's result, through the core on both real servers: which results can be edited (one table, its
 * key among the columns) and the reason given for every other; edits through an updatable view by the key of
 * its base table; constraint errors placed on the change and the exact columns; a read-only connection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { ChangeSet } from '../../shared/edits.ts';
import type { CabinetErrorData } from '../../shared/errors.ts';
import type { ResultOrigin } from '../../shared/sessions.ts';
import type { CellValue } from '../../shared/values.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { connect } from '../../electron/core/connections/connector.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

const SCHEMA = {
  postgres: `
    create table "Album" ("AlbumId" int primary key, "Title" text not null, "ArtistId" int);
    insert into "Album" values (1, 'One', 1), (2, 'Two', 1), (3, 'Three', 2);
    create table artist (id int primary key, name text);
    insert into artist values (1, 'Ann'), (2, 'Bo');
    create table nokey (a int, b text);
    insert into nokey values (1, 'x');
    create table parts (id int, at date, note text, primary key (id, at)) partition by range (at);
    create table parts_2024 partition of parts for values from ('2024-01-01') to ('2025-01-01');
    create table parts_2025 partition of parts for values from ('2025-01-01') to ('2026-01-01');
    insert into parts values (1, '2024-05-01', 'old'), (2, '2025-05-01', 'new');
    create table base_t (id int primary key, v text);
    create table kid_t () inherits (base_t);
    create table "Odd ""T"" é" ("K ey" int primary key, "Mixed Case" text);
    insert into "Odd ""T"" é" values (1, 'm');
    create view album_v as select "AlbumId" as album_key, upper("Title") as shout, "Title" as title from "Album";
    create view album_count as select "ArtistId", count(*) as n from "Album" group by "ArtistId";
    create table parent (id int primary key);
    insert into parent values (1), (2);
    create table child (id int primary key, pid int references parent (id), code text unique, qty int check (qty > 0), nm text not null,
      a int, b int, unique (a, b));
    insert into child values (1, 1, 'c1', 1, 'n1', 1, 1), (2, 2, 'c2', 2, 'n2', 1, 2);`,
  mysql: `
    create table Album (AlbumId int primary key, Title varchar(50) not null, ArtistId int);
    insert into Album values (1, 'One', 1), (2, 'Two', 1), (3, 'Three', 2);
    create table artist (id int primary key, name text);
    insert into artist values (1, 'Ann'), (2, 'Bo');
    create table nokey (a int, b text);
    insert into nokey values (1, 'x');
    create table \`Odd "T" é\` (\`K ey\` int primary key, \`Mixed Case\` text);
    insert into \`Odd "T" é\` values (1, 'm');
    create view album_v as select AlbumId as album_key, upper(Title) as shout, Title as title from Album;
    create view album_count as select ArtistId, count(*) as n from Album group by ArtistId;
    create table parent (id int primary key) engine=InnoDB;
    insert into parent values (1), (2);
    create table child (id int primary key, pid int, code varchar(20) unique, qty int, nm varchar(20) not null, a int, b int,
      constraint child_qty check (qty > 0), constraint child_pid foreign key (pid) references parent (id), constraint child_ab unique (a, b)) engine=InnoDB;
    insert into child values (1, 1, 'c1', 1, 'n1', 1, 1), (2, 2, 'c2', 2, 'n2', 1, 2);`,
} as const;

describe.each(['postgres', 'mysql'] as const)('query results edited on %s', (engine) => {
  const pg = engine === 'postgres';
  let dir: string;
  let core: Core;
  let db: TestDatabase;
  let client: CoreClient;
  let connectionId: string;
  let sessionId: string;
  let nextId = 1;

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const response = await client.call(nextId++, method, input);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.value as MethodOutput<M>;
  };
  /** The SQL with PostgreSQL's double quotes turned into MySQL's backticks (unless it is written for MySQL already). */
  const sql = (text: string) => (pg || text.includes('`') ? text : text.replace(/"/g, '`'));
  const origin = async (text: string, session = sessionId): Promise<ResultOrigin> => {
    const outcome = await call('sessions/execute', { sessionId: session, sql: sql(text) });
    expect(outcome.kind).toBe('rows');
    return outcome.origin!;
  };
  const editable = async (text: string) => {
    const found = await origin(text);
    if (!found.editable) throw new Error(`not editable: ${found.reason}`);
    return found;
  };
  const reason = async (text: string) => {
    const found = await origin(text);
    if (found.editable) throw new Error(`editable: ${text}`);
    expect(found.reason).not.toContain('\n');
    return found.reason;
  };
  const truth = async (text: string): Promise<CellValue[][]> => {
    const session = await connect({ params: db.params }, { applicationName: 'edits-results test' });
    try {
      return (await session.query(sql(text))).rows;
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-edit-results-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    db = pg ? await createPostgresDatabase('cabinet_edit_results') : await createMysqlDatabase('cabinet_edit_results');
    await db.exec(SCHEMA[engine]);
    client = core.connectClient(() => undefined);
    const profile = await call('profiles/save', { profile: { name: 'Results', ...db.params } });
    ({ connectionId } = await call('connections/open', { profileId: profile.id }));
    ({ sessionId } = await call('sessions/open', { connectionId }));
  });
  afterAll(async () => {
    await client?.close();
    await core?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the one table of a result with its key, following aliases; expressions are read-only columns', async () => {
    const all = await editable('select * from "Album" where "AlbumId" < 3');
    expect(all.table).toMatchObject({ name: 'Album', kind: 'table' });
    expect(all.key).toEqual(['AlbumId']);
    expect(all.columns.map((c) => c?.name)).toEqual(['AlbumId', 'Title', 'ArtistId']);

    const aliased = await editable('select "Title" as t, upper("Title") as loud, "AlbumId" as id from "Album"');
    expect(aliased.columns.map((c) => c?.name ?? null)).toEqual(['Title', null, 'AlbumId']);
    expect(aliased.columns[0]).toMatchObject({ nullable: false, typeClass: 'text' });

    const odd = await editable(pg ? 'select "Mixed Case", "K ey" from "Odd ""T"" é"' : 'select `Mixed Case`, `K ey` from `Odd "T" é`');
    expect(odd.table.name).toBe('Odd "T" é');
    expect(odd.key).toEqual(['K ey']);
  });

  it('says why every other result is read-only', async () => {
    expect(await reason('select a."AlbumId", r.name from "Album" a join artist r on r.id = a."ArtistId"')).toMatch(/^Read-only: joins 2 tables/);
    // A table joined with itself: every column is the table's, but not of one row.
    expect(await reason('select a."AlbumId", b."Title" from "Album" a join "Album" b on b."AlbumId" = a."AlbumId" + 1')).toBe('Read-only: joins 2 tables (Album a, Album b)');
    // Neither server says a UNION's column is a table's.
    expect(await reason('select * from "Album" where "AlbumId" = 1 union all select * from "Album" where "AlbumId" = 2')).toBe('Read-only: no column of the result is a column of a table');
    expect(await reason('select "Title", "ArtistId" from "Album"')).toBe('Read-only: no key column in the result (Album is keyed by AlbumId)');
    expect(await reason('select * from nokey')).toMatch(/nokey has no primary or unique key/);
    expect(await reason('select 1 as one, count(*) as total from "Album"')).toBe('Read-only: no column of the result is a column of a table');
    // PostgreSQL names the view (not one it can update); MariaDB names no table for a grouped view's columns.
    expect(await reason('select * from album_count')).toMatch(pg ? /the view album_count is not one the server can update/ : /no column of the result is a column of a table/);
    // A CTE that PostgreSQL inlines reads the table itself; MySQL names the CTE as the table.
    const cte = 'with x as (select * from "Album") select * from x';
    if (pg) expect((await editable(cte)).table.name).toBe('Album');
    else expect(await reason(cte)).toMatch(/subquery or CTE/);
    // A partitioned table is read through its partitions: still one table.
    if (pg) expect((await editable('select * from parts order by id')).table.name).toBe('parts');
    // Table inheritance: the parent's rows include its children's, read by scans of each.
    if (pg) expect(await reason('select * from base_t')).toBe('Read-only: combines 2 tables (base_t, kid_t)');
  });

  it('edits a result from an updatable view by its base table key, and the table holds the change', async () => {
    const view = await editable('select * from album_v order by album_key');
    expect(view.table).toMatchObject({ name: 'album_v', kind: 'view' });
    expect(view.key).toEqual(['album_key']);
    expect(view.columns.map((c) => c?.name ?? null)).toEqual(['album_key', null, 'title']);
    const result = await call('edits/apply', {
      connectionId,
      path: view.table.path,
      changes: { updates: [{ key: { album_key: '2' }, set: { title: 'Deux' }, expected: { title: 'Two' } }] },
    });
    expect(result).toMatchObject({ status: 'applied' });
    expect(await truth('select "Title" from "Album" where "AlbumId" = 2')).toEqual([['Deux']]);
    // The table browser sees the same key (keyset paging on it, rows editable).
    const opened = await call('browse/open', { connectionId, path: view.table.path });
    expect(opened.key?.columns).toEqual(['album_key']);
    await call('browse/close', { viewId: opened.viewId });
  });

  it('applies an edit of a result row and the database holds it', async () => {
    const found = await editable('select "AlbumId" as id, "Title" from "Album" where "AlbumId" = 3');
    const result = await call('edits/apply', { connectionId, path: found.table.path, changes: { updates: [{ key: { AlbumId: '3' }, set: { Title: 'Trois' }, expected: { Title: 'Three' } }] } });
    expect(result).toMatchObject({ status: 'applied', rows: [{ change: { kind: 'update', index: 0 }, values: ['3', 'Trois', '2'] }] });
    expect(await truth('select "Title" from "Album" where "AlbumId" = 3')).toEqual([['Trois']]);
  });

  it('places each constraint error on its change and columns, with the server message, and writes nothing', async () => {
    const apply = (table: string, changes: ChangeSet) => call('edits/apply', { connectionId, path: pg ? [db.name, 'public', 'tables', table] : [db.name, 'tables', table], changes });
    const ok = { key: { id: '2' }, set: { nm: 'fine' }, expected: {} };
    const failed = async (changes: ChangeSet, change: unknown, column: string, columns: string[], table = 'child') => {
      const result = await apply(table, changes);
      expect(result).toMatchObject({ status: 'failed', change, column, columns, message: expect.any(String) });
      if (result.status === 'failed') expect(result.message.length).toBeGreaterThan(10);
    };
    await failed({ updates: [ok, { key: { id: '1' }, set: { code: 'c2' }, expected: {} }] }, { kind: 'update', index: 1 }, 'code', ['code']);
    // A composite unique key: the column the user changed first, then the rest of the key.
    await failed({ updates: [ok, { key: { id: '1' }, set: { b: '2' }, expected: {} }] }, { kind: 'update', index: 1 }, 'b', ['b', 'a']);
    await failed({ updates: [ok, { key: { id: '1' }, set: { pid: '99' }, expected: {} }] }, { kind: 'update', index: 1 }, 'pid', ['pid']);
    await failed({ updates: [ok, { key: { id: '1' }, set: { qty: '0' }, expected: {} }] }, { kind: 'update', index: 1 }, 'qty', ['qty']);
    await failed({ updates: [ok], inserts: [{ values: { id: '5', nm: null } }] }, { kind: 'insert', index: 0 }, 'nm', ['nm']);
    await failed({ updates: [ok], inserts: [{ values: { id: '1', nm: 'dup' } }] }, { kind: 'insert', index: 0 }, 'id', ['id']);
    await failed({ deletes: [{ key: { id: '1' } }] }, { kind: 'delete', index: 0 }, 'id', ['id'], 'parent');
    // A value the server refuses without naming a column: the one column the update set.
    await failed({ updates: [{ key: { id: '1' }, set: { qty: 'many' }, expected: {} }] }, { kind: 'update', index: 0 }, 'qty', ['qty']);
    expect(await truth('select nm from child where id = 2')).toEqual([['n2']]);
  });

  it('on a read-only connection: results say so, and the server refuses an UPDATE typed in the tab', async () => {
    const profile = await call('profiles/save', { profile: { name: 'Read-only', ...db.params, readOnly: true } });
    const readOnly = await call('connections/open', { profileId: profile.id });
    const session = await call('sessions/open', { connectionId: readOnly.connectionId });
    expect(await origin('select * from "Album"', session.sessionId)).toEqual({ editable: false, reason: 'Read-only: the connection is read-only' });
    const refused = await client.call(nextId++, 'sessions/execute', { sessionId: session.sessionId, sql: sql(`update "Album" set "Title" = 'x' where "AlbumId" = 1`) });
    expect(refused.ok).toBe(false);
    expect((refused as { error: CabinetErrorData }).error.message).toMatch(/read-only|READ ONLY/i);
    expect(await truth('select "Title" from "Album" where "AlbumId" = 1')).toEqual([['One']]);
  });

  it("says a result is read-only while the tab's transaction is open", async () => {
    await call('sessions/execute', { sessionId, sql: 'BEGIN' });
    expect(await reason('select * from "Album"')).toMatch(/transaction is open/);
    await call('sessions/execute', { sessionId, sql: 'ROLLBACK' });
  });
});
