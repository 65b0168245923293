import { test as base, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCabinetProcess } from '../support/cabinet-process.ts';

const DAMAGED = '{"version":1,"profiles":[{"name":"Production","engine":"postgres","ho';

base('a damaged profiles.json: the app starts, says what happened, and keeps the original beside it', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-damaged-'));
  writeFileSync(join(dataDir, 'profiles.json'), DAMAGED);
  const cabinet = await startCabinetProcess({ args: ['scripts/start.mjs', '--web', '--no-build'], dataDir });
  try {
    await page.goto(cabinet.url);
    await expect(page.getByRole('listitem', { name: 'Demo (embedded PostgreSQL)', exact: true })).toBeVisible();
    const notice = page.getByRole('alert').filter({ hasText: 'profiles.json could not be read' });
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('not valid JSON');
    await expect(notice).toContainText('The original was kept as');
    await page.screenshot({ path: 'test-results/screenshots/damaged-profiles.png' });

    const backups = readdirSync(dataDir).filter((f) => f.startsWith('profiles.json.damaged-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dataDir, backups[0]!), 'utf8')).toBe(DAMAGED);
    // Until something is saved, the damaged file itself is not touched either.
    expect(readFileSync(join(dataDir, 'profiles.json'), 'utf8')).toBe(DAMAGED);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toBeHidden();
  } finally {
    await cabinet.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
