import { expect, gridCell, test } from './fixtures.ts';

const DEMO = 'Demo (embedded PostgreSQL)';

/**
 * The demo as a first-time user meets it: the PostgreSQL samples attached, half applied. Apply the rest (an open
 * table follows the schema), revert one, then write a migration in the app and apply it.
 */
test('the demo timeline: apply pending, revert one, create a migration and apply it', async ({ workbench }) => {
  const { page } = workbench;
  await workbench.profile(DEMO).dblclick();
  await expect(workbench.treeItem('users')).toBeVisible();
  // The users table open in a tab: a migration renames one of its columns.
  const users = await workbench.openTable('users');
  await expect(users.getByRole('columnheader', { name: 'full_name', exact: true })).toBeVisible();

  const timeline = await workbench.openMigrations(DEMO);
  await expect(timeline.getByRole('listitem')).toHaveCount(12);
  await expect(timeline.getByRole('listitem', { name: / — applied$/ })).toHaveCount(6);
  await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(6);
  // A pending version shows its file's SQL; an applied one its down section as recorded.
  await timeline.getByRole('listitem', { name: /^20250111090000 rename_full_name/ }).getByRole('button').click();
  await expect(page.getByRole('region', { name: 'Up SQL' })).toContainText('RENAME COLUMN full_name TO display_name');
  await workbench.screenshot('migrations-demo-timeline');

  const dialog = workbench.dialog;
  await page.getByRole('button', { name: 'Apply all pending', exact: true }).click();
  await expect(dialog.getByRole('list', { name: 'Statements' })).toContainText('RENAME COLUMN full_name TO display_name');
  await dialog.getByRole('button', { name: 'Apply all pending', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(timeline.getByRole('listitem', { name: / — applied$/ })).toHaveCount(12);
  await expect(page.getByRole('region', { name: 'Last run' })).toContainText('20250116090000 applied');
  await workbench.screenshot('migrations-demo-applied');

  // The open table read its columns again.
  await page.getByRole('tab', { name: 'users' }).click();
  await expect(users.getByRole('columnheader', { name: 'display_name', exact: true })).toBeVisible();
  await expect(await gridCell(users, 1, 'display_name')).toHaveText('Ada Lovelace');
  await page.getByRole('tab', { name: 'Migrations' }).click();

  await page.getByRole('button', { name: 'Revert last', exact: true }).click();
  await expect(dialog.getByRole('list', { name: 'Statements' })).toContainText('legacy_rank');
  await dialog.getByRole('button', { name: 'Revert last', exact: true }).click();
  await expect(dialog).toBeHidden();
  const reverted = timeline.getByRole('listitem', { name: /^20250116090000 drop_posts_legacy_rank — reverted$/ });
  await expect(reverted).toBeVisible();
  // Its past stays under it: applied, then reverted.
  await expect(reverted.getByRole('group', { name: 'Past of 20250116090000' })).toContainText(/apply → applied.*revert → reverted/);
  await workbench.screenshot('migrations-demo-reverted');

  // A new migration: named by the person, versioned by the clock, written in the editor and saved to the folder.
  await page.getByRole('button', { name: 'New migration', exact: true }).click();
  await dialog.getByLabel('Name', { exact: true }).fill('Add users nickname');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const editor = dialog.getByRole('region', { name: 'Migration file' });
  await expect(editor).toContainText('-- migrate:up');
  await expect(dialog).toHaveAccessibleName(/^Edit \d{14}_add_users_nickname\.sql$/);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText('-- migrate:up\nALTER TABLE users ADD COLUMN nickname text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN nickname;\n');
  await workbench.screenshot('migrations-demo-new-file');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  const created = timeline.getByRole('listitem', { name: /^\d{14} add_users_nickname — pending$/ });
  await expect(created).toBeVisible();
  await expect(timeline.getByRole('listitem').first()).toHaveAccessibleName(/add_users_nickname/);

  // Apply up to here: the reverted version first, then the new one.
  await created.getByRole('button').click();
  await page.getByRole('toolbar', { name: /^Actions for \d{14}$/ }).getByRole('button', { name: 'Apply up to here' }).click();
  await expect(dialog).toContainText(/Versions: 20250116090000 drop_posts_legacy_rank, \d{14} add_users_nickname\./);
  await expect(dialog.getByRole('list', { name: 'Statements' })).toContainText('ADD COLUMN nickname text');
  await dialog.getByRole('button', { name: 'Apply up to here', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(timeline.getByRole('listitem', { name: /^\d{14} add_users_nickname — applied$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Down SQL' })).toContainText('DROP COLUMN nickname');
  await workbench.screenshot('migrations-demo-created-applied');
});
