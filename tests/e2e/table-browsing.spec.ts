import pg from 'pg';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, gridCell, test } from './fixtures.ts';

const DEMO = 'Demo (embedded PostgreSQL)';

test('a Chinook table: sort on the server, filter, jump to the end, follow a foreign key, copy as TSV, read the structure', async ({ workbench, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await workbench.profile(DEMO).dblclick();
  const grid = await workbench.openTable('track');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid).toHaveAttribute('aria-rowcount', '3504');
  await expect(await gridCell(grid, 1, 'name')).toHaveText('For Those About To Rock (We Salute You)');

  // Sort by name on the server: the first row is the server's first name of all 3,503, in its collation.
  const port = Number(/127\.0\.0\.1:(\d+)\//.exec((await page.getByRole('contentinfo', { name: 'Status' }).textContent()) ?? '')?.[1]);
  const demo = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await demo.connect();
  const first = async (direction: string) => (await demo.query(`select name from track order by name ${direction}, track_id ${direction} limit 1`)).rows[0].name as string;
  const [firstAsc, firstDesc] = [await first('asc'), await first('desc')];
  await demo.end();
  await grid.getByRole('columnheader', { name: 'name' }).click();
  await expect(grid.getByRole('columnheader', { name: 'name' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(await gridCell(grid, 1, 'name')).toHaveText(firstAsc);
  await grid.getByRole('columnheader', { name: 'name' }).click();
  await expect(await gridCell(grid, 1, 'name')).toHaveText(firstDesc);

  // Ctrl+End: the last row, without reading the rows in between.
  await (await gridCell(grid, 1, 'name')).click();
  await page.keyboard.press('Control+End');
  await expect(grid.locator('[role="row"][aria-rowindex="3504"]')).toBeVisible();
  await workbench.screenshot('grid-end');

  // A filter on the server.
  await page.getByRole('button', { name: /^Filter/ }).click();
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByRole('button', { name: 'Add filter' }).click();
  await filters.getByLabel('Column').selectOption('composer');
  await filters.getByLabel('Operator').selectOption('contains');
  await filters.getByLabel('Value').fill('mercury');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByLabel('Row count')).toHaveText(/^~?\d+ rows/);
  await expect(await gridCell(grid, 1, 'composer')).toContainText(/Mercury/i);
  await page.getByRole('button', { name: 'SQL', exact: true }).click();
  await expect(page.getByRole('region', { name: 'SQL the grid runs' })).toContainText('composer');
  // Once the grid has read to the end of the filtered rows, the count is exact.
  await expect(page.getByLabel('Row count')).toHaveText(/^\d+ rows$/);
  await workbench.screenshot('grid-filtered');

  // Copy a range as TSV.
  await (await gridCell(grid, 1, 'track_id')).click();
  await (await gridCell(grid, 2, 'name')).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n')).toHaveLength(2);
  expect(copied.split('\n')[0]!.split('\t')).toHaveLength(2);

  // The album_id cell links to its album, opened filtered in a tab of its own.
  const albumCell = await gridCell(grid, 1, 'album_id');
  const albumId = (await albumCell.getAttribute('aria-label'))!;
  await albumCell.getByRole('button', { name: new RegExp(`^Open album where album_id = ${albumId}$`) }).click();
  const albums = page.getByRole('grid', { name: 'Rows of album' });
  await expect(albums).toHaveAttribute('aria-rowcount', '2');
  await expect(await gridCell(albums, 1, 'album_id')).toHaveText(albumId);

  // The structure of track.
  await page.getByRole('tab', { name: /^track/ }).click();
  await page.getByRole('tab', { name: 'Structure' }).click();
  const structure = page.getByLabel('Structure of track');
  await expect(structure.getByRole('region', { name: 'Columns' })).toContainText('unit_price');
  await expect(structure.getByRole('region', { name: 'Foreign keys' })).toContainText('public.album (album_id)');
  await expect(structure.getByRole('region', { name: 'Indexes' })).toContainText('track_pkey');
  await workbench.screenshot('structure');
});

test.describe('odd tables on PostgreSQL', () => {
  let db: TestDatabase;
  test.beforeAll(async () => {
    db = await createPostgresDatabase('cabinet_e2e_grid');
    const wide = Array.from({ length: 1000 }, (_, i) => `c${i} int default ${i}`).join(', ');
    await db.exec(`
      create table "a""b" (id int primary key, v text);
      insert into "a""b" values (1, '<img src=x onerror=alert(1)>'), (2, ''), (3, 'NULL'), (4, null);
      create table "Order Items" (id bigint primary key, price numeric(30,10), at timestamptz, doc jsonb, raw bytea);
      insert into "Order Items" values (9223372036854775807, 12345678901234567890.0123456789, '2024-02-29 23:59:59.123456+00', '{"a":[1,2,{"b":null}]}', '\\xdeadbeef');
      create table café (nom text);
      insert into café values ('crème brûlée');
      create table no_key (v int);
      insert into no_key select g from generate_series(1, 500) g;
      create table wide (${wide});
      insert into wide default values;
      create table big_cell (id int primary key, body text);
      insert into big_cell values (1, repeat('x', 1024 * 1024));
    `);
  });
  test.afterAll(async () => {
    await db?.drop();
  });

  test('hostile names open, values are exact and shown as text, never markup', async ({ workbench, page }) => {
    page.on('dialog', () => {
      throw new Error('a cell value ran as script');
    });
    await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Odd');
    const ab = await workbench.openTable('a"b');
    await expect(await gridCell(ab, 1, 'v')).toHaveText('<img src=x onerror=alert(1)>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // '' , 'NULL' and NULL look different.
    const [empty, text, nul] = await Promise.all([gridCell(ab, 2, 'v'), gridCell(ab, 3, 'v'), gridCell(ab, 4, 'v')]);
    await expect(empty).toHaveText('');
    await expect(text).toHaveText('NULL');
    await expect(nul).toHaveText('NULL');
    expect(await text.getAttribute('class')).not.toBe(await nul.getAttribute('class'));

    const items = await workbench.openTable('Order Items');
    await expect(await gridCell(items, 1, 'id')).toHaveText('9223372036854775807');
    await expect(await gridCell(items, 1, 'price')).toHaveText('12345678901234567890.0123456789');
    await expect(await gridCell(items, 1, 'at')).toHaveText('2024-02-29 23:59:59.123456+00');
    await expect(await gridCell(items, 1, 'raw')).toHaveText('\\xDEADBEEF (4 B)');
    // The JSON opens whole, pretty-printed, in the side panel.
    await (await gridCell(items, 1, 'doc')).dblclick();
    await expect(page.getByRole('complementary', { name: 'Value of doc' })).toContainText('"b": null');

    const cafe = await workbench.openTable('café');
    await expect(await gridCell(cafe, 1, 'nom')).toHaveText('crème brûlée');

    const noKey = await workbench.openTable('no_key');
    await expect(page.getByText('offset paging (no key)')).toBeVisible();
    await noKey.getByRole('gridcell').first().click();
    await page.keyboard.press('Control+End');
    await expect(noKey.locator('[role="row"][aria-rowindex="501"]')).toBeVisible();

    const wide = await workbench.openTable('wide');
    await expect(wide).toHaveAttribute('aria-colcount', '1000');
    expect(await wide.getByRole('gridcell').count()).toBeLessThan(600);

    const big = await workbench.openTable('big_cell');
    const bigCell = await gridCell(big, 1, 'body');
    expect((await bigCell.innerText()).length).toBeLessThan(1000);
    await bigCell.dblclick();
    await expect(page.getByRole('complementary', { name: 'Value of body' })).toContainText('1,048,576 characters');
    await workbench.screenshot('grid-odd-values');
  });

  test('a bad filter value, a broken WHERE and a dropped table each say what went wrong, and the tab goes on', async ({ workbench, page }) => {
    await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Errors');
    const grid = await workbench.openTable('no_key');
    await page.getByRole('button', { name: /^Filter/ }).click();
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByRole('button', { name: 'Add filter' }).click();
    await filters.getByLabel('Value').fill('abc');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('alert')).toContainText(/integer|abc/i);
    // The grid still shows the unfiltered rows.
    await expect(grid).toHaveAttribute('aria-rowcount', '501');

    await filters.getByRole('button', { name: 'Remove filter 1' }).click();
    await filters.getByLabel('WHERE').fill('v >');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('alert').first()).toContainText(/syntax error/i);

    await filters.getByLabel('WHERE').fill('v <= 3');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(grid).toHaveAttribute('aria-rowcount', '4');

    await db.exec('drop table no_key');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(page.getByRole('alert').first()).toContainText(/no_key|does not exist/);
    await db.exec('create table no_key (v int); insert into no_key values (1)');
  });
});

test('a MariaDB table browses the same way', async ({ workbench }) => {
  const db = await createMysqlDatabase('cabinet_e2e_grid');
  try {
    await db.exec("create table `Order Items` (id int primary key, note text); insert into `Order Items` values (1, 'one'), (2, null), (3, 'three');");
    await workbench.connectWithUrl(`mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${db.name}`, 'Maria');
    const grid = await workbench.openTable('Order Items');
    await expect(grid).toHaveAttribute('aria-rowcount', '4');
    await grid.getByRole('columnheader', { name: 'id' }).click();
    await grid.getByRole('columnheader', { name: 'id' }).click();
    await expect(await gridCell(grid, 1, 'id')).toHaveText('3');
  } finally {
    await db.drop();
  }
});

test('a far jump into a big MariaDB table lands near the middle at once, numbered as a guess (≈), and Ctrl+Home goes back to exact numbers', async ({ workbench, page }) => {
  const db = await createMysqlDatabase('cabinet_e2e_jump');
  try {
    await db.exec(`create table events (id bigint primary key, label varchar(40) not null);
      insert into events select seq, concat('event ', seq) from seq_1_to_300000; analyze table events;`);
    await workbench.connectWithUrl(`mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${db.name}`, 'Maria big');
    const grid = await workbench.openTable('events');
    // The scrollbar dragged to the middle: past what MariaDB skips fast, so the row is found by interpolation.
    await grid.locator('.dg-scroller').evaluate((scroller) => (scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) / 2));
    const guessed = grid.locator('.dg-rownum').filter({ hasText: /^≈\d+$/ });
    await expect(guessed.first()).toBeVisible();
    const firstShown = Number((await guessed.first().textContent())!.slice(1));
    const row = grid.locator(`[role="row"][aria-rowindex="${firstShown + 1}"]`);
    const ids = async (at: number) => Number(await grid.locator(`[role="row"][aria-rowindex="${at + 1}"]`).getByRole('gridcell').first().textContent());
    await expect(row.getByRole('gridcell').first()).not.toHaveText('');
    const id = await ids(firstShown);
    expect(Math.abs(id - firstShown)).toBeLessThan(15_000);
    // The rows below follow one another (the next block may still be arriving).
    await expect.poll(() => ids(firstShown + 1)).toBe(id + 1);
    await expect.poll(() => ids(firstShown + 5)).toBe(id + 5);
    await workbench.screenshot('grid-far-jump');
    // A row well inside the view (the first numbered one may be the half-hidden row above it).
    await grid.locator(`[role="row"][aria-rowindex="${firstShown + 6}"]`).getByRole('gridcell').first().click();
    await page.keyboard.press('Control+Home');
    await expect(await gridCell(grid, 1, 'id')).toHaveText('1');
    await expect(grid.locator('.dg-rownum').filter({ hasText: /^1$/ })).toBeVisible();
    await expect(grid.locator('.dg-rownum').filter({ hasText: /^≈/ })).toHaveCount(0);
  } finally {
    await db.drop();
  }
});
