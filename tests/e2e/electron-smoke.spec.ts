// The desktop shell, where Electron's binary is installed. These machines cannot download it, so here the
// test says it was skipped; on a desktop it opens the real window and checks the workbench and its security.
import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../scripts/electron-path.mjs';

const binary = electronBinary();

test('desktop window opens the workbench with Electron security defaults', async () => {
  if (!binary) {
    console.log('Electron smoke test skipped: no Electron binary is installed on this machine (its download cannot be reached).');
    test.skip(true, 'no Electron binary installed');
    return;
  }
  expect(spawnSync('node', ['scripts/build-electron.mjs'], { stdio: 'inherit' }).status).toBe(0);
  const app = await electron.launch({
    executablePath: binary,
    args: ['.'],
    env: { ...process.env, CABINET_DATA_DIR: mkdtempSync(join(tmpdir(), 'cabinet-electron-')) },
  });
  const window = await app.firstWindow();
  // Served from the app's own scheme, not file:// (whose origin is null, and Monaco's workers need one).
  expect(window.url()).toBe('cabinet://app/index.html');
  await expect(window.getByRole('button', { name: 'New connection' })).toBeVisible();
  await expect(window.getByText('Demo (embedded PostgreSQL)').first()).toBeVisible();
  // The page has the bridge and nothing of Node.
  expect(await window.evaluate(() => typeof (window as unknown as { cabinet?: unknown }).cabinet)).toBe('object');
  expect(await window.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const wc = BrowserWindow.getAllWindows()[0]!.webContents;
    return (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
  });
  expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  await window.screenshot({ path: 'test-results/screenshots/electron-window.png' });
  await app.close();
});
