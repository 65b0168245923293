/**
 * Opening and describing tables on both engines: Chinook (keys, foreign keys both ways, indexes), and tables
 * made here that tend to break browsers: composite keys, a partitioned table, generated and identity columns,
 * views, a materialized view, checks, triggers, comments, names like `a"b`, `Order Items` and non-ASCII ones,
 * 1,000 columns, a 1 MB cell. Values come back exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableStructure } from '../../shared/browse.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { browser, loadChinook, pathTo, truth, type Browser } from './browse-fixture.ts';

const WIDE_COLUMNS = 1000;
const MEGABYTE = 1024 * 1024;
const wideColumns = Array.from({ length: WIDE_COLUMNS - 1 }, (_, i) => `c${i + 1} int`).join(', ');

describe('PostgreSQL: open and Structure', () => {
  let db: TestDatabase;
  let b: Browser;
  const structure = (name: string, group = 'tables', schema = 'public') => b.service.structure(b.context, db.name, pathTo(db, name, group, schema));

  beforeAll(async () => {
    db = await createPostgresDatabase('cabinet_browse_structure');
    await loadChinook(db);
    await db.exec(`
      create table events (id bigint not null, at date not null, payload text, primary key (id, at)) partition by range (at);
      create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
      create table events_rest partition of events default;
      insert into events values (1, '2024-03-01', 'a'), (2, '2023-01-01', 'b'), (3, '2024-12-31', null);
      create table orders (
        id int generated always as identity primary key,
        qty int not null check (qty > 0),
        price numeric(10,2) not null default 0,
        total numeric generated always as (qty * price) stored,
        code text unique,
        note text
      );
      comment on table orders is 'what was sold';
      comment on column orders.qty is 'how many';
      create index orders_open on orders (id) where note is null;
      create index orders_lower_code on orders (lower(code));
      create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
      create trigger orders_touch before insert or update on orders for each row execute function touch();
      insert into orders (qty, price, code) values (2, 1.50, 'A'), (3, 2.00, 'B');
      create view big_orders as select * from orders where total > 3;
      create materialized view order_sums as select sum(total) as s from orders;
      create table "a""b" (id int primary key, "x""y" text);
      insert into "a""b" values (1, 'quoted');
      create table "Order Items" ("Order Id" int, "Line No" int, qty int, primary key ("Order Id", "Line No"));
      insert into "Order Items" values (1, 1, 5), (1, 2, 6);
      create table "Ünïcødé 表" ("名前" text primary key, "値" int);
      insert into "Ünïcødé 表" values ('一', 1), ('二', 2);
      create table wide (id int primary key, ${wideColumns});
      insert into wide (id, c1, c999) values (1, 11, 999), (2, null, 2);
      create table big_cell (id int primary key, body text, bin bytea);
      insert into big_cell values (1, repeat('x', ${MEGABYTE}), decode(repeat('ab', ${MEGABYTE}), 'hex'));
      create table exact (id int primary key, big bigint, num numeric, ts timestamptz, t timestamp(6), d date, b bytea, j jsonb, arr int[], e text);
      insert into exact values
        (1, 9223372036854775807, 12345678901234567890.123456789, '2024-02-29 12:34:56.789+05:30', '1999-12-31 23:59:59.999999', '0001-01-01', '\\xdeadbeef', '{"a": [1, 2.50]}', '{1,NULL,3}', ''),
        (2, -9223372036854775808, -0.000000001, null, null, null, null, null, null, 'NULL'),
        (3, null, null, null, null, null, '\\x', 'null', '{}', null);
    `);
    b = browser([db]);
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  it('describes Chinook’s track: key, foreign keys out and in, indexes', async () => {
    const s = await structure('track');
    expect(s.table).toMatchObject({ kind: 'table', schema: 'public', name: 'track', path: [db.name, 'public', 'tables', 'track'] });
    expect(s.primaryKey).toEqual({ name: 'track_pkey', columns: ['track_id'] });
    expect(s.columns.find((c) => c.name === 'unit_price')).toMatchObject({ type: 'numeric(10,2)', nullable: false, default: null });
    expect(s.foreignKeys.map((f) => [f.name, f.columns, f.references.name, f.referencedColumns, f.onDelete])).toEqual([
      ['track_album_id_fkey', ['album_id'], 'album', ['album_id'], 'NO ACTION'],
      ['track_genre_id_fkey', ['genre_id'], 'genre', ['genre_id'], 'NO ACTION'],
      ['track_media_type_id_fkey', ['media_type_id'], 'media_type', ['media_type_id'], 'NO ACTION'],
    ]);
    expect(s.referencedBy.map((f) => [f.table.name, f.columns])).toEqual([
      ['invoice_line', ['track_id']],
      ['playlist_track', ['track_id']],
    ]);
    expect(s.indexes.map((i) => [i.name, i.columns, i.method, i.unique, i.primary])).toEqual([
      ['track_pkey', ['track_id'], 'btree', true, true],
      ['track_album_id_idx', ['album_id'], 'btree', false, false],
      ['track_genre_id_idx', ['genre_id'], 'btree', false, false],
      ['track_media_type_id_idx', ['media_type_id'], 'btree', false, false],
    ]);
  });

  it('opens Chinook’s track with links to the rows it references, and reads it sorted', async () => {
    const info = await b.service.open(b.context, db.name, pathTo(db, 'track'));
    expect(info).toMatchObject({ key: { kind: 'primary', columns: ['track_id'] }, paging: 'keyset', total: { rows: 3503, exact: true } });
    expect(info.foreignKeys.find((f) => f.name === 'track_album_id_fkey')?.references.path).toEqual([db.name, 'public', 'tables', 'album']);
    await b.query(info.viewId, [{ column: 'composer', direction: 'desc' }]);
    const all = (await b.readAll(info.viewId, 500)).rows;
    expect(all).toEqual(await truth(db, 'select * from track order by composer desc, track_id desc'));
    expect(all.find((r) => r[0] === '1')![8]).toBe('0.99');
  });

  it('reads a composite key and the self-reference of employee both ways', async () => {
    expect((await structure('playlist_track')).primaryKey).toEqual({ name: 'playlist_track_pkey', columns: ['playlist_id', 'track_id'] });
    const employee = await structure('employee');
    expect(employee.foreignKeys.map((f) => f.references.name)).toEqual(['employee']);
    expect(employee.referencedBy.map((f) => [f.table.name, f.columns])).toEqual([
      ['customer', ['support_rep_id']],
      ['employee', ['reports_to']],
    ]);
  });

  it('describes generated and identity columns, defaults, checks, unique constraints, partial and expression indexes, triggers, comments', async () => {
    const s = await structure('orders');
    expect(s.comment).toBe('what was sold');
    const column = (name: string) => s.columns.find((c) => c.name === name);
    expect(column('id')).toMatchObject({ generated: 'identity-always', default: null });
    expect(column('total')).toMatchObject({ generated: 'stored', generationExpression: '((qty)::numeric * price)', default: null });
    expect(column('price')).toMatchObject({ default: '0', generated: null });
    expect(column('qty')).toMatchObject({ comment: 'how many', nullable: false });
    expect(s.checks).toEqual([{ name: 'orders_qty_check', expression: 'CHECK (qty > 0)' }]);
    expect(s.uniqueConstraints).toEqual([{ name: 'orders_code_key', columns: ['code'] }]);
    expect(s.indexes.find((i) => i.name === 'orders_open')).toMatchObject({ columns: ['id'], predicate: '(note IS NULL)', unique: false });
    expect(s.indexes.find((i) => i.name === 'orders_lower_code')).toMatchObject({ columns: ['lower(code)'], definition: expect.stringContaining('CREATE INDEX') });
    expect(s.triggers).toEqual([
      {
        name: 'orders_touch',
        timing: 'BEFORE',
        events: ['INSERT', 'UPDATE'],
        level: 'row',
        enabled: true,
        definition: expect.stringContaining('EXECUTE FUNCTION touch()'),
      },
    ]);
    const info = await b.service.open(b.context, db.name, pathTo(db, 'orders'));
    expect(info.columns.map((c) => [c.name, c.generated, c.typeClass])).toEqual([
      ['id', 'identity-always', 'integer'],
      ['qty', null, 'integer'],
      ['price', null, 'decimal'],
      ['total', 'stored', 'decimal'],
      ['code', null, 'text'],
      ['note', null, 'text'],
    ]);
  });

  it('describes a partitioned table and its partitions, and pages across them by its composite key', async () => {
    const s = await structure('events');
    expect(s.table.kind).toBe('partitioned-table');
    expect(s.partitionKey).toBe('RANGE (at)');
    expect(s.partitions.map((p) => [p.table.name, p.bound])).toEqual([
      ['events_2024', "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"],
      ['events_rest', 'DEFAULT'],
    ]);
    expect((await structure('events_2024')).partitionOf).toMatchObject({ table: { name: 'events' }, bound: expect.stringContaining('FOR VALUES') });
    const info = await b.service.open(b.context, db.name, pathTo(db, 'events'));
    expect(info).toMatchObject({ table: { kind: 'partitioned-table' }, key: { columns: ['id', 'at'] }, total: { rows: 3, exact: true } });
    await b.query(info.viewId, [{ column: 'payload', direction: 'asc' }]);
    expect((await b.readAll(info.viewId, 1)).rows.map((r) => r[0])).toEqual(['1', '2', '3']);
  });

  it('describes and reads views and a materialized view (an updatable view is keyed by its table\'s key)', async () => {
    const view = await structure('big_orders', 'views');
    expect(view.table.kind).toBe('view');
    expect(view.viewDefinition).toMatch(/SELECT[\s\S]*FROM orders[\s\S]*WHERE/i);
    const info = await b.service.open(b.context, db.name, pathTo(db, 'big_orders', 'views'));
    expect(info).toMatchObject({ key: { columns: ['id'] }, paging: 'keyset', table: { kind: 'view' } });
    expect(info.total.exact).toBe(false);
    expect((await b.rows(info.viewId, 0, 10)).rows.map((r) => r[0])).toEqual(['2']);
    const matview = await structure('order_sums', 'materialized-views');
    expect(matview).toMatchObject({ table: { kind: 'materialized-view' }, viewDefinition: expect.stringContaining('sum(orders.total)') });
    const sums = await b.service.open(b.context, db.name, pathTo(db, 'order_sums', 'materialized-views'));
    expect((await b.rows(sums.viewId, 0, 10)).rows).toEqual([['9.00']]);
  });

  it('opens, sorts and filters tables named a"b, Order Items and Ünïcødé 表', async () => {
    const quoted = await b.service.open(b.context, db.name, pathTo(db, 'a"b'));
    await b.query(quoted.viewId, [{ column: 'x"y', direction: 'desc' }], [{ column: 'x"y', op: 'contains', value: 'QUOTE' }]);
    expect((await b.rows(quoted.viewId, 0, 10)).rows).toEqual([['1', 'quoted']]);
    const items = await b.service.open(b.context, db.name, pathTo(db, 'Order Items'));
    expect(items.key?.columns).toEqual(['Order Id', 'Line No']);
    await b.query(items.viewId, [{ column: 'Line No', direction: 'desc' }], [{ column: 'Order Id', op: '=', value: '1' }]);
    expect((await b.readAll(items.viewId, 1)).rows).toEqual([
      ['1', '2', '6'],
      ['1', '1', '5'],
    ]);
    const unicode = await b.service.open(b.context, db.name, pathTo(db, 'Ünïcødé 表'));
    await b.query(unicode.viewId, [{ column: '値', direction: 'desc' }]);
    expect((await b.rows(unicode.viewId, 0, 10)).rows).toEqual([
      ['二', '2'],
      ['一', '1'],
    ]);
    expect((await structure('Ünïcødé 表')).primaryKey?.columns).toEqual(['名前']);
  });

  it('opens a table of 1,000 columns and a row with a 1 MB text and 1 MB of bytes', async () => {
    const wide = await b.service.open(b.context, db.name, pathTo(db, 'wide'));
    expect(wide.columns).toHaveLength(WIDE_COLUMNS);
    const rows = (await b.rows(wide.viewId, 0, 10)).rows;
    expect(rows[0]).toHaveLength(WIDE_COLUMNS);
    expect([rows[0]![1], rows[0]![999], rows[1]![1]]).toEqual(['11', '999', null]);
    expect((await structure('wide')).columns).toHaveLength(WIDE_COLUMNS);
    const big = await b.service.open(b.context, db.name, pathTo(db, 'big_cell'));
    const [row] = (await b.rows(big.viewId, 0, 1)).rows;
    expect((row![1] as string).length).toBe(MEGABYTE);
    expect(row![2]).toMatchObject({ kind: 'bytes', length: MEGABYTE });
    expect((row![2] as { hex: string }).hex.slice(0, 6)).toBe('ababab');
  });

  it('keeps values exact: bigints, numerics, timestamps as the server writes them, bytes as hex, NULL apart from "" and "NULL"', async () => {
    const info = await b.service.open(b.context, db.name, pathTo(db, 'exact'));
    const rows = (await b.rows(info.viewId, 0, 10)).rows;
    expect(rows).toEqual(await truth(db, 'select * from exact order by id'));
    expect(rows[0]!.slice(1, 5)).toEqual(['9223372036854775807', '12345678901234567890.123456789', expect.stringMatching(/^2024-02-29 \d\d:\d\d:56\.789\+\d\d/), '1999-12-31 23:59:59.999999']);
    expect(rows[0]![6]).toEqual({ kind: 'bytes', hex: 'deadbeef', length: 4 });
    expect(rows[0]![7]).toBe('{"a": [1, 2.50]}');
    expect([rows[0]![9], rows[1]![9], rows[2]![9]]).toEqual(['', 'NULL', null]);
    expect(rows[1]![1]).toBe('-9223372036854775808');
    // Keyset paging on a bigint sort past 2^53, one row at a time, misses nothing (NULLs first in DESC).
    await b.query(info.viewId, [{ column: 'big', direction: 'desc' }]);
    expect((await b.readAll(info.viewId, 1)).rows.map((r) => r[0])).toEqual(['3', '1', '2']);
  });
});

describe('MariaDB: open and Structure', () => {
  let db: TestDatabase;
  let b: Browser;
  const structure = (name: string, group = 'tables'): Promise<TableStructure> => b.service.structure(b.context, db.name, pathTo(db, name, group));

  beforeAll(async () => {
    db = await createMysqlDatabase('cabinet_browse_structure');
    await loadChinook(db);
    await db.exec(`
      create table orders (
        id bigint unsigned auto_increment primary key,
        qty int not null,
        price decimal(10,2) not null default 0,
        total decimal(20,2) as (qty * price) stored,
        half decimal(20,3) as (price / 2) virtual,
        code varchar(10) unique,
        note text comment 'free text',
        constraint qty_positive check (qty > 0)
      ) comment 'what was sold';
      create trigger orders_touch before insert on orders for each row set new.note = coalesce(new.note, '');
      insert into orders (qty, price, code) values (2, 1.50, 'A'), (3, 2.00, 'B');
      create view big_orders as select id, total from orders where total > 3;
      create table \`a\`\`b\` (id int primary key, \`x"y\` text);
      insert into \`a\`\`b\` values (1, 'quoted');
      create table \`Order Items\` (\`Order Id\` int, \`Line No\` int, qty int, primary key (\`Order Id\`, \`Line No\`));
      insert into \`Order Items\` values (1, 1, 5), (1, 2, 6);
      create table \`Ünïcødé 表\` (\`名前\` varchar(10) primary key, \`値\` int);
      insert into \`Ünïcødé 表\` values ('一', 1), ('二', 2);
      create table wide (id int primary key, ${wideColumns});
      insert into wide (id, c1, c999) values (1, 11, 999), (2, null, 2);
      create table big_cell (id int primary key, body longtext, bin longblob);
      insert into big_cell values (1, repeat('x', ${MEGABYTE}), unhex(repeat('ab', ${MEGABYTE})));
      create table exact (id int primary key, big bigint unsigned, num decimal(65,30), dt datetime(6), d date, b varbinary(8), j json, e varchar(10), f float);
      insert into exact values
        (1, 18446744073709551615, 12345678901234567890.123456789, '1999-12-31 23:59:59.999999', '1000-01-01', x'deadbeef', '{"a": [1, 2.50]}', '', 1.1),
        (2, 9007199254740993, -0.000000001, null, null, null, null, 'NULL', 2.5),
        (3, null, null, null, null, x'', 'null', null, null);
    `);
    b = browser([db]);
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  it('describes Chinook’s Track: key, foreign keys out and in, indexes', async () => {
    const s = await structure('Track');
    expect(s.table).toMatchObject({ kind: 'table', schema: null, name: 'Track', path: [db.name, 'tables', 'Track'] });
    expect(s.primaryKey).toEqual({ name: 'PRIMARY', columns: ['TrackId'] });
    expect(s.foreignKeys.map((f) => [f.name, f.columns, f.references.name, f.referencedColumns, f.onDelete])).toEqual([
      ['FK_TrackAlbumId', ['AlbumId'], 'Album', ['AlbumId'], 'NO ACTION'],
      ['FK_TrackGenreId', ['GenreId'], 'Genre', ['GenreId'], 'NO ACTION'],
      ['FK_TrackMediaTypeId', ['MediaTypeId'], 'MediaType', ['MediaTypeId'], 'NO ACTION'],
    ]);
    expect(s.referencedBy.map((f) => [f.table.name, f.columns])).toEqual([
      ['InvoiceLine', ['TrackId']],
      ['PlaylistTrack', ['TrackId']],
    ]);
    expect(s.indexes.map((i) => [i.name, i.columns, i.unique, i.primary])).toEqual([
      ['PRIMARY', ['TrackId'], true, true],
      ['IFK_TrackAlbumId', ['AlbumId'], false, false],
      ['IFK_TrackGenreId', ['GenreId'], false, false],
      ['IFK_TrackMediaTypeId', ['MediaTypeId'], false, false],
    ]);
    expect((await structure('PlaylistTrack')).primaryKey?.columns).toEqual(['PlaylistId', 'TrackId']);
  });

  it('opens Chinook’s Track with links to the rows it references, and reads it sorted', async () => {
    const info = await b.service.open(b.context, db.name, pathTo(db, 'Track'));
    expect(info).toMatchObject({ key: { kind: 'primary', columns: ['TrackId'] }, paging: 'keyset', total: { rows: 3503, exact: true } });
    expect(info.foreignKeys.find((f) => f.name === 'FK_TrackAlbumId')?.references.path).toEqual([db.name, 'tables', 'Album']);
    await b.query(info.viewId, [{ column: 'Composer', direction: 'desc' }]);
    expect((await b.readAll(info.viewId, 500)).rows).toEqual(await truth(db, 'select * from Track order by Composer desc, TrackId desc'));
  });

  it('describes generated and auto-increment columns, defaults, checks, unique keys, triggers, comments', async () => {
    const s = await structure('orders');
    expect(s.comment).toBe('what was sold');
    const column = (name: string) => s.columns.find((c) => c.name === name);
    expect(column('id')).toMatchObject({ type: 'bigint(20) unsigned', generated: 'auto-increment' });
    expect(column('total')).toMatchObject({ generated: 'stored', generationExpression: expect.stringContaining('qty') });
    expect(column('half')).toMatchObject({ generated: 'virtual' });
    expect(column('price')).toMatchObject({ default: '0.00' });
    expect(column('code')).toMatchObject({ default: null, nullable: true });
    expect(column('note')).toMatchObject({ comment: 'free text' });
    expect(s.checks).toEqual([{ name: 'qty_positive', expression: expect.stringContaining('qty') }]);
    expect(s.uniqueConstraints).toEqual([{ name: 'code', columns: ['code'] }]);
    expect(s.triggers).toEqual([{ name: 'orders_touch', timing: 'BEFORE', events: ['INSERT'], level: 'row', enabled: true, definition: expect.stringContaining('coalesce') }]);
  });

  it('describes and reads a view', async () => {
    const view = await structure('big_orders', 'views');
    expect(view).toMatchObject({ table: { kind: 'view' }, viewDefinition: expect.stringMatching(/select/i) });
    const info = await b.service.open(b.context, db.name, pathTo(db, 'big_orders', 'views'));
    expect(info).toMatchObject({ key: { columns: ['id'] }, paging: 'keyset', total: { rows: null, exact: false } });
    expect((await b.rows(info.viewId, 0, 10)).rows).toEqual([['2', '6.00']]);
  });

  it('opens, sorts and filters tables named a`b, Order Items and Ünïcødé 表', async () => {
    const quoted = await b.service.open(b.context, db.name, pathTo(db, 'a`b'));
    await b.query(quoted.viewId, [{ column: 'x"y', direction: 'desc' }], [{ column: 'x"y', op: 'contains', value: 'QUOTE' }]);
    expect((await b.rows(quoted.viewId, 0, 10)).rows).toEqual([['1', 'quoted']]);
    const items = await b.service.open(b.context, db.name, pathTo(db, 'Order Items'));
    await b.query(items.viewId, [{ column: 'Line No', direction: 'desc' }]);
    expect((await b.readAll(items.viewId, 1)).rows).toEqual([
      ['1', '2', '6'],
      ['1', '1', '5'],
    ]);
    const unicode = await b.service.open(b.context, db.name, pathTo(db, 'Ünïcødé 表'));
    await b.query(unicode.viewId, [], [{ column: '名前', op: '=', value: '二' }]);
    expect((await b.rows(unicode.viewId, 0, 10)).rows).toEqual([['二', '2']]);
  });

  it('opens a table of 1,000 columns and a row with a 1 MB text and 1 MB of bytes', async () => {
    const wide = await b.service.open(b.context, db.name, pathTo(db, 'wide'));
    expect(wide.columns).toHaveLength(WIDE_COLUMNS);
    const rows = (await b.rows(wide.viewId, 0, 10)).rows;
    expect([rows[0]!.length, rows[0]![1], rows[0]![999], rows[1]![1]]).toEqual([WIDE_COLUMNS, '11', '999', null]);
    const big = await b.service.open(b.context, db.name, pathTo(db, 'big_cell'));
    const [row] = (await b.rows(big.viewId, 0, 1)).rows;
    expect((row![1] as string).length).toBe(MEGABYTE);
    expect(row![2]).toMatchObject({ kind: 'bytes', length: MEGABYTE });
  });

  it('keeps values exact, and pages by a float sort with OFFSET (its text does not compare back exactly)', async () => {
    const info = await b.service.open(b.context, db.name, pathTo(db, 'exact'));
    const rows = (await b.rows(info.viewId, 0, 10)).rows;
    expect(rows).toEqual(await truth(db, 'select * from exact order by id'));
    expect(rows[0]!.slice(1, 5)).toEqual(['18446744073709551615', '12345678901234567890.123456789000000000000000000000', '1999-12-31 23:59:59.999999', '1000-01-01']);
    expect(rows[0]![5]).toEqual({ kind: 'bytes', hex: 'deadbeef', length: 4 });
    expect([rows[0]![7], rows[1]![7], rows[2]![7]]).toEqual(['', 'NULL', null]);
    await b.query(info.viewId, [{ column: 'big', direction: 'desc' }]);
    expect((await b.readAll(info.viewId, 1)).rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    const byFloat = await b.query(info.viewId, [{ column: 'f', direction: 'asc' }]);
    expect(byFloat.paging).toBe('offset');
    expect((await b.readAll(info.viewId, 1)).rows.map((r) => r[0])).toEqual(['3', '1', '2']);
  });
});
