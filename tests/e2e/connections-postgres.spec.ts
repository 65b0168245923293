import { createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

let db: TestDatabase;

test.beforeAll(async () => {
  db = await createPostgresDatabase('cabinet_e2e');
  await db.exec(`
    create table widgets (id serial primary key, name text not null);
    create schema inventory;
    create table inventory.gadgets (id bigint primary key, label text);
    create view widget_names as select name from widgets;
  `);
});

test.afterAll(async () => {
  await db?.drop();
});

test('a PostgreSQL connection made through the form shows its tree', async ({ workbench, page }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Name').fill('E2E Postgres');
  await workbench.field('Engine').selectOption({ label: 'PostgreSQL' });
  await workbench.field('Host').fill(PG_HOST);
  await workbench.field('Port').fill(String(PG_PORT));
  await workbench.field('User').fill('postgres');
  await workbench.field('Database').fill(db.name);

  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('status')).toContainText(/Connected: PostgreSQL \d+.* \(\d+ ms\)/);
  await workbench.screenshot('postgres-form-test');

  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await expect(workbench.profile('E2E Postgres')).toBeVisible();

  // The tree opens on the profile's database and its public schema.
  await expect(workbench.treeItem(db.name)).toHaveAttribute('aria-expanded', 'true');
  await expect(workbench.treeItem('widgets')).toBeVisible();
  await expect(workbench.treeItem('inventory')).toBeVisible();

  // Another schema opens on demand: the schema, then its tables group.
  await workbench.expand('inventory');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(workbench.treeItem('gadgets')).toBeVisible();
  await expect(workbench.treeItem('gadgets')).toHaveAttribute('aria-level', '5');
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(`postgres@${PG_HOST}:${PG_PORT}/${db.name}`);
  await workbench.screenshot('postgres-tree');
});

test('a pasted PostgreSQL URL fills the form and connects', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`);
  await expect(workbench.field('Engine')).toHaveValue('postgres');
  await expect(workbench.field('Host')).toHaveValue(PG_HOST);
  await expect(workbench.field('Port')).toHaveValue(String(PG_PORT));
  await expect(workbench.field('User')).toHaveValue('postgres');
  await expect(workbench.field('Database')).toHaveValue(db.name);
  await workbench.screenshot('postgres-url-form');

  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  // Without a typed name the profile is called user@host/db.
  await expect(workbench.profile(`postgres@${PG_HOST}/${db.name}`)).toBeVisible();
  await expect(workbench.treeItem('widgets')).toBeVisible();
});
