import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A file's modification time in ms, or 0 when it does not exist. */
export function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/**
 * The newest modification time among `paths`: a file counts itself, a folder every file below it that
 * `accept(name)` takes. What to rebuild is decided by comparing this with the build's own time.
 */
export function newestMtime(paths, accept = () => true) {
  let newest = 0;
  for (const path of paths) {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) continue;
    if (!info.isDirectory()) {
      newest = Math.max(newest, info.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && accept(entry.name)) newest = Math.max(newest, mtime(join(entry.parentPath, entry.name)));
    }
  }
  return newest;
}
