/**
 * The demo's data folder, `${dataDir}/demo-pgdata`: open it, or create and seed it with
 * Chinook, and make sure only one process has it open.
 *
 * Creating: from the prebuilt folder (prebuilt-data.ts) when there is one built from the same
 * seed script, else by PGlite's own initdb and the seed SQL. Anything wrong with the prebuilt
 * folder (missing, stale, corrupt, written by an incompatible PGlite) only costs the slow way.
 *
 * A seed marker file is written once the data is complete and opens, so a first run that died
 * half way is redone, not trusted. A killed app cannot leave the demo wedged: the next process
 * opens a new PGlite, PostgreSQL's WAL recovery drops the uncommitted transaction, and the
 * stale lock file of the dead process is taken over.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sha256, unpackPrebuilt } from './prebuilt-data.ts';

export const PGDATA = 'demo-pgdata';
export const SEED_VERSION = 'chinook-1.4.5';
const MARKER = 'cabinet-demo-seeded.json';

export const DEFAULT_SEED_SQL = fileURLToPath(new URL('./chinook.sql', import.meta.url));
export const DEFAULT_PREBUILT = fileURLToPath(new URL('./chinook-pgdata.tar.gz', import.meta.url));

export interface SeedOptions {
  /** The seed script; default `chinook.sql` next to this module. */
  seedSqlPath?: string;
  /** The prebuilt data folder; default `chinook-pgdata.tar.gz` next to this module; null: never. */
  prebuiltPath?: string | null;
  log: (line: string) => void;
}

export async function openOrSeed(pgdata: string, opts: SeedOptions): Promise<{ db: PGlite; seededNow: boolean }> {
  const { log } = opts;
  const marker = join(pgdata, MARKER);
  if (existsSync(marker)) {
    try {
      return { db: await PGlite.create({ dataDir: pgdata }), seededNow: false };
    } catch (err) {
      // E.g. a data directory from an incompatible PGlite version: keep it aside, start fresh.
      const aside = `${pgdata}.unreadable-${Date.now()}`;
      log(`demo: cannot open ${pgdata} (${(err as Error).message}); moved to ${aside}, reseeding`);
      await rename(pgdata, aside);
    }
  } else if (existsSync(pgdata)) {
    log('demo: data directory has no seed marker (interrupted first run?): recreating it');
  }
  // Not seeded (first run, or a first run that died before the marker): start clean.
  await rm(pgdata, { recursive: true, force: true });
  const sqlPath = opts.seedSqlPath ?? DEFAULT_SEED_SQL;
  const sql = await readFile(sqlPath, 'utf8');
  const prebuiltPath = opts.prebuiltPath === undefined ? DEFAULT_PREBUILT : opts.prebuiltPath;
  let db = prebuiltPath ? await openPrebuilt(pgdata, prebuiltPath, sha256(sql), log) : null;
  let from = 'prebuilt';
  if (!db) {
    db = await seedFromSql(pgdata, sql, log);
    from = 'sql';
  }
  // The marker is written only once the seed has committed; write-then-rename keeps it whole.
  const tmp = `${marker}.tmp`;
  await writeFile(tmp, JSON.stringify({ seed: SEED_VERSION, from, seededAt: new Date().toISOString() }) + '\n');
  await rename(tmp, marker);
  return { db, seededNow: true };
}

/**
 * Unpacks the prebuilt folder into `pgdata` and opens it; null (and `pgdata` gone) when it is
 * missing, built from another seed script, or does not open as a seeded database.
 */
async function openPrebuilt(pgdata: string, file: string, seedSha256: string, log: (line: string) => void): Promise<PGlite | null> {
  if (!existsSync(file)) {
    log(`demo: no prebuilt data folder at ${file}: seeding from SQL`);
    return null;
  }
  const t0 = performance.now();
  const partial = `${pgdata}.unpacking`;
  let db: PGlite | undefined;
  try {
    if (existsSync(partial)) await rm(partial, { recursive: true, force: true }); // a crashed attempt's
    const manifest = await unpackPrebuilt(file, partial, (m) => m.seedSha256 === seedSha256);
    if (!manifest) {
      log('demo: the prebuilt data folder was built from another seed script (rebuild it: node scripts/build-demo-data.mjs): seeding from SQL');
      return null;
    }
    await rename(partial, pgdata); // whole or absent: a crash mid-unpack leaves only `partial`
    const tUnpacked = performance.now();
    db = await PGlite.create({ dataDir: pgdata });
    await db.query('select 1 from artist limit 1'); // seeded, not just a database
    log(
      `demo: unpacked the prebuilt data folder in ${Math.round(tUnpacked - t0)} ms and opened it in ${Math.round(performance.now() - tUnpacked)} ms`,
    );
    return db;
  } catch (err) {
    log(`demo: cannot use the prebuilt data folder ${file} (${(err as Error).message}): seeding from SQL`);
    await db?.close().catch(() => {});
    await rm(pgdata, { recursive: true, force: true });
    return null;
  } finally {
    if (existsSync(partial)) await rm(partial, { recursive: true, force: true });
  }
}

/** Creates `pgdata` with PGlite's initdb and runs the seed SQL in one transaction. */
export async function seedFromSql(pgdata: string, sql: string, log: (line: string) => void): Promise<PGlite> {
  const t0 = performance.now();
  const db = await PGlite.create({ dataDir: pgdata });
  const tInit = performance.now();
  try {
    await db.exec(`BEGIN;\n${sql}\n;COMMIT;`);
    await db.exec('CHECKPOINT'); // the next start needs no WAL replay
    await db.syncToFs();
  } catch (err) {
    await db.close().catch(() => {});
    await rm(pgdata, { recursive: true, force: true });
    throw new Error(`Seeding the demo database failed: ${(err as Error).message}`, { cause: err });
  }
  log(
    `demo: created the data directory in ${Math.round(tInit - t0)} ms and loaded Chinook in ${Math.round(performance.now() - tInit)} ms`,
  );
  return db;
}

/** One process at a time per data directory: two PGlites on one directory corrupt it. */
export async function takeLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const taken = await writeFile(path, String(process.pid), { flag: 'wx' }).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
    if (taken) {
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(path).catch(() => {});
      };
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (pid === process.pid) throw new Error('The demo database is already open in this process: stop() it first.');
    if (pid && isAlive(pid)) throw new Error(`The demo database is already open in another Cabinet process (pid ${pid}).`);
    await unlink(path).catch(() => {}); // stale: its process died
  }
  throw new Error(`Cannot take the demo database lock ${path}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
