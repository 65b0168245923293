import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../electron/core/connections/profile-store.ts';
import type { ProfileInput } from '../../shared/profiles.ts';

const input = (name: string): ProfileInput => ({
  name,
  engine: 'postgres',
  host: 'localhost',
  port: 5432,
  user: 'postgres',
  database: 'app',
  sslMode: 'prefer',
  options: {},
});

describe('ProfileStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-profiles-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps profiles across instances, with no password in the file', async () => {
    const store = new ProfileStore(dir);
    const saved = await store.save(undefined, input('Local'), true);
    const again = await new ProfileStore(dir).list();
    expect(again).toEqual([saved]);
    const text = await readFile(join(dir, 'profiles.json'), 'utf8');
    expect(text).not.toMatch(/password"\s*:\s*"/);
  });

  it('survives many concurrent saves: every one lands, the file stays valid JSON, no temp files are left', async () => {
    const store = new ProfileStore(dir);
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.save(undefined, input(`p${i}`), false)));
    const file = JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as { profiles: unknown[] };
    expect(file.profiles).toHaveLength(25);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a crash mid-save leaves the previous file intact (the half-written temp file is ignored)', async () => {
    const store = new ProfileStore(dir);
    await store.save(undefined, input('Kept'), false);
    // What a crash between write and rename leaves behind.
    await writeFile(join(dir, 'profiles.json.1234.abcd.tmp'), '{"version":1,"profiles":[{"na');
    expect((await new ProfileStore(dir).list()).map((p) => p.name)).toEqual(['Kept']);
  });

  it('updates, removes and validates', async () => {
    const store = new ProfileStore(dir);
    const saved = await store.save(undefined, input(''), false);
    expect(saved.name).toBe('postgres@localhost/app');
    const updated = await store.save(saved.id, { ...input('Renamed'), port: 6000 }, false);
    expect(updated).toMatchObject({ id: saved.id, name: 'Renamed', port: 6000, createdAt: saved.createdAt });
    await expect(store.save(undefined, { ...input('x'), port: 70000 }, false)).rejects.toThrow(/Port/);
    await store.remove(saved.id);
    expect(await store.list()).toEqual([]);
  });

  it('names a corrupt file instead of silently starting empty', async () => {
    await writeFile(join(dir, 'profiles.json'), '{not json');
    await expect(new ProfileStore(dir).list()).rejects.toThrow(/profiles\.json is not valid JSON/);
  });
});
