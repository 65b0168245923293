import { createManyPostgresTables, createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

const TABLES = 20_000;
let db: TestDatabase;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  db = await createPostgresDatabase('cabinet_e2e_big');
  await createManyPostgresTables(db, 'many', TABLES);
});

test.afterAll(async () => {
  await db?.drop();
});

test('a schema with 20,000 tables opens, scrolls and filters without rendering them all', async ({ workbench, page }) => {
  test.setTimeout(120_000);
  await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Big schema');

  await workbench.expand('many');
  const tables = page.getByRole('treeitem', { name: 'Tables', exact: true }).last();
  await expect(tables).toContainText('20,000');
  await tables.click();
  await page.keyboard.press('ArrowRight');
  await expect(workbench.treeItem('t1')).toBeVisible();

  // Only the rows in view exist in the page.
  expect(await page.getByRole('treeitem').count()).toBeLessThan(150);
  await expect(workbench.treeItem('t1')).toHaveAttribute('aria-setsize', String(TABLES));

  // End jumps to the last table without scrolling through the others.
  await page.keyboard.press('End');
  const last = page.locator('[role="treeitem"][aria-posinset="20000"]');
  await expect(last).toBeVisible();
  expect(await page.getByRole('treeitem').count()).toBeLessThan(150);
  await workbench.screenshot('big-schema-end');

  // The filter box finds tables among the 20,000 loaded names (speed is the bench's business, not a test's).
  await page.getByLabel('Filter').fill('t1999');
  await expect(workbench.treeItem('t19999')).toBeVisible();
  await expect(page.getByRole('treeitem', { name: /^t\d+$/ })).toHaveCount(11); // t1999, t19990..t19999
  await workbench.screenshot('big-schema-filter');

  // A server connected now, below 20,000 expanded rows, is scrolled into view and selected.
  await page.getByLabel('Filter').fill('');
  await workbench.profile('Demo (embedded PostgreSQL)').dblclick();
  const demo = workbench.treeItem('Demo (embedded PostgreSQL)');
  await expect(demo).toBeInViewport();
  await expect(demo).toHaveAttribute('aria-selected', 'true');
});
