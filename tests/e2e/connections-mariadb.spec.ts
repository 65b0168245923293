import { createMysqlDatabase, MYSQL_HOST, MYSQL_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

let db: TestDatabase;

test.beforeAll(async () => {
  db = await createMysqlDatabase('cabinet_e2e');
  await db.exec(`
    create table widgets (id int auto_increment primary key, name varchar(50) not null);
    create table orders (id bigint unsigned primary key, widget_id int);
    create view widget_names as select name from widgets;
  `);
});

test.afterAll(async () => {
  await db?.drop();
});

test('a MariaDB connection made through the form shows its tree', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Name').fill('E2E MariaDB');
  await workbench.field('Engine').selectOption({ label: 'MySQL/MariaDB' });
  // The default port follows the engine.
  await expect(workbench.field('Port')).toHaveValue('3306');
  await workbench.field('Host').fill(MYSQL_HOST);
  await workbench.field('Port').fill(String(MYSQL_PORT));
  await workbench.field('User').fill('root');
  await workbench.field('Database').fill(db.name);

  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('status')).toContainText(/Connected: .*\d+\.\d+.* \(\d+ ms\)/);

  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await expect(workbench.profile('E2E MariaDB')).toBeVisible();

  await expect(workbench.treeItem(db.name)).toHaveAttribute('aria-expanded', 'true');
  await expect(workbench.treeItem('widgets')).toBeVisible();
  await expect(workbench.treeItem('orders')).toBeVisible();
  // Views are their own group, opened on demand.
  await workbench.expand('Views');
  await expect(workbench.treeItem('widget_names')).toBeVisible();
  await workbench.screenshot('mariadb-tree');
});

test('a pasted MySQL URL fills the form and connects', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${db.name}`);
  await expect(workbench.field('Engine')).toHaveValue('mysql');
  await expect(workbench.field('Port')).toHaveValue(String(MYSQL_PORT));
  await expect(workbench.field('Database')).toHaveValue(db.name);

  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await expect(workbench.profile(`root@${MYSQL_HOST}/${db.name}`)).toBeVisible();
  await expect(workbench.treeItem('widgets')).toBeVisible();
});
