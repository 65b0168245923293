// The demo's prebuilt data folder (electron/core/demo/chinook-pgdata.tar.gz): current, and never
// able to stop the demo from starting when it is stale or broken.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PREBUILT, DEFAULT_SEED_SQL } from '../../electron/core/demo/data-folder.ts';
import { startDemoDatabase } from '../../electron/core/demo/demo-database.ts';
import { packPrebuilt, sha256, unpackPrebuilt, type PrebuiltManifest } from '../../electron/core/demo/prebuilt-data.ts';

const root = await mkdtemp(join(tmpdir(), 'cabinet-demo-prebuilt-'));

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function manifestOf(file: string): Promise<PrebuiltManifest> {
  let seen: PrebuiltManifest | undefined;
  const dest = join(root, 'not-written');
  expect(await unpackPrebuilt(file, dest, (m) => ((seen = m), false))).toBeNull();
  expect(existsSync(dest)).toBe(false); // refused before writing anything
  return seen!;
}

describe('the prebuilt demo data folder', () => {
  it('is built from the seed script that ships beside it (else: node scripts/build-demo-data.mjs)', async () => {
    const manifest = await manifestOf(DEFAULT_PREBUILT);
    expect(manifest).toMatchObject({ format: 1, seed: 'chinook-1.4.5' });
    expect(manifest.seedSha256).toBe(sha256(await readFile(DEFAULT_SEED_SQL)));
  });

  it('refuses a truncated tarball', async () => {
    const cut = join(root, 'cut.tar.gz');
    await copyFile(DEFAULT_PREBUILT, cut);
    await truncate(cut, 200_000);
    await expect(unpackPrebuilt(cut, join(root, 'cut'), () => true)).rejects.toThrow();
    await writeFile(cut, 'not gzip at all');
    await expect(unpackPrebuilt(cut, join(root, 'cut2'), () => true)).rejects.toThrow();
  });

  it('starts the demo from SQL when the prebuilt folder unpacks but does not open', async () => {
    // Right manifest, wrong contents: what an incompatible PGlite, or a broken build, would leave.
    const folder = join(root, 'not-a-database');
    await mkdir(join(folder, 'base', '5'), { recursive: true });
    await writeFile(join(folder, 'PG_VERSION'), '9\n');
    const broken = join(root, 'broken.tar.gz');
    await writeFile(broken, await packPrebuilt(folder, await manifestOf(DEFAULT_PREBUILT)));

    const lines: string[] = [];
    const dataDir = join(root, 'data');
    const demo = await startDemoDatabase({ dataDir, prebuiltPath: broken, log: (l) => lines.push(l) });
    try {
      expect(demo.seededNow).toBe(true);
      expect(lines.join('\n')).toMatch(/cannot use the prebuilt data folder .* seeding from SQL/);
      const c = new pg.Client({ host: demo.host, port: demo.port, user: demo.user, database: demo.database });
      await c.connect();
      expect((await c.query('select count(*) from track')).rows[0].count).toBe('3503');
      await c.end();
    } finally {
      await demo.stop();
    }
    const marker = JSON.parse(await readFile(join(dataDir, 'demo-pgdata', 'cabinet-demo-seeded.json'), 'utf8'));
    expect(marker).toMatchObject({ seed: 'chinook-1.4.5', from: 'sql' });
    expect(existsSync(join(dataDir, 'demo-pgdata.unpacking'))).toBe(false);
  });
});
