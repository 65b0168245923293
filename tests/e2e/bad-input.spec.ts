import pg from 'pg';
import { createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
let db: TestDatabase;

test.beforeAll(async () => {
  db = await createPostgresDatabase('cabinet_e2e_bad');
  await db.exec(`create table "a""b" (id int); create table "${HOSTILE.replace(/"/g, '""')}" (id int); create table plain (id int);`);
});

test.afterAll(async () => {
  await db?.drop();
});

test('odd and hostile table names show as text, never as markup', async ({ workbench, page }) => {
  await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Odd names');
  await expect(workbench.treeItem('a"b')).toBeVisible();
  await expect(workbench.treeItem(HOSTILE)).toBeVisible();
  await expect(workbench.treeItem(HOSTILE)).toContainText(HOSTILE);
  expect(await page.locator('[role="tree"] img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await workbench.screenshot('hostile-names');
});

test('a connection the server drops is reported, and Reconnect brings it back', async ({ workbench, page }) => {
  await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Dropped');
  await expect(workbench.treeItem('plain')).toBeVisible();

  // The server ends Cabinet's session (a restart, an admin, a proxy timeout).
  const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'Cabinet'", [db.name]);
  await admin.end();

  const banner = page.getByRole('alert').filter({ hasText: 'was lost' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Dropped');
  await expect(banner).toContainText('administrator command. Cabinet reconnects on your next action.');
  await workbench.screenshot('connection-lost');
  // Nothing typed or opened is lost: the tree is still there.
  await expect(workbench.treeItem('plain')).toBeVisible();

  await banner.getByRole('button', { name: 'Reconnect' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Dropped');
});
