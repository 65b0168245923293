/**
 * The editor's reading and saving of migration files: confined to the attached folder whatever the caller
 * sends (through the router, as a window calls it), and never losing a change made elsewhere.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATION_FILE_MAX_BYTES } from '../../shared/migrations.ts';
import { createMigrationHandlers } from '../../electron/core/migrations/handlers.ts';
import { SeedLog } from '../../electron/core/migrations/seeds/seed-log.ts';
import { Router } from '../../electron/core/router.ts';

describe('reading and saving migration files', () => {
  let root!: string;
  let dir!: string;
  let router!: Router;
  const context = { clientId: 'w', signal: new AbortController().signal };
  let nextId = 0;
  const call = (method: string, input: unknown) => router.dispatch(context, ++nextId, method, input);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cabinet-mig-files-'));
    const handlers = createMigrationHandlers({
      endpointFor: () => {
        throw new Error('no connection needed');
      },
      describe: () => ({ profileId: 'p', name: 'n' }),
      emitTo: () => undefined,
      seedLog: new SeedLog(root),
    });
    router = new Router(handlers as never);
  });
  beforeEach(async () => {
    await rm(root, { recursive: true, force: true });
    dir = join(root, 'app', 'migrations');
    await mkdir(dir, { recursive: true });
    await writeFile(join(root, 'app', 'secret.sql'), '-- migrate:up\nsecret\n');
    await writeFile(join(root, '20250101000000_outside.sql'), '-- migrate:up\noutside\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates a migration, reads it and saves an edit to it', async () => {
    const created = await call('migrations/create', { dir, name: 'Add users' });
    expect(created).toMatchObject({ ok: true, value: { file: expect.stringMatching(/^\d{14}_add_users\.sql$/) } });
    const file = (created as { value: { file: string } }).value.file;

    const read = await call('migrations/read-file', { dir, file });
    expect(read).toMatchObject({ ok: true, value: { file, text: '-- migrate:up\n\n\n-- migrate:down\n\n', size: 33 } });
    const { modifiedAt } = (read as { value: { modifiedAt: string } }).value;

    const text = '-- migrate:up\ncreate table users (id int);\n-- migrate:down\ndrop table users;\n';
    const saved = await call('migrations/write-file', { dir, file, text, expectedModifiedAt: modifiedAt });
    expect(saved).toMatchObject({ ok: true, value: { file, text, size: text.length } });
    expect(await readFile(join(dir, file), 'utf8')).toBe(text);

    // A new pair file is saved too.
    expect(await call('migrations/write-file', { dir, file: '20250102000000_posts.up.sql', text: 'create table posts (id int);\n' })).toMatchObject({ ok: true });
    expect(await call('migrations/write-file', { dir, file: '20250102000000_posts.down.sql', text: 'drop table posts;\n' })).toMatchObject({ ok: true });
  });

  it('refuses paths out of the folder, absolute paths and names that are not migrations', async () => {
    for (const file of ['../secret.sql', '../../20250101000000_outside.sql', '/etc/passwd', `${root}/20250101000000_outside.sql`, 'sub/20250101000000_x.sql', '..\\secret.sql', '..', '.']) {
      for (const method of ['migrations/read-file', 'migrations/write-file']) {
        const answer = await call(method, { dir, file, text: 'x' });
        expect(answer, `${method} ${file}`).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      }
    }
    await writeFile(join(dir, 'notes.txt'), 'hello');
    expect(await call('migrations/read-file', { dir, file: 'notes.txt' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/"notes\.txt" is not a migration file name/) },
    });
    expect(await call('migrations/write-file', { dir, file: 'evil.sh', text: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('migrations/read-file', { dir: 'relative/dir', file: '20250101000000_x.sql' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect((await readdir(dir)).sort()).toEqual(['notes.txt']);
    expect(await readFile(join(root, 'app', 'secret.sql'), 'utf8')).toBe('-- migrate:up\nsecret\n');
  });

  it('neither reads nor writes through a symbolic link, even one pointing inside the folder', async () => {
    await symlink(join(root, '20250101000000_outside.sql'), join(dir, '20250101000000_link.sql'));
    await writeFile(join(dir, '20250102000000_real.sql'), '-- migrate:up\nreal\n');
    await symlink(join(dir, '20250102000000_real.sql'), join(dir, '20250103000000_inner.sql'));
    for (const file of ['20250101000000_link.sql', '20250103000000_inner.sql']) {
      expect(await call('migrations/read-file', { dir, file })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/symbolic link/) } });
      expect(await call('migrations/write-file', { dir, file, text: '-- migrate:up\nchanged\n' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect(await readFile(join(root, '20250101000000_outside.sql'), 'utf8')).toBe('-- migrate:up\noutside\n');
    expect(await readFile(join(dir, '20250102000000_real.sql'), 'utf8')).toBe('-- migrate:up\nreal\n');

    // A folder that is itself a link is the folder the person attached: its files are read where it points.
    const linked = join(root, 'linked-migrations');
    await symlink(dir, linked);
    expect(await call('migrations/read-file', { dir: linked, file: '20250102000000_real.sql' })).toMatchObject({ ok: true, value: { text: '-- migrate:up\nreal\n' } });
  });

  it('keeps a change made elsewhere, a taken version, a broken file and an oversized text out', async () => {
    const file = '20250101000000_a.sql';
    await writeFile(join(dir, file), '-- migrate:up\nselect 1;\n');
    const read = (await call('migrations/read-file', { dir, file })) as { value: { modifiedAt: string } };
    // Someone else saves the file after the editor read it.
    await writeFile(join(dir, file), '-- migrate:up\nselect 2;\n');
    await utimes(join(dir, file), new Date(), new Date(Date.now() + 5_000));
    expect(await call('migrations/write-file', { dir, file, text: '-- migrate:up\nselect 3;\n', expectedModifiedAt: read.value.modifiedAt })).toMatchObject({
      ok: false,
      error: { code: 'MIGRATION_ERROR', message: expect.stringMatching(/changed on disk since it was opened/) },
    });
    expect(await readFile(join(dir, file), 'utf8')).toBe('-- migrate:up\nselect 2;\n');

    expect(await call('migrations/write-file', { dir, file: '20250101000000_b.sql', text: '-- migrate:up\nselect 1;\n' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Version 20250101000000 is already taken by 20250101000000_a.sql; each version is one migration.' },
    });
    expect(await call('migrations/write-file', { dir, file: '20250105000000_c.sql', text: 'select 1;\n' })).toMatchObject({
      ok: false,
      error: { code: 'MIGRATION_ERROR', message: expect.stringMatching(/20250105000000_c\.sql, line 1: no "-- migrate:up" line/) },
    });
    const big = `-- migrate:up\n${'x'.repeat(MIGRATION_FILE_MAX_BYTES)}`;
    expect(await call('migrations/write-file', { dir, file: '20250106000000_big.sql', text: big })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    await writeFile(join(dir, '20250107000000_huge.sql'), big);
    expect(await call('migrations/read-file', { dir, file: '20250107000000_huge.sql' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/more than the 8 MiB Cabinet opens in its editor/) },
    });
    expect((await readdir(dir)).sort()).toEqual([file, '20250107000000_huge.sql']);
  });
});
