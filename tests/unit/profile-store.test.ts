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

  it('updates and removes', async () => {
    const store = new ProfileStore(dir);
    const saved = await store.save(undefined, input(''), false);
    expect(saved.name).toBe('postgres@localhost/app');
    const updated = await store.save(saved.id, { ...input('Renamed'), port: 6000 }, false);
    expect(updated).toMatchObject({ id: saved.id, name: 'Renamed', port: 6000, createdAt: saved.createdAt });
    await store.remove(saved.id);
    expect(await store.list()).toEqual([]);
  });

  it.each([
    ['cut short', '{"version":1,"profiles":[{"na'],
    ['not JSON at all', 'hello'],
    ['the wrong shape', '{"version":1,"profiles":{"a":1}}'],
    ['a future version', '{"version":7,"profiles":[]}'],
  ])('a file that is %s is set aside with a backup and a notice, never trusted', async (_what, text) => {
    await writeFile(join(dir, 'profiles.json'), text);
    const store = new ProfileStore(dir);
    expect(await store.list()).toEqual([]);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatch(/^profiles\.json could not be read as it was: .*The original was kept as .*profiles\.json\.damaged-/);
    const backups = (await readdir(dir)).filter((f) => f.startsWith('profiles.json.damaged-'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(dir, backups[0]!), 'utf8')).toBe(text);
    // Saving afterwards writes a good file; the backup stays.
    await store.save(undefined, input('Fresh'), false);
    expect((await new ProfileStore(dir).list()).map((p) => p.name)).toEqual(['Fresh']);
    expect(await readFile(join(dir, backups[0]!), 'utf8')).toBe(text);
  });

  it('keeps the readable profiles of a partly damaged file, and names the broken one', async () => {
    const good = { ...input('Good'), id: 'a', passwordRequired: false, createdAt: 'x', updatedAt: 'x', options: {} };
    const bad = { ...input('Bad'), id: 'b', port: 70000, passwordRequired: false, createdAt: 'x', updatedAt: 'x' };
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ version: 1, profiles: [good, bad] }));
    const store = new ProfileStore(dir);
    expect((await store.list()).map((p) => p.name)).toEqual(['Good']);
    expect(store.notices[0]).toMatch(/profile 2 is not valid\. port: expected a port number from 1 to 65535/);
  });

  it('reads a file written before URL options were dropped, without calling it damaged', async () => {
    const old = { ...input('Old'), id: 'a', passwordRequired: false, createdAt: 'x', updatedAt: 'x', options: {} };
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ version: 1, profiles: [old] }));
    const store = new ProfileStore(dir);
    expect((await store.list())[0]).not.toHaveProperty('options');
    expect(store.notices).toEqual([]);
  });
});
