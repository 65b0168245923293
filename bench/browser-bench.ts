/** What the benches that drive Cabinet in Chromium share: building the renderer, launching Chromium, and small helpers for their output. */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { ROOT } from '../tests/support/cabinet-process.ts';

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
export const sleep = (msecs: number) => new Promise((resolve) => setTimeout(resolve, msecs));
export const message = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error));
export const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

export async function buildRenderer(): Promise<void> {
  if (process.env.BENCH_NO_RENDERER_BUILD === '1') {
    const built = statSync(join(ROOT, 'dist', 'renderer', 'index.html')).mtime;
    console.log(`  renderer: not built (BENCH_NO_RENDERER_BUILD=1); using dist/renderer from ${built.toISOString()}`);
    return;
  }
  try {
    await promisify(execFile)('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    // eslint-disable-next-line no-control-regex
    const output = (error && typeof error === 'object' && 'stderr' in error ? String(error.stderr) : '').replace(/\x1b\[[0-9;]*m/g, '');
    const cause = output.split('\n').filter((l) => /error|could not|not found/i.test(l)).slice(0, 4).join(' / ');
    throw new Error(`vite build failed: ${cause || message(error)}`, { cause: error });
  }
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
