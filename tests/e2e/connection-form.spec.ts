import { MYSQL_HOST, MYSQL_PORT } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

const MARIADB = `${MYSQL_HOST}:${MYSQL_PORT}`;

test('while the URL does not parse, Test, Save and Connect are disabled and the wrong part is named', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  const buttons = ['Test', 'Save', 'Connect'].map((name) => workbench.dialog.getByRole('button', { name, exact: true }));
  const cases: [string, RegExp][] = [
    ['postgress://postgres@127.0.0.1:5432/postgres', /scheme "postgress:\/\/" is not supported/],
    ['mysql://root@127.0.0.1:33o6/', /port "33o6"/],
    ['postgres//postgres@127.0.0.1/x', /must start with a scheme/],
    ['127.0.0.1:5432', /must start with a scheme/],
    ['hello world', /must start with a scheme/],
    ['postgres://u@h/d?application_name=x', /"application_name" is not supported/],
  ];
  for (const [url, named] of cases) {
    await workbench.field('Connection URL').fill(url);
    await expect(workbench.dialog.getByRole('alert')).toContainText(named);
    for (const button of buttons) await expect(button).toBeDisabled();
    // Enter in the form does not connect either.
    await workbench.field('Connection URL').press('Enter');
    await expect(workbench.dialog).toBeVisible();
  }
  await workbench.screenshot('form-bad-url');
  await workbench.field('Connection URL').fill(`mysql://root@${MARIADB}/`);
  await expect(workbench.field('Engine')).toHaveValue('mysql');
  for (const button of buttons) await expect(button).toBeEnabled();
});

test('a failed Connect saves nothing', async ({ workbench, page }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`mysql://root:wrong@${MARIADB}/`);
  await workbench.field('Name').fill('Never saved');
  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(workbench.dialog.getByRole('alert')).toContainText(/refused user "root"/);
  await workbench.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveCount(1);
  await expect(workbench.profile('Never saved')).toHaveCount(0);
});

test('the form says when a stored password is used, can forget it, and takes an empty password on purpose', async ({ workbench }) => {
  // A root user with an empty password, saved by mistake with a wrong one.
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`mysql://root:wrong@${MARIADB}/`);
  await workbench.field('Name').fill('Local Maria');
  await workbench.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();

  await workbench.profile('Local Maria').hover();
  await workbench.page.getByRole('button', { name: 'Edit Local Maria' }).click();
  await expect(workbench.dialog).toContainText('The stored password will be used.');
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('alert')).toContainText(/using password: YES/);

  await workbench.dialog.getByRole('button', { name: 'Forget saved password' }).click();
  await expect(workbench.dialog).toContainText('The stored password will be forgotten when you save.');
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('status')).toContainText(/Connected: (MariaDB|MySQL) /);
  await workbench.screenshot('form-forget-password');
  await workbench.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();

  // Connecting now needs no password: nothing is asked, the tree opens.
  await workbench.profile('Local Maria').dblclick();
  await expect(workbench.treeItem('Local Maria')).toBeVisible();

  // "Empty password" sends none, even over a typed one.
  await workbench.profile('Local Maria').hover();
  await workbench.page.getByRole('button', { name: 'Edit Local Maria' }).click();
  await workbench.field('Password').fill('typed-by-mistake');
  await workbench.dialog.getByRole('checkbox', { name: 'Empty password' }).check();
  await expect(workbench.field('Password')).toBeDisabled();
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('status')).toContainText(/Connected: (MariaDB|MySQL) /);
});

test('a PostgreSQL URL pointed at the MariaDB port names what answers there', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`postgres://postgres@${MARIADB}/postgres`);
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('alert')).toContainText('answers like a MySQL/MariaDB server');
});
