import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test, type Workbench } from './fixtures.ts';

let db: TestDatabase;
test.beforeAll(async () => {
  db = await createPostgresDatabase('cabinet_e2e_sql');
  await db.exec(`
    create table album (album_id int primary key, title text not null, artist_id int);
    insert into album values (1, 'For Those About To Rock', 1), (2, 'Balls to the Wall', 2), (3, 'Restless and Wild', 2);
    create table "Order Items" (id int primary key, "Unit Price" numeric(10,2));
  `);
});
test.afterAll(async () => {
  await db?.drop();
});

/** The editor of the open query tab: click into it and type, as a person does. */
async function typeInEditor(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type(text);
}

async function openQueryTab(workbench: Workbench): Promise<void> {
  await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'SQL');
  await expect(workbench.treeItem('album')).toBeVisible();
  await workbench.page.getByRole('button', { name: 'New query' }).click();
  await expect(workbench.page.getByRole('tab', { name: 'Query 1' })).toHaveAttribute('aria-selected', 'true');
  await expect(workbench.page.locator('.monaco-editor')).toBeVisible();
}

test('completion after an alias and on a quoted table name', async ({ workbench, page }) => {
  await openQueryTab(workbench);
  // The alias is declared after the cursor, as people write it.
  await typeInEditor(page, 'select a. from album a');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight', { delay: 0 });
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+Space');
  const suggestions = page.locator('.monaco-editor .suggest-widget');
  await expect(suggestions).toBeVisible();
  await expect(suggestions).toContainText('album_id');
  await expect(suggestions).toContainText('title');
  await expect(suggestions).toContainText('artist_id');
  await workbench.screenshot('completion-alias');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+End');
  await page.keyboard.type(';\nselect * from "Ord');
  await page.keyboard.press('Control+Space');
  await expect(suggestions).toContainText('Order Items');
  await page.keyboard.press('Enter');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('select * from "Order Items"');
});

test('runs the statement under the cursor, then the script; marks an error; keeps the text through a reload; history reopens it', async ({ workbench, page }) => {
  await openQueryTab(workbench);
  await typeInEditor(page, "select 'first' as which;\nselect title from album order by album_id;\nselect * from no_such_table;");
  // The cursor on line 2: only that statement runs.
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+Enter');
  const result = page.getByRole('grid', { name: 'Rows of Result 1' });
  await expect(result).toHaveAttribute('aria-rowcount', '4');
  await expect(result.locator('[role="row"][aria-rowindex="2"] [role="gridcell"]').first()).toHaveText('For Those About To Rock');
  await expect(page.getByRole('tab', { name: 'Result 2' })).toHaveCount(0);

  // The whole script: two results, then the error, marked in the editor and named in the messages.
  await page.keyboard.press('Control+Shift+Enter');
  await expect(page.getByRole('tab', { name: 'Messages (error)' })).toHaveAttribute('aria-selected', 'true');
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Statement 1: 1 row');
  await expect(messages).toContainText('Statement 2: 3 rows');
  await expect(messages).toContainText('relation "no_such_table" does not exist (SQLSTATE 42P01)');
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await expect(page.getByRole('tab', { name: 'Result 2' })).toBeVisible();
  await workbench.screenshot('sql-editor-error');

  // A reload keeps the text (a draft in the data folder) and the tab.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Query 1' })).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('select * from no_such_table;');

  // History has every statement, and reopens one in a new tab.
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'Query history' });
  await history.getByLabel('Search history').fill('no_such_table');
  const entry = history.getByRole('listitem').filter({ hasText: 'select * from no_such_table' });
  await expect(entry).toContainText('does not exist');
  await entry.getByRole('button', { name: 'Open in a query tab' }).click();
  await expect(page.getByRole('tab', { name: 'Query 2' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('select * from no_such_table');
});

test('BEGIN stays in its tab; closing the tab asks to commit or roll back', async ({ workbench, page }) => {
  await openQueryTab(workbench);
  await typeInEditor(page, "begin;\ninsert into album values (9, 'Uncommitted', 1);");
  await page.keyboard.press('Control+Shift+Enter');
  await expect(page.getByRole('status', { name: 'Transaction' })).toHaveText('Transaction open');
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('transaction open');
  const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
  await admin.connect();
  expect((await admin.query('select count(*)::int as n from album where album_id = 9')).rows[0].n).toBe(0);
  await page.getByRole('button', { name: 'Close Query 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open transaction' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByRole('tab', { name: 'Query 1' })).toHaveCount(0);
  await expect.poll(async () => (await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1 and state = 'idle in transaction'", [db.name])).rows[0].n).toBe(0);
  expect((await admin.query('select count(*)::int as n from album where album_id = 9')).rows[0].n).toBe(0);
  await admin.end();
});

test('cancel stops a long statement on PostgreSQL and on MariaDB; the tab goes on', async ({ workbench, page }) => {
  const maria = await createMysqlDatabase('cabinet_e2e_sql');
  try {
    for (const [url, name, sleep] of [
      [`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Sleepy PG', 'select pg_sleep(60)'],
      [`mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${maria.name}`, 'Sleepy Maria', 'select sleep(60)'],
    ] as const) {
      await workbench.connectWithUrl(url, name);
      await page.keyboard.press('Control+t');
      await expect(page.locator('.monaco-editor')).toBeVisible();
      await typeInEditor(page, sleep);
      await page.keyboard.press('Control+Enter');
      await expect(page.getByRole('status').filter({ hasText: 'Running…' })).toBeVisible();
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Running…' })).toHaveCount(0);
      await expect(page.getByRole('list', { name: 'Messages' })).toContainText(/Cancelled|cancel/i);
      // The same tab runs the next statement.
      await page.locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('Control+a');
      await page.keyboard.type('select 42 as answer');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByRole('grid', { name: 'Rows of Result 1' }).locator('[role="gridcell"]').first()).toHaveText('42');
    }
  } finally {
    await maria.drop();
  }
});

test('exports a result to CSV as a download, byte for byte what psql \\copy writes', async ({ workbench, page }) => {
  await openQueryTab(workbench);
  const sql = 'select * from album order by album_id';
  await typeInEditor(page, sql);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('grid', { name: 'Rows of Result 1' })).toHaveAttribute('aria-rowcount', '4');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Format').selectOption('csv');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  await expect(dialog.getByRole('status', { name: 'Export progress' })).toContainText('3 rows');
  await workbench.screenshot('export-done');
  const ours = readFileSync((await download.path())!, 'utf8');
  const theirs = join(mkdtempSync(join(tmpdir(), 'cabinet-psql-')), 'album.csv');
  execFileSync('psql', ['-h', PG_HOST, '-p', String(PG_PORT), '-U', 'postgres', '-d', db.name, '-c', `\\copy (${sql}) to '${theirs}' csv header`]);
  expect(ours).toBe(readFileSync(theirs, 'utf8'));
});
