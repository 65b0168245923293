import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old content or the new, never a mix:
 * write a temporary file beside it, flush it, rename it over the target, flush the folder.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w', mode);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

export interface CheckedRead<T> {
  value: T;
  /** Set when the file was damaged: what happened, and where the original was kept. */
  notice?: string;
}

/**
 * Reads a JSON file that Cabinet wrote, through a check (the contract's schemas). A missing file is
 * `fallback`. A file that is not JSON, or that the check rejects in whole or in part, is never trusted and
 * never silently overwritten: the original is copied aside as `<name>.damaged-<time>` first, the readable
 * part (if any) is used, and the notice tells the user.
 */
export async function readCheckedJson<T>(
  path: string,
  fallback: T,
  check: (raw: unknown) => { value: T; problems: string[] },
): Promise<CheckedRead<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: fallback };
    throw error;
  }
  let problems: string[];
  let value = fallback;
  try {
    const checked = check(JSON.parse(text));
    value = checked.value;
    problems = checked.problems;
  } catch {
    problems = ['it is not valid JSON (cut short, or edited by hand)'];
  }
  if (problems.length === 0) return { value };
  const backup = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await copyFile(path, backup);
  return {
    value,
    notice: `${basename(path)} could not be read as it was: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}. The original was kept as ${backup}.`,
  };
}
