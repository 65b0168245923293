// The migrations command line as ES modules, rebuilt when any source it may include is newer than the build.
// Split into chunks so each engine's driver (pg, mysql2: ~35 ms each to load) is loaded only when used.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mtime, newestMtime } from './file-times.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside node_modules, so the bundle's own imports (pg, mysql2) resolve to the project's packages.
const cache = join(root, 'node_modules', '.cache', 'cabinet-migrate');
// Names the current build's folder; replaced atomically, so a runner starting mid-build reads a whole build.
const pointer = join(cache, 'current');
const sources = [join(root, 'electron', 'core'), join(root, 'shared'), join(root, 'package.json'), join(root, 'scripts', 'cli-bundle.mjs')];

async function rebuild() {
  const { build } = await import('esbuild');
  const folder = `build-${Date.now()}-${process.pid}`;
  const outdir = join(cache, folder);
  await build({
    entryPoints: { 'cabinet-migrate': join(root, 'electron', 'core', 'migrations', 'cli.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const tmp = `${pointer}.${process.pid}.tmp`;
  writeFileSync(tmp, folder);
  renameSync(tmp, pointer);
  // Earlier builds: kept for an hour, in case a runner that started on one still loads its chunks.
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (entry.startsWith('build-') && entry !== folder && Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The entry module's URL, building first when there is no build or a source is newer than it. */
export async function cliBundle() {
  mkdirSync(cache, { recursive: true });
  if (mtime(pointer) < newestMtime(sources, (name) => name.endsWith('.ts'))) await rebuild();
  const folder = readFileSync(pointer, 'utf8').trim();
  return pathToFileURL(join(cache, folder, 'cabinet-migrate.mjs')).href;
}
