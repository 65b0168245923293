// The migrations command line as CommonJS bundles with their dependencies inside, rebuilt when any source
// they may include is newer than the build, and loaded with V8's code cache: a run after the first parses
// and compiles almost nothing. Each engine's driver package is a bundle of its own (mysql2 alone is 1.4 MB),
// read, and cached, only by runs on that engine.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { mtime, newestMtime } from './file-times.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'node_modules', '.cache', 'cabinet-migrate');
// Names the current build's folder; replaced atomically, so a runner starting mid-build reads a whole build.
const pointer = join(cache, 'current');
const sources = [
  join(root, 'electron', 'core'),
  join(root, 'shared'),
  join(root, 'package.json'),
  // The dependencies are inside the bundles: a changed install rebuilds them.
  join(root, 'node_modules', '.package-lock.json'),
  join(root, 'scripts', 'cli-bundle.mjs'),
];
const MAIN = 'cabinet-migrate.cjs';
/** The driver packages, each a bundle whose exports are keyed by the ids the main bundle requires. */
const VENDORS = {
  pg: ['pg'],
  mysql2: ['mysql2', 'mysql2/promise'],
};
const vendorOf = new Map(Object.entries(VENDORS).flatMap(([vendor, ids]) => ids.map((id) => [id, vendor])));
// pg and zod ask `navigator` whether they run on Cloudflare. Node 20 has no navigator, and pg's fallback test
// builds a fetch Response, which loads Node's whole fetch implementation (~20 ms) for nothing.
const define = { navigator: JSON.stringify({ userAgent: 'Node.js' }) };
/** The bundle runs as a CommonJS module would: inside a function given its exports, require, module and paths. */
const asFunction = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

async function rebuild() {
  const { build } = await import('esbuild');
  const folder = `build-${Date.now()}-${process.pid}`;
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
  // Optional parts of pg that this program never loads.
  const external = ['pg-native', 'pg-cloudflare', 'cloudflare:sockets'];
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'core', 'migrations', 'cli.ts')],
      outfile: join(cache, folder, MAIN),
      external: [...vendorOf.keys(), ...external],
      define,
    }),
    ...Object.entries(VENDORS).map(([vendor, ids]) =>
      build({
        ...common,
        stdin: { contents: `module.exports = { ${ids.map((id) => `'${id}': require('${id}')`).join(', ')} };`, resolveDir: root, sourcefile: `${vendor}.cjs` },
        outfile: join(cache, folder, `${vendor}.cjs`),
        external,
        define,
      }),
    ),
  ]);
  const tmp = `${pointer}.${process.pid}.tmp`;
  writeFileSync(tmp, folder);
  renameSync(tmp, pointer);
  // Earlier builds: kept for an hour, in case a runner that started on one still reads it.
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (entry.startsWith('build-') && entry !== folder && Date.now() - statSync(path).mtimeMs > 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The current build's folder, building first when there is no build or a source is newer than it. */
export async function cliBundle() {
  mkdirSync(cache, { recursive: true });
  if (mtime(pointer) < newestMtime(sources, (name) => name.endsWith('.ts') || name.endsWith('.json'))) await rebuild();
  return join(cache, readFileSync(pointer, 'utf8').trim());
}

const readIfPresent = (path) => {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
};

const writeAtomically = (path, data) => {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch {
    // A cache is an optimisation: a read-only install runs without one.
    rmSync(tmp, { force: true });
  }
};

/**
 * Runs one bundle with V8's code cache. `caches` lists the cache files to try, best first; `cold` says that
 * none was taken, so the run should leave one.
 */
function runBundle(file, caches, require) {
  const found = caches.map((path) => [path, readIfPresent(path)]).find(([, data]) => data !== undefined);
  const script = new Script(asFunction(readFileSync(file, 'utf8')), { filename: file, cachedData: found?.[1] });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  return { exports: module.exports, script, cacheUsed: script.cachedDataRejected === true ? undefined : found?.[0] };
}

/**
 * Loads the command line and returns its exports with `saveCodeCache(touchedDatabase)`, to call when the
 * command is done: a code cache is written where there was none (or V8 refused it), and a fuller one after
 * the first run that touched a database.
 */
export async function loadCli() {
  const folder = await cliBundle();
  const fullCache = join(folder, 'code-cache-db');
  const basicCache = join(folder, 'code-cache-basic');
  const vendorCache = (vendor) => join(folder, `code-cache-${vendor}`);
  const nodeRequire = createRequire(join(folder, MAIN));
  const vendors = new Map();
  // The main bundle asks for a driver package only when a run connects to that engine.
  const require = (id) => {
    const vendor = vendorOf.get(id);
    if (!vendor) return nodeRequire(id);
    if (!vendors.has(vendor)) vendors.set(vendor, runBundle(join(folder, `${vendor}.cjs`), [vendorCache(vendor)], nodeRequire));
    return vendors.get(vendor).exports[id];
  };
  const main = runBundle(join(folder, MAIN), [fullCache, basicCache], require);
  return {
    ...main.exports,
    saveCodeCache(touchedDatabase) {
      if (main.cacheUsed === undefined || (touchedDatabase && main.cacheUsed !== fullCache)) {
        writeAtomically(touchedDatabase ? fullCache : basicCache, main.script.createCachedData());
      }
      for (const [vendor, loaded] of vendors) {
        if (loaded.cacheUsed === undefined) writeAtomically(vendorCache(vendor), loaded.script.createCachedData());
      }
    },
  };
}
