/**
 * Reading and saving one migration file for the app's editor, confined to the attached folder: the name must
 * be a migration's (no folders, no `..`), the file must be a plain file in the folder itself (a symbolic link
 * is refused, even one pointing inside), and its size is bounded.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CabinetError } from '../../../../shared/errors.ts';
import { MIGRATION_FILE_MAX_BYTES, type MigrationFileText } from '../../../../shared/migrations.ts';
import { parseMigrationFileName, parseSections, versionKey } from './migration-file.ts';

const badInput = (message: string) => new CabinetError({ code: 'BAD_INPUT', message });

/** `O_NOFOLLOW` where the platform has it: opening a symbolic link fails instead of following it. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The folder as the system resolves it, and the file's path in it, after checking the name. */
async function locate(dir: string, file: string, allowed: (file: string) => string | undefined): Promise<{ folder: string; path: string }> {
  if (basename(file) !== file || file === '.' || file === '..' || /[/\\\0]/.test(file)) {
    throw badInput(`"${file}" is not a file name in the migrations folder: folders and ".." are not allowed.`);
  }
  const refusal = allowed(file);
  if (refusal) throw badInput(refusal);
  let folder: string;
  try {
    folder = await realpath(dir);
  } catch {
    throw new CabinetError({ code: 'NOT_FOUND', message: `The migrations folder "${dir}" does not exist.` });
  }
  if (!(await stat(folder)).isDirectory()) throw badInput(`"${dir}" is not a folder.`);
  return { folder, path: join(folder, file) };
}

/** What the name says: `undefined` when it is a migration file's. */
function migrationName(file: string): string | undefined {
  return parseMigrationFileName(file)
    ? undefined
    : `"${file}" is not a migration file name: expected <version>_<name>.sql, or <version>_<name>.up.sql / .down.sql.`;
}

/** Refuses anything but a plain file of the folder (a symbolic link, a folder, a device). */
async function plainFile(path: string, file: string): Promise<{ size: number; mtime: Date } | undefined> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if (info.isSymbolicLink()) throw badInput(`${file} is a symbolic link; Cabinet only opens files kept in the migrations folder itself.`);
  if (!info.isFile()) throw badInput(`${file} is not a file.`);
  return info;
}

function tooBig(file: string, size: number): CabinetError {
  return badInput(`${file} is ${megabytes(size)}, more than the ${megabytes(MIGRATION_FILE_MAX_BYTES)} Cabinet opens in its editor; edit it with another editor.`);
}

async function readConfined(path: string, file: string): Promise<MigrationFileText> {
  const handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
  try {
    const info = await handle.stat();
    if (info.size > MIGRATION_FILE_MAX_BYTES) throw tooBig(file, info.size);
    const text = await handle.readFile('utf8');
    return { file, text, size: info.size, modifiedAt: info.mtime.toISOString() };
  } finally {
    await handle.close();
  }
}

/** Reads one file of the folder; `allowed` says which names may be read. */
export async function readFolderFile(dir: string, file: string, allowed = migrationName): Promise<MigrationFileText> {
  const { path } = await locate(dir, file, allowed);
  const info = await plainFile(path, file);
  if (!info) throw new CabinetError({ code: 'NOT_FOUND', message: `There is no ${file} in the migrations folder.` });
  return readConfined(path, file);
}

/** Another file claiming the same version (a `.up.sql`/`.down.sql` pair shares its version, and its name). */
async function versionTakenBy(folder: string, file: string): Promise<string | undefined> {
  const mine = parseMigrationFileName(file)!;
  return (await readdir(folder)).find((other) => {
    const parsed = parseMigrationFileName(other);
    if (!parsed || other === file || versionKey(parsed.version) !== versionKey(mine.version)) return false;
    const pair = parsed.part !== 'both' && mine.part !== 'both' && parsed.part !== mine.part && parsed.name === mine.name;
    return !pair;
  });
}

/**
 * Saves one migration file: created when new, replaced when not, never through a symbolic link. Its sections
 * must parse (the folder stays runnable), and `expectedModifiedAt` guards against overwriting a change made
 * elsewhere since the editor read it.
 */
export async function writeMigrationFile(dir: string, file: string, text: string, expectedModifiedAt?: string): Promise<MigrationFileText> {
  const { folder, path } = await locate(dir, file, migrationName);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MIGRATION_FILE_MAX_BYTES) throw tooBig(file, bytes);
  parseSections(file, text, parseMigrationFileName(file)!.part);
  const existing = await plainFile(path, file);
  if (!existing) {
    const taken = await versionTakenBy(folder, file);
    if (taken) throw badInput(`Version ${parseMigrationFileName(file)!.version} is already taken by ${taken}; each version is one migration.`);
  } else if (expectedModifiedAt !== undefined && existing.mtime.toISOString() !== expectedModifiedAt) {
    throw new CabinetError({
      code: 'MIGRATION_ERROR',
      message: `${file} changed on disk since it was opened (at ${existing.mtime.toISOString()}); reopen it, or copy your text, before saving.`,
    });
  }
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NO_FOLLOW, 0o644);
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
  return readConfined(path, file);
}
