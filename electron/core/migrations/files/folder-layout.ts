/**
 * What the attached folder holds: Cabinet's own migrations (run), or another tool's (shown only). A person may
 * attach the migrations folder itself or the project folder above it, so each layout is looked for in both.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { MigrationLayout } from '../../../../shared/migrations.ts';
import { CabinetError } from '../../../../shared/errors.ts';
import { checksumOf, compareVersions, parseMigrationFileName, type Migration, type MigrationSection } from './migration-file.ts';
import { loadMigrations } from './migration-folder.ts';

export interface FolderContents {
  layout: MigrationLayout;
  migrations: Migration[];
  /** For a layout Cabinet shows but does not run: why it refuses to change anything. */
  readOnlyReason?: string;
}

const READ_ONLY: Record<Exclude<MigrationLayout, 'cabinet'>, string> = {
  'db-migrate':
    "This folder holds db-migrate's migrations (migrations/*.js with migrations/sqls/*-up.sql and *-down.sql). Cabinet shows them, with their state from db-migrate's migrations table, but does not run them: use db-migrate up and down.",
  prisma:
    "This folder holds Prisma's migrations (prisma/migrations/<timestamp>_<name>/migration.sql). Cabinet shows them, with their state from _prisma_migrations, but does not run them: use prisma migrate.",
};

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

const cleanText = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
const asRelative = (root: string, path: string) => relative(root, path).split(sep).join('/');

function section(root: string, path: string, sql: string): MigrationSection {
  return { sql, file: asRelative(root, path), firstLine: 1, transaction: true };
}

/** `<ts>_<name>/migration.sql` folders, in the folder given or in `migrations/` or `prisma/migrations/` under it. */
async function loadPrisma(root: string): Promise<Migration[] | undefined> {
  for (const candidate of [root, join(root, 'migrations'), join(root, 'prisma', 'migrations')]) {
    const folders = (await entries(candidate)).filter((e) => e.isDirectory() && /^\d+_/.test(e.name));
    const found: Migration[] = [];
    for (const folder of folders) {
      const path = join(candidate, folder.name, 'migration.sql');
      const raw = await readFile(path).catch(() => undefined);
      if (!raw) continue;
      const sql = cleanText(raw.toString('utf8'));
      const [, version, name] = /^(\d+)_(.*)$/.exec(folder.name)!;
      found.push({
        version: version!,
        name: name!,
        files: [asRelative(root, path)],
        up: section(root, path, sql),
        checksum: checksumOf(sql),
        // Prisma records the sha256 of the file as it is.
        toolChecksum: createHash('sha256').update(raw).digest('hex'),
      });
    }
    if (found.length > 0) return found;
  }
  return undefined;
}

/** `<ts>-<name>.js` beside `sqls/<ts>-<name>-up.sql` and `-down.sql`, in the folder given or in `migrations/` under it. */
async function loadDbMigrate(root: string): Promise<Migration[] | undefined> {
  for (const candidate of [root, join(root, 'migrations')]) {
    const list = await entries(candidate);
    if (!list.some((e) => e.isDirectory() && e.name === 'sqls')) continue;
    const scripts = list.filter((e) => e.isFile() && /^\d+-.+\.js$/.test(e.name));
    if (scripts.length === 0) continue;
    return Promise.all(
      scripts.map(async (script) => {
        const base = script.name.slice(0, -'.js'.length);
        const [, version, name] = /^(\d+)-(.*)$/.exec(base)!;
        const read = async (direction: 'up' | 'down') => {
          const path = join(candidate, 'sqls', `${base}-${direction}.sql`);
          const text = await readFile(path, 'utf8').catch(() => undefined);
          return text === undefined ? undefined : { path, sql: cleanText(text) };
        };
        const [up, down] = await Promise.all([read('up'), read('down')]);
        const files = [asRelative(root, join(candidate, script.name)), ...[up, down].flatMap((s) => (s ? [asRelative(root, s.path)] : []))];
        // A migration written in JavaScript alone has no SQL to show: its up section is empty.
        const upSection = section(root, up?.path ?? join(candidate, script.name), up?.sql ?? '');
        const migration: Migration = { version: version!, name: name!, files, up: upSection, checksum: checksumOf(upSection.sql) };
        if (down) migration.down = section(root, down.path, down.sql);
        return migration;
      }),
    );
  }
  return undefined;
}

/** Another tool's layout, when the folder holds no file of Cabinet's own; undefined otherwise (or when there is no folder). */
async function otherToolsFolder(dir: string): Promise<FolderContents | undefined> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names || names.some((name) => parseMigrationFileName(name))) return undefined;
  for (const [layout, load] of [
    ['prisma', loadPrisma],
    ['db-migrate', loadDbMigrate],
  ] as const) {
    const found = await load(dir);
    if (found) return { layout, migrations: found.sort((a, b) => compareVersions(a.version, b.version)), readOnlyReason: READ_ONLY[layout] };
  }
  return undefined;
}

/**
 * Reads the folder in its layout. Cabinet's own files win when there are any; otherwise a Prisma or db-migrate
 * tree is recognised; an empty folder is Cabinet's (its first migration is yet to be created).
 */
export async function loadFolder(dir: string): Promise<FolderContents> {
  return (await otherToolsFolder(dir)) ?? { layout: 'cabinet', migrations: await loadMigrations(dir) };
}

/** Refuses to change a folder that another tool owns (create, save). */
export async function refuseOtherToolsFolder(dir: string): Promise<void> {
  const other = await otherToolsFolder(dir);
  if (other) throw new CabinetError({ code: 'MIGRATION_ERROR', message: other.readOnlyReason! });
}
