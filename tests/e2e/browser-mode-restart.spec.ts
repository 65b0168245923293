import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCabinetProcess } from '../support/cabinet-process.ts';

const START = ['scripts/start.mjs', '--web', '--no-build'];

base('browser mode keeps its port across restarts, and the old page says it was restarted', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-restart-'));
  try {
    const first = await startCabinetProcess({ args: START, dataDir, port: 'remembered' });
    await page.goto(first.url);
    await expect(page.getByRole('listitem', { name: 'Demo (embedded PostgreSQL)', exact: true })).toBeVisible();
    await first.stop();

    const second = await startCabinetProcess({ args: START, dataDir, port: 'remembered' });
    try {
      expect(second.port).toBe(first.port);
      expect(second.token).not.toBe(first.token);
      const notice = page.getByRole('alert').filter({ hasText: 'Cabinet was restarted' });
      await expect(notice).toBeVisible({ timeout: 20_000 });
      await expect(notice).toContainText(`http://127.0.0.1:${first.port}/?token=`);
      await page.screenshot({ path: 'test-results/screenshots/browser-mode-restarted.png' });
      // The new address works, with its own token, at the same bookmarkable port.
      await page.goto(second.url);
      await expect(page.getByRole('listitem', { name: 'Demo (embedded PostgreSQL)', exact: true })).toBeVisible();
      await expect(notice).toBeHidden();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
