import { MYSQL_HOST, MYSQL_PORT } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

test('a wrong password shows a readable error and keeps what was typed', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Name').fill('Wrong password');
  await workbench.field('Engine').selectOption({ label: 'MySQL/MariaDB' });
  await workbench.field('Host').fill(MYSQL_HOST);
  await workbench.field('Port').fill(String(MYSQL_PORT));
  await workbench.field('User').fill('root');
  await workbench.field('Password').fill('wrong');
  await workbench.field('Database').fill('mysql');

  await workbench.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  const error = workbench.dialog.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).toContainText(/root/);
  await expect(error).toContainText(/password|denied|refused/i);
  await workbench.screenshot('wrong-password');

  // Nothing typed is lost.
  await expect(workbench.dialog).toBeVisible();
  await expect(workbench.field('Name')).toHaveValue('Wrong password');
  await expect(workbench.field('Engine')).toHaveValue('mysql');
  await expect(workbench.field('Host')).toHaveValue(MYSQL_HOST);
  await expect(workbench.field('Port')).toHaveValue(String(MYSQL_PORT));
  await expect(workbench.field('User')).toHaveValue('root');
  await expect(workbench.field('Password')).toHaveValue('wrong');
  await expect(workbench.field('Database')).toHaveValue('mysql');

  // Test says the same, and still keeps the form.
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(workbench.dialog.getByRole('alert')).toContainText(/password|denied|refused/i);
  await expect(workbench.field('Password')).toHaveValue('wrong');
});

test('a pasted URL with a bad port names the port and changes nothing else', async ({ workbench }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Host').fill('db.example.test');
  await workbench.field('Connection URL').fill('postgres://localhost:99999/db');
  const alert = workbench.dialog.getByRole('alert');
  await expect(alert).toContainText('port');
  await expect(alert).toContainText('99999');
  await expect(workbench.field('Host')).toHaveValue('db.example.test');
  await expect(workbench.field('Port')).toHaveValue('5432');
  await expect(workbench.field('Database')).toHaveValue('');
  await workbench.screenshot('bad-url');
});
