import { expect, test } from './fixtures.ts';

test('saved profiles are still listed after a reload', async ({ workbench, page }) => {
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill('postgres://reporter@db.internal:6543/analytics');
  await workbench.field('Name').fill('Analytics (saved)');
  await workbench.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await expect(workbench.profile('Analytics (saved)')).toContainText('reporter@db.internal:6543/analytics');

  await page.reload();
  await expect(workbench.profile('Analytics (saved)')).toBeVisible();
  await expect(workbench.profile('Analytics (saved)')).toContainText('reporter@db.internal:6543/analytics');
  // The demo stays first.
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem').first()).toHaveAccessibleName('Demo (embedded PostgreSQL)');

  // Edit opens the saved values; a change is saved and survives a reload too.
  await workbench.profile('Analytics (saved)').hover();
  await page.getByRole('button', { name: 'Edit Analytics (saved)' }).click();
  await expect(workbench.field('Host')).toHaveValue('db.internal');
  await expect(workbench.field('Port')).toHaveValue('6543');
  await workbench.field('Port').fill('6544');
  await workbench.dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(workbench.dialog).toBeHidden();
  await page.reload();
  await expect(workbench.profile('Analytics (saved)')).toContainText('reporter@db.internal:6544/analytics');

  // Duplicate and delete work from the row's buttons.
  await workbench.profile('Analytics (saved)').hover();
  await page.getByRole('button', { name: 'Duplicate Analytics (saved)' }).click();
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveCount(3);
  await workbench.screenshot('profiles-after-reload');
  await workbench.profile('Analytics (saved)').hover();
  await page.getByRole('button', { name: 'Delete Analytics (saved)' }).click();
  await workbench.profile('Analytics (saved)').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(workbench.profile('Analytics (saved)')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveCount(2);
});
