/** What tripped a new user in the first hour (issue 11): keyboard, menus, the palette, refresh, tabs, state. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startCabinetProcess } from '../support/cabinet-process.ts';
import { createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, test, Workbench } from './fixtures.ts';

const DEMO = 'Demo (embedded PostgreSQL)';

test('a saved connection is opened, browsed and acted on with the keyboard alone', async ({ workbench, page }) => {
  // Tab from the top of the page until the demo's row has the focus.
  const demoRow = workbench.profile(DEMO);
  for (let i = 0; i < 10 && !(await demoRow.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(demoRow).toBeFocused();
  // The row's actions show on focus, as on hover.
  await expect(page.getByRole('button', { name: `Connect ${DEMO}` })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(workbench.treeItem('artist')).toBeVisible();
  // The new connection's root is selected.
  await expect(workbench.treeItem(DEMO)).toHaveAttribute('aria-selected', 'true');

  // Into the tree, down to a table, and its context menu from the keyboard.
  await page.getByRole('tree').focus();
  await page.getByRole('tree').press('End');
  for (let i = 0; i < 40; i++) {
    if ((await workbench.treeItem('artist').getAttribute('aria-selected')) === 'true') break;
    await page.keyboard.press('ArrowUp');
  }
  await expect(workbench.treeItem('artist')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Actions for artist' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem')).toHaveText([/^Open data/, /^Open structure/, /^Refresh/, /^New query/, /^Copy name/, /^Copy qualified name/]);
  await workbench.screenshot('context-menu-keyboard');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(page.getByRole('tab', { name: 'artist' })).toHaveAttribute('aria-selected', 'true');

  // Right arrow expands a table to its columns, with type and key marks.
  await page.getByRole('tree').focus();
  await page.keyboard.press('ArrowRight');
  await expect(workbench.treeItem('artist_id')).toBeVisible();
  await expect(workbench.treeItem('artist_id')).toContainText('integer');
  await expect(workbench.treeItem('Indexes')).toBeVisible();

  // Ctrl+W closes the tab.
  await page.keyboard.press('Control+w');
  await expect(page.getByRole('tab', { name: 'artist' })).toHaveCount(0);
});

test('right-click menus copy names quoted per engine; the palette lists every action with its shortcut', async ({ workbench, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await workbench.profile(DEMO).dblclick();
  await expect(workbench.treeItem('album')).toBeVisible();

  await workbench.treeItem('album').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Copy qualified name/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('"public"."album"');

  await workbench.profile(DEMO).click({ button: 'right' });
  await expect(page.getByRole('menu', { name: `Actions for ${DEMO}` }).getByRole('menuitem')).toHaveText([/^Disconnect/, /^Edit/, /^Refresh/, /^New query/, /^Migrations/, /^Copy name/]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);

  // Two tabs, then the palette.
  await workbench.treeItem('album').dblclick();
  await workbench.treeItem('artist').dblclick();
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('option', { name: /Close tab/ })).toContainText('Ctrl+W');
  await expect(palette.getByRole('option', { name: /Refresh the selected node/ })).toContainText('F5');
  await expect(palette.getByRole('option', { name: /Next tab/ })).toContainText('Ctrl+Tab');
  await workbench.screenshot('command-palette');
  await page.keyboard.type('previous tab');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('tab', { name: 'album' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+PageDown');
  await expect(page.getByRole('tab', { name: 'artist' })).toHaveAttribute('aria-selected', 'true');
});

test.describe('on a PostgreSQL server', () => {
  let db: TestDatabase;
  test.beforeAll(async () => {
    db = await createPostgresDatabase('cabinet_e2e_hour');
    await db.exec(`
      create table albums (id int primary key, title text not null);
      create function double_it(x int) returns int language sql as 'select x * 2';
    `);
  });
  test.afterAll(async () => {
    await db?.drop();
  });

  test('F5 and the refresh button show a table made outside Cabinet, keeping what is open below', async ({ workbench, page }) => {
    await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Outside');
    await expect(workbench.treeItem('albums')).toBeVisible();
    await workbench.treeItem('albums').click();
    await page.keyboard.press('ArrowRight');
    await expect(workbench.treeItem('title')).toBeVisible();

    await db.exec('create table made_outside (id int)');
    const tables = page.getByRole('treeitem', { name: 'Tables', exact: true });
    await tables.click();
    await page.keyboard.press('F5');
    await expect(workbench.treeItem('made_outside')).toBeVisible();
    // Still expanded below, and the selection kept.
    await expect(workbench.treeItem('title')).toBeVisible();
    await expect(tables).toHaveAttribute('aria-selected', 'true');
    await workbench.screenshot('tree-refreshed');

    await db.exec('create table second_outside (id int)');
    await tables.hover();
    await page.getByRole('button', { name: 'Refresh Tables' }).click();
    await expect(workbench.treeItem('second_outside')).toBeVisible();

    // A routine opens its definition, read-only.
    await workbench.expand('Functions');
    await workbench.treeItem('double_it').dblclick();
    await expect(page.getByLabel('Definition of double_it')).toContainText('CREATE OR REPLACE FUNCTION public.double_it(x integer)');
  });

  test('tabs of the same name from two connections say which is which', async ({ workbench, page }) => {
    await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'First');
    await workbench.treeItem('albums').dblclick();
    await workbench.connectWithUrl(`postgres://postgres@${PG_HOST}:${PG_PORT}/${db.name}`, 'Second');
    await expect(page.getByRole('treeitem', { name: 'albums', exact: true })).toHaveCount(2);
    await page.getByRole('treeitem', { name: 'albums', exact: true }).last().dblclick();
    await expect(page.getByRole('tab', { name: 'albums (First)' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'albums (Second)' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'albums (Second)' })).toHaveAttribute('title', `Second › ${db.name} › public › albums`);
  });
});

base('theme, sidebar width, open tabs and the tree are as they were after a restart', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-state-'));
  const start = () => startCabinetProcess({ args: ['scripts/start.mjs', '--web', '--no-build'], dataDir });
  try {
    const first = await start();
    const workbench = new Workbench(page);
    await page.goto(first.url);
    await workbench.profile(DEMO).dblclick();
    await workbench.treeItem('artist').dblclick();
    await workbench.treeItem('album').dblclick();
    await workbench.treeItem('track').click();
    await page.keyboard.press('ArrowRight');
    await expect(workbench.treeItem('composer')).toBeVisible();
    const theme = await page.locator('html').getAttribute('data-theme');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    const separator = page.getByRole('separator', { name: 'Resize sidebar' });
    const box = (await separator.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(420, box.y + 100);
    await page.mouse.up();
    await expect(separator).toHaveAttribute('aria-valuenow', '420');
    // The layout is saved to the data folder a moment after the last change.
    const saved = () => {
      try {
        return readFileSync(join(dataDir, 'ui-state.json'), 'utf8');
      } catch {
        return '';
      }
    };
    await expect.poll(saved, { timeout: 5_000 }).toContain('"sidebarWidth":420');
    await first.stop();

    // A new run: another port, another token, the same data folder.
    const second = await start();
    try {
      await page.goto(second.url);
      await expect(page.locator('html')).not.toHaveAttribute('data-theme', theme!);
      await expect(page.getByRole('separator', { name: 'Resize sidebar' })).toHaveAttribute('aria-valuenow', '420');
      await expect(page.getByRole('tab', { name: 'artist' })).toBeVisible();
      await expect(page.getByRole('tab', { name: 'album' })).toHaveAttribute('aria-selected', 'true');
      // The tab waits for its connection; connecting restores the tree as it was.
      await page.getByRole('tabpanel').getByRole('button', { name: 'Connect' }).click();
      await expect(workbench.treeItem('composer')).toBeVisible();
      await page.screenshot({ path: 'test-results/screenshots/state-restored.png' });
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
