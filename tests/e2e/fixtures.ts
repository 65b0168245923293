/**
 * Browser mode as a user starts it: `node scripts/start.mjs --web`, on a free port, with a fresh data
 * folder, stopped after each test. The page is opened at the printed address (the token trades for a cookie).
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startCabinetProcess } from '../support/cabinet-process.ts';

export interface CabinetServer {
  url: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
}

export const test = base.extend<{ cabinet: CabinetServer; workbench: Workbench }>({
  // Playwright reads a fixture's dependencies from its first parameter's destructuring: none here.
  // eslint-disable-next-line no-empty-pattern
  cabinet: async ({}, use) => {
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The renderer is not built: run `npm run build:renderer` (or `npm run test:e2e`, which builds it).');
    }
    const server = await startCabinetProcess({ args: ['scripts/start.mjs', '--web', '--no-build'] });
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  },
  workbench: async ({ page, cabinet }, use) => {
    await page.goto(cabinet.url);
    const workbench = new Workbench(page);
    await expect(workbench.profile('Demo (embedded PostgreSQL)')).toBeVisible();
    await use(workbench);
  },
});

export { expect };

/** The grid's cell at a data row (1-based, as a person counts) and a column name. */
export async function gridCell(grid: Locator, row: number, column: string): Promise<Locator> {
  const colindex = await grid.getByRole('columnheader', { name: column, exact: true }).getAttribute('aria-colindex');
  return grid.locator(`[role="row"][aria-rowindex="${row + 1}"] [role="gridcell"][aria-colindex="${colindex}"]`);
}

/**
 * Puts text on the clipboard and presses Ctrl+V over the grid, as a person pasting from a spreadsheet does
 * (the test grants clipboard-read and clipboard-write first).
 */
export async function paste(page: Page, grid: Locator, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await grid.focus();
  await page.keyboard.press('Control+v');
}

/** The workbench as a person sees it: found by roles and labels, never by CSS classes. */
export class Workbench {
  constructor(readonly page: Page) {}

  profile(name: string): Locator {
    return this.page.getByRole('listitem', { name, exact: true });
  }

  treeItem(name: string): Locator {
    return this.page.getByRole('tree').getByRole('treeitem', { name, exact: true });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  field(label: string): Locator {
    return this.dialog.getByLabel(label, { exact: true });
  }

  async openNewConnectionForm(): Promise<void> {
    await this.page.getByRole('button', { name: 'New connection', exact: true }).click();
    await expect(this.dialog).toBeVisible();
  }

  /** Makes a connection from a pasted URL, the way most people will (a migrations folder too, if given), and connects. */
  async connectWithUrl(url: string, name: string, migrationsDir?: string): Promise<void> {
    await this.openNewConnectionForm();
    await this.field('Connection URL').fill(url);
    await this.field('Name').fill(name);
    if (migrationsDir) await this.field('Migrations folder').fill(migrationsDir);
    await this.dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Selects a tree item and opens it with the keyboard, as Right arrow does. */
  async expand(name: string): Promise<void> {
    const item = this.treeItem(name);
    await item.click();
    if ((await item.getAttribute('aria-expanded')) !== 'true') await this.page.keyboard.press('ArrowRight');
    await expect(item).toHaveAttribute('aria-expanded', 'true');
    // Its children have arrived once the row is no longer busy.
    await expect(item).not.toHaveAttribute('aria-busy', 'true');
  }

  /** Opens a table from the tree and waits until its first row is painted. */
  async openTable(name: string): Promise<Locator> {
    await this.treeItem(name).dblclick();
    const grid = this.page.getByRole('grid', { name: `Rows of ${name}` });
    await expect(grid).toBeVisible();
    await expect(grid.locator('[role="row"][aria-rowindex="2"]').getByRole('gridcell').first()).not.toHaveText('');
    return grid;
  }

  /** Opens a connection's Migrations view from its menu; answers the timeline. */
  async openMigrations(profileName: string): Promise<Locator> {
    await this.profile(profileName).click({ button: 'right' });
    await this.page.getByRole('menu', { name: `Actions for ${profileName}` }).getByRole('menuitem', { name: /^Migrations/ }).click();
    return this.page.getByRole('list', { name: 'Migrations timeline' });
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync('test-results/screenshots', { recursive: true });
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png` });
  }
}
