// Rebuilds electron/core/demo/chinook-pgdata.tar.gz, the demo's prebuilt data folder, from
// electron/core/demo/chinook.sql, with the first half of migrations-samples/postgres applied by
// Cabinet's runner (so the demo's Migrations view opens on applied and pending versions):
// `node scripts/build-demo-data.mjs`. Run it after changing the seed script, the PostgreSQL samples
// or upgrading PGlite (the demo falls back to seeding from SQL, slowly, until then), and commit the
// result. It checks its own output by unpacking and opening it.
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { tsImport } from 'tsx/esm/api';

const folder = await tsImport('../electron/core/demo/data-folder.ts', import.meta.url);
const prebuilt = await tsImport('../electron/core/demo/prebuilt-data.ts', import.meta.url);
const demoMigrations = await tsImport('../electron/core/demo/demo-migrations.ts', import.meta.url);
const { BackendQueue } = await tsImport('../electron/core/demo/backend-queue.ts', import.meta.url);
const { serveDemo } = await tsImport('../electron/core/demo/demo-server.ts', import.meta.url);
const demo = await tsImport('../electron/core/demo/demo-database.ts', import.meta.url);
const out = folder.DEFAULT_PREBUILT;
const t0 = performance.now();
const work = await mkdtemp(join(tmpdir(), 'cabinet-demo-data-'));
try {
  const sql = await readFile(folder.DEFAULT_SEED_SQL, 'utf8');
  const pgdata = join(work, 'pgdata');
  const db = await folder.seedFromSql(pgdata, sql, console.log);
  // The runner reaches PGlite as the app does: through the demo's loopback server.
  const server = await serveDemo(new BackendQueue(db), { host: demo.DEMO_HOST, port: 0, maxConnections: 4, log: () => {} });
  const params = { engine: 'postgres', host: demo.DEMO_HOST, port: server.port, user: demo.DEMO_USER, database: demo.DEMO_DATABASE, sslMode: 'disable' };
  const report = await demoMigrations.applyFirstHalf({ params }, demoMigrations.demoSamplesDir());
  await server.close();
  if (!report || report.failure) throw new Error(`Applying the sample migrations failed: ${report?.failure?.error.message ?? 'the database already had a history'}`);
  const applied = report.steps.length;
  console.log(`Applied ${applied} sample migrations, up to ${report.steps.at(-1).version}`);
  // Frozen and analysed: the first reads write no hint bits, the planner has statistics.
  await db.exec('VACUUM (FREEZE, ANALYZE)');
  // Start a fresh WAL segment and checkpoint into it: the segments before it (the whole seed's
  // log) and after it (recycled old ones, full of stale log) are not needed to open the folder.
  await db.exec('CHECKPOINT');
  await db.query('select pg_switch_wal()');
  await db.exec('CHECKPOINT');
  const segment = (await db.query('select pg_walfile_name(pg_current_wal_insert_lsn()) as name')).rows[0].name;
  await db.close(); // a clean shutdown: opening the folder needs no recovery

  const pglitePackage = new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  const { version } = JSON.parse(await readFile(pglitePackage, 'utf8'));
  const manifest = {
    format: 1,
    seed: folder.SEED_VERSION,
    seedSha256: prebuilt.sha256(sql),
    pglite: version,
    builtAt: new Date().toISOString(),
  };
  const skip = (path) =>
    (/^pg_wal\/[0-9A-F]{24}$/.test(path) && path !== `pg_wal/${segment}`) || path === 'postmaster.pid' || path === 'postmaster.opts';
  const gz = await prebuilt.packPrebuilt(pgdata, manifest, skip);
  await writeFile(`${out}.tmp`, gz);

  // Check: unpack into a new folder, open it, count Chinook's rows, and see it needed the kept segment only.
  const check = join(work, 'check');
  await prebuilt.unpackPrebuilt(`${out}.tmp`, check, () => true);
  const opened = await PGlite.create({ dataDir: check });
  const { rows } = await opened.query(
    `select (select count(*) from track)::int as tracks, (select count(*) from playlist_track)::int as playlist_tracks,
            (select count(*) from cabinet_migrations where status = 'applied')::int as migrations, redo_wal_file from pg_control_checkpoint()`,
  );
  await opened.close();
  if (rows[0].tracks !== 3503 || rows[0].playlist_tracks !== 8715 || rows[0].migrations !== applied || rows[0].redo_wal_file !== segment) {
    throw new Error(`The packed folder does not check out: ${JSON.stringify(rows[0])} (kept WAL segment ${segment})`);
  }
  await rename(`${out}.tmp`, out);
  console.log(`Wrote ${out}: ${(gz.length / 1e6).toFixed(2)} MB, in ${Math.round(performance.now() - t0)} ms`);
} finally {
  await rm(`${out}.tmp`, { force: true });
  await rm(work, { recursive: true, force: true });
}
