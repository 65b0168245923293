import { expect, test } from './fixtures.ts';

test('the demo connection opens and shows the Chinook tables', async ({ workbench, page }) => {
  // The built-in demo is always listed first.
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem').first()).toHaveAccessibleName('Demo (embedded PostgreSQL)');

  await workbench.profile('Demo (embedded PostgreSQL)').dblclick();

  for (const table of ['album', 'artist', 'track', 'invoice_line']) {
    await expect(workbench.treeItem(table)).toBeVisible();
  }
  // The tables group says how many it holds: Chinook's 11, the attached samples' users and posts (half applied), and the migrations history.
  await expect(workbench.treeItem('Tables')).toContainText('14');
  // The status bar names the connection and the server.
  const status = page.getByRole('contentinfo', { name: 'Status' });
  await expect(status).toContainText('Demo (embedded PostgreSQL)');
  await expect(status).toContainText(/PostgreSQL \d+/);

  // Opening a table gives it a tab.
  await workbench.treeItem('artist').dblclick();
  await expect(page.getByRole('tab', { name: 'artist' })).toHaveAttribute('aria-selected', 'true');
  const grid = page.getByRole('grid', { name: 'Rows of artist' });
  await expect(grid.locator('[role="row"][aria-rowindex="2"] [role="gridcell"]').nth(1)).toHaveText('AC/DC');
  await workbench.screenshot('demo-tree');

  // The filter narrows the tree and keeps the matches' ancestors.
  await page.getByLabel('Filter').fill('INVOICE');
  await expect(workbench.treeItem('invoice')).toBeVisible();
  await expect(workbench.treeItem('invoice_line')).toBeVisible();
  await expect(workbench.treeItem('public')).toBeVisible();
  await expect(workbench.treeItem('artist')).toHaveCount(0);
  await workbench.screenshot('demo-filter');
  await page.getByLabel('Filter').fill('');

  // Keyboard: Left collapses the group, Right opens it again.
  await workbench.treeItem('Tables').click();
  await page.keyboard.press('ArrowLeft');
  await expect(workbench.treeItem('artist')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(workbench.treeItem('artist')).toBeVisible();

  // The theme toggles and is remembered.
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', theme!);
  await workbench.screenshot('demo-tree-other-theme');
  await page.reload();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', theme!);
});
