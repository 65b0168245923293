import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverFor } from '../support/drivers.ts';
import type { DbSession } from '../../electron/core/drivers/driver.ts';
import type { TreeNode } from '../../shared/tree.ts';
import { createManyPostgresTables, createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

const names = (nodes: TreeNode[]) => nodes.map((n) => n.name);

describe('PostgreSQL: the schema tree, level by level', () => {
  let db: TestDatabase;
  let session: DbSession;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.exec(`
      create schema sales;
      create table sales.orders (id int primary key, total numeric);
      create table sales."a""b" (id int);
      create table sales.events (id int, at date) partition by range (at);
      create view sales.big_orders as select * from sales.orders where total > 100;
      create materialized view sales.order_totals as select sum(total) from sales.orders;
      create function sales.add(a int, b int) returns int language sql as 'select a + b';
      create procedure sales.noop() language sql as 'select 1';
    `);
    session = await driverFor('postgres').connect(db.params, {});
  });
  afterAll(async () => {
    await session.close();
    await db.drop();
  });

  const list = (path: string[]) => driverFor('postgres').listChildren(session, path);

  it('lists databases, then schemas with public first and no system schemas', async () => {
    expect(names(await list([]))).toContain(db.name);
    const schemas = names(await list([db.name]));
    expect(schemas).toEqual(['public', 'sales']);
  });

  it('lists groups with counts, then the objects of each', async () => {
    const groups = await list([db.name, 'sales']);
    expect(groups.map((g) => [g.name, g.count])).toEqual([
      ['Tables', 3],
      ['Views', 1],
      ['Materialized views', 1],
      ['Functions', 2],
    ]);
    expect(names(await list([db.name, 'sales', 'tables']))).toEqual(['a"b', 'events', 'orders']);
    expect(names(await list([db.name, 'sales', 'views']))).toEqual(['big_orders']);
    expect(names(await list([db.name, 'sales', 'materialized-views']))).toEqual(['order_totals']);
    const functions = await list([db.name, 'sales', 'functions']);
    expect(functions.map((f) => [f.kind, f.name, f.detail])).toEqual([
      ['function', 'add', '(a integer, b integer)'],
      ['procedure', 'noop', '()'],
    ]);
  });

  it('expands a table to its columns (type, key and not-null marks) and its indexes', async () => {
    await db.exec('create unique index orders_total on sales.orders (total) where total > 0');
    const columns = await list([db.name, 'sales', 'tables', 'orders']);
    expect(columns.map((c) => [c.kind, c.name, c.detail, c.marks])).toEqual([
      ['column', 'id', 'integer', ['primary-key', 'not-null']],
      ['column', 'total', 'numeric', []],
      ['group', 'Indexes', undefined, undefined],
    ]);
    const indexes = await list(columns[2]!.path);
    expect(indexes.map((i) => [i.name, i.detail, i.marks])).toEqual([
      ['orders_pkey', 'btree (id)', ['primary-key']],
      ['orders_total', 'btree (total)', ['unique']],
    ]);
    const viewColumns = await list([db.name, 'sales', 'views', 'big_orders']);
    expect(viewColumns.map((c) => c.name)).toEqual(['id', 'total']);
    expect(names(await list([db.name, 'sales', 'tables', 'a"b']))).toEqual(['id', 'Indexes']);
  });

  it('reads a routine\'s source', async () => {
    const [add] = await list([db.name, 'sales', 'functions']);
    expect(await driverFor('postgres').definition(session, add!.path)).toMatch(/^CREATE OR REPLACE FUNCTION sales\.add\(a integer, b integer\)/);
    expect(await driverFor('postgres').definition(session, [db.name, 'sales', 'functions', 'gone()'])).toBeUndefined();
  });

  it('opens a schema of 20,000 tables in one round trip of names', async () => {
    await createManyPostgresTables(db, 'huge', 20_000);
    const groups = await list([db.name, 'huge']);
    expect(groups[0]).toMatchObject({ name: 'Tables', count: 20000 });
    const tables = await list([db.name, 'huge', 'tables']);
    expect(tables).toHaveLength(20000);
    expect(tables.find((t) => t.name === 't12345')?.path).toEqual([db.name, 'huge', 'tables', 't12345']);
  });
});

describe('MariaDB: the schema tree, level by level', () => {
  let db: TestDatabase;
  let session: DbSession;
  beforeAll(async () => {
    db = await createMysqlDatabase();
    await db.exec(`
      create table orders (id int primary key, total decimal(10,2));
      create table \`a\`\`b\` (id int);
      create view big_orders as select * from orders where total > 100;
      create function add_two(a int, b int) returns int deterministic return a + b;
      create procedure noop() begin select 1; end;
    `);
    session = await driverFor('mysql').connect(db.params, {});
  });
  afterAll(async () => {
    await session.close();
    await db.drop();
  });

  const list = (path: string[]) => driverFor('mysql').listChildren(session, path);

  it('lists databases without the server internals', async () => {
    const databases = names(await list([]));
    expect(databases).toContain(db.name);
    expect(databases).not.toContain('information_schema');
    expect(databases).not.toContain('performance_schema');
  });

  it('lists groups with counts, then tables, views and routines', async () => {
    const groups = await list([db.name]);
    expect(groups.map((g) => [g.name, g.count])).toEqual([
      ['Tables', 2],
      ['Views', 1],
      ['Routines', 2],
    ]);
    expect(names(await list([db.name, 'tables']))).toEqual(['a`b', 'orders']);
    expect(names(await list([db.name, 'views']))).toEqual(['big_orders']);
    const routines = await list([db.name, 'routines']);
    expect(routines.map((r) => [r.kind, r.name])).toEqual([
      ['function', 'add_two'],
      ['procedure', 'noop'],
    ]);
  });

  it('expands a table to its columns and its indexes', async () => {
    await db.exec('create unique index orders_total on orders (total)');
    const columns = await list([db.name, 'tables', 'orders']);
    expect(columns.map((c) => [c.kind, c.name, c.detail, c.marks])).toEqual([
      ['column', 'id', 'int(11)', ['primary-key', 'not-null']],
      ['column', 'total', 'decimal(10,2)', []],
      ['group', 'Indexes', undefined, undefined],
    ]);
    const indexes = await list(columns[2]!.path);
    expect(indexes.map((i) => [i.name, i.detail, i.marks])).toEqual([
      ['PRIMARY', 'btree (id)', ['primary-key']],
      ['orders_total', 'btree (total)', ['unique']],
    ]);
    expect(names(await list([db.name, 'views', 'big_orders']))).toEqual(['id', 'total']);
  });

  it('reads a routine\'s source', async () => {
    expect(await driverFor('mysql').definition(session, [db.name, 'routines', 'add_two'])).toMatch(/CREATE .*FUNCTION `add_two`/);
    expect(await driverFor('mysql').definition(session, [db.name, 'routines', 'noop'])).toMatch(/CREATE .*PROCEDURE `noop`/);
    expect(await driverFor('mysql').definition(session, [db.name, 'routines', 'gone'])).toBeUndefined();
  });
});

describe('identifier quoting per engine', () => {
  it('doubles the engine quote inside the name', () => {
    expect(driverFor('postgres').quoteIdent('a"b')).toBe('"a""b"');
    expect(driverFor('mysql').quoteIdent('a`b')).toBe('`a``b`');
  });
});
