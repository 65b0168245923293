import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { ROOT } from '../support/cabinet-process.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, gridCell, paste, test, type Workbench } from './fixtures.ts';

/** The editor of the open query tab: everything in it replaced by `text`, then the statement run (Ctrl+Enter). */
async function runQuery(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  await page.keyboard.press('Control+Enter');
}

async function newQueryTab(workbench: Workbench): Promise<void> {
  await workbench.page.getByRole('button', { name: 'New query' }).click();
  await expect(workbench.page.locator('.monaco-editor')).toBeVisible();
}

test.describe('editing a query result on Chinook (MariaDB)', () => {
  let db: TestDatabase;
  test.beforeAll(async () => {
    db = await createMysqlDatabase('cabinet_e2e_results');
    // The MySQL script of Chinook without its own CREATE DATABASE and USE.
    const script = readFileSync(join(ROOT, 'tests', 'fixtures', 'chinook', 'Chinook_MySql.sql'), 'utf8');
    await db.exec(script.slice(script.indexOf('USE `Chinook`;') + 'USE `Chinook`;'.length));
  });
  test.afterAll(async () => {
    await db?.drop();
  });

  test('a result from one table is edited and pasted into, and applied; a join says why it is read-only', async ({ workbench, page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await workbench.connectWithUrl(`mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${db.name}`, 'Chinook');
    await newQueryTab(workbench);
    await runQuery(page, 'select * from Album where ArtistId = 1 order by AlbumId');
    const grid = page.getByRole('grid', { name: 'Rows of Result 1' });
    await expect(grid).toHaveAttribute('aria-rowcount', '3');
    await expect(await gridCell(grid, 1, 'Title')).toHaveText('For Those About To Rock We Salute You');

    await (await gridCell(grid, 2, 'Title')).dblclick();
    const editor = grid.getByRole('textbox', { name: 'Edit Title' });
    await editor.fill('Let There Be Rock (Live)');
    await editor.press('Enter');
    await expect(await gridCell(grid, 2, 'Title')).toHaveClass(/is-pending/);
    await expect(page.getByLabel('Pending changes')).toHaveText('1 pending');
    await workbench.screenshot('result-editing-pending');

    await page.keyboard.press('Control+s');
    await expect(page.getByRole('status', { name: 'Row editing' })).toHaveText(/Applied 1 statement/);
    await expect(await gridCell(grid, 2, 'Title')).toHaveText('Let There Be Rock (Live)');
    await expect(await gridCell(grid, 2, 'Title')).not.toHaveClass(/is-pending/);
    await workbench.screenshot('result-editing-applied');

    // What the database holds, read on a connection of its own.
    const check = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
    const [rows] = await check.query('select Title from Album where AlbumId = 4');
    expect(rows).toEqual([{ Title: 'Let There Be Rock (Live)' }]);

    // A block pasted from a spreadsheet into the result's Title column: one pending edit per cell, applied together.
    await (await gridCell(grid, 1, 'Title')).click();
    await paste(page, grid, 'Rock Salute\nLet There Be Rock\n');
    await expect(page.getByLabel('Pending changes')).toHaveText('2 pending');
    await page.keyboard.press('Control+s');
    await expect(page.getByRole('status', { name: 'Row editing' })).toHaveText(/Applied 2 statements/);
    await expect(await gridCell(grid, 1, 'Title')).toHaveText('Rock Salute');
    const [pasted] = await check.query('select AlbumId, Title from Album where AlbumId in (1, 4) order by AlbumId');
    expect(pasted).toEqual([
      { AlbumId: 1, Title: 'Rock Salute' },
      { AlbumId: 4, Title: 'Let There Be Rock' },
    ]);
    await check.end();

    // A join: read-only, saying why; a double-click opens no editor.
    await runQuery(page, 'select a.Title, r.Name from Album a join Artist r on r.ArtistId = a.ArtistId where r.ArtistId = 1');
    const joined = page.getByRole('grid', { name: 'Rows of Result 1' });
    await expect(joined).toHaveAttribute('aria-rowcount', '3');
    await expect(page.getByRole('note')).toHaveText('Read-only: joins 2 tables (Album a, Artist r)');
    await (await gridCell(joined, 1, 'Title')).dblclick();
    await expect(joined.getByRole('textbox')).toHaveCount(0);
    await workbench.screenshot('result-editing-join-read-only');
  });
});

test.describe('a read-only connection (PostgreSQL)', () => {
  let db: TestDatabase;
  test.beforeAll(async () => {
    db = await createPostgresDatabase('cabinet_e2e_readonly');
    await db.exec(`create table people (id int primary key, name text not null); insert into people values (1, 'Ada'), (2, 'Bob');`);
  });
  test.afterAll(async () => {
    await db?.drop();
  });

  test('made read-only in the form: the grid says so and edits nothing; the server refuses an UPDATE typed in a query', async ({ workbench, page }) => {
    await workbench.openNewConnectionForm();
    await workbench.field('Connection URL').fill(db.url);
    await workbench.field('Name').fill('Careful');
    await workbench.dialog.getByRole('checkbox', { name: 'Read-only' }).check();
    await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(workbench.dialog).toBeHidden();

    const grid = await workbench.openTable('people');
    await expect(page.getByRole('note')).toHaveText('Read-only connection');
    await (await gridCell(grid, 1, 'name')).dblclick();
    await expect(grid.getByRole('textbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Insert row' })).toHaveCount(0);
    await workbench.screenshot('read-only-table');

    await newQueryTab(workbench);
    await runQuery(page, "update people set name = 'Eve' where id = 1");
    const messages = page.getByRole('list', { name: 'Messages' });
    await expect(messages).toContainText('cannot execute UPDATE in a read-only transaction');
    // A result on this connection is read-only too, and says why.
    await runQuery(page, 'select * from people');
    await expect(page.getByRole('grid', { name: 'Rows of Result 1' })).toHaveAttribute('aria-rowcount', '3');
    await expect(page.getByRole('note')).toHaveText('Read-only: the connection is read-only');
    await page.keyboard.press('Escape');
    await workbench.screenshot('read-only-query');

    const check = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await check.connect();
    const { rows } = await check.query('select name from people where id = 1');
    await check.end();
    expect(rows).toEqual([{ name: 'Ada' }]);
  });
});

test('on the demo database (PostgreSQL Chinook): a result with a computed column is edited, and the edit is read back in another query', async ({ workbench, page }) => {
  await workbench.profile('Demo (embedded PostgreSQL)').dblclick();
  await expect(workbench.treeItem('album')).toBeVisible();
  await newQueryTab(workbench);
  await runQuery(page, 'select album_id, title, length(title) as "Title length" from album where artist_id = 1 order by album_id');
  const grid = page.getByRole('grid', { name: 'Rows of Result 1' });
  await expect(grid).toHaveAttribute('aria-rowcount', '3');

  // The computed column cannot be edited, and says why.
  await (await gridCell(grid, 1, 'Title length')).dblclick();
  await expect(page.getByRole('alert', { name: 'Row editing' })).toHaveText(/Title length is computed by the query, not a column of album/);
  await page.getByRole('button', { name: 'Dismiss' }).click();

  await (await gridCell(grid, 1, 'title')).dblclick();
  await grid.getByRole('textbox', { name: 'Edit title' }).fill('For Those About To Rock');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Row editing' })).toHaveText(/Applied 1 statement/);
  await expect(await gridCell(grid, 1, 'title')).toHaveText('For Those About To Rock');

  await runQuery(page, 'select title from album where album_id = 1');
  await expect(await gridCell(page.getByRole('grid', { name: 'Rows of Result 1' }), 1, 'title')).toHaveText('For Those About To Rock');
  await workbench.screenshot('result-editing-demo');
});
