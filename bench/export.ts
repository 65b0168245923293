/**
 * Exporting 1,000,000 rows to CSV: Cabinet's export through the core (`exports/start`, timed until its final
 * progress event says the file is complete) against `psql -c "\copy (select ...) to 'file' csv"` for the same
 * query, on a throwaway PostgreSQL database (text, numeric and timestamptz columns). One untimed round each
 * first, then timed rounds interleaved; the medians and their ratio are printed, the two files are checked to
 * be the same bytes, and the database is dropped. The goal: Cabinet at most 2x psql.
 *
 *   npx tsx bench/export.ts
 *   BENCH_EXPORT_ROWS=200000 BENCH_ROUNDS=5 npx tsx bench/export.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { RpcEvent } from '../shared/rpc.ts';
import { MemorySecretStore } from '../electron/core/connections/secret-store.ts';
import { createCore } from '../electron/core/core.ts';
import { createPostgresDatabase, PG_HOST, PG_PORT } from '../tests/support/databases.ts';
import { median } from './stats.ts';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL = 2;
const run = promisify(execFile);


/**
 * 'bytes' when the files are equal; 'rows' when they hold the same lines in another order (without ORDER BY,
 * PostgreSQL's synchronised scans may start a big table's scan part-way); false otherwise.
 */
async function sameRows(a: string, b: string): Promise<'bytes' | 'rows' | false> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  if (x.equals(y)) return 'bytes';
  if (x.length !== y.length) return false;
  const lines = (buffer: Buffer) => buffer.toString('utf8').split('\n').sort().join('\n');
  return lines(x) === lines(y) ? 'rows' : false;
}

export async function runExportBench(): Promise<{ cabinetMs: number; psqlMs: number; ratio: number }> {
  const db = await createPostgresDatabase('cabinet_bench_export');
  const scratch = await mkdtemp(join(tmpdir(), 'cabinet-bench-export-'));
  const core = createCore({ mode: 'browser', dataDir: join(scratch, 'data'), secrets: new MemorySecretStore() });
  try {
    const built = performance.now();
    await db.exec(`
      create table orders as
        select g as id, 'customer ' || (g % 50000) || ', order "' || g || '"' as title, round((g % 100000) / 7.0, 2) as amount,
               timestamptz '2020-01-01 00:00:00+00' + g * interval '17 seconds' as created_at, md5(g::text) as note
        from generate_series(1, ${ROWS}) g;
    `);
    await db.exec('vacuum analyze orders');
    const buildSeconds = (performance.now() - built) / 1000;
    const query = 'select id, title, amount, created_at, note from orders';

    const events: RpcEvent[] = [];
    const client = core.connectClient((e) => events.push(e));
    let callId = 1;
    const call = async (method: string, input: unknown) => {
      const response = await client.call(callId++, method, input);
      if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
      return response.value as Record<string, unknown>;
    };
    // The core starts the embedded demo in the background; let it finish, so it does not share the timed rounds.
    const demo = await call('connections/open', { profileId: 'demo' });
    await call('connections/close', { connectionId: demo.connectionId });
    const profile = await call('profiles/save', { profile: { name: 'Bench', ...db.params } });
    const { connectionId } = await call('connections/open', { profileId: profile.id });

    const cabinetFile = join(scratch, 'cabinet.csv');
    const psqlFile = join(scratch, 'psql.csv');
    const cabinet = async () => {
      const started = performance.now();
      const { exportId } = await call('exports/start', { connectionId, sql: query, format: 'csv', headers: false, path: cabinetFile });
      while (true) {
        const end = events.find((e) => e.event === 'exports/progress' && e.payload.exportId === exportId && e.payload.done);
        if (end && end.event === 'exports/progress') {
          if (end.payload.error || end.payload.rows !== ROWS) throw new Error(`the export ended with ${JSON.stringify(end.payload)}`);
          return performance.now() - started;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    const psql = async () => {
      const started = performance.now();
      await run('psql', ['-X', '-q', '-h', PG_HOST, '-p', String(PG_PORT), '-U', 'postgres', '-d', db.name, '-c', `\\copy (${query}) to '${psqlFile}' csv`]);
      return performance.now() - started;
    };

    await cabinet();
    await psql();
    const same = await sameRows(cabinetFile, psqlFile);
    const times = { cabinet: [] as number[], psql: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      times.cabinet.push(await cabinet());
      times.psql.push(await psql());
    }
    const cabinetMs = median(times.cabinet);
    const psqlMs = median(times.psql);
    const ratio = cabinetMs / psqlMs;
    console.log(`\nExport to CSV: ${ROWS.toLocaleString('en')} rows on PostgreSQL (built in ${buildSeconds.toFixed(0)} s), median of ${ROUNDS}`);
    console.log(`  query: ${query}`);
    console.log(`${'tool'.padEnd(34)}${'ms'.padStart(9)}   rounds`);
    console.log(`${'Cabinet (exports/start, CSV)'.padEnd(34)}${cabinetMs.toFixed(0).padStart(9)}   ${times.cabinet.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`${'psql -c "\\copy (...) to file csv"'.padEnd(34)}${psqlMs.toFixed(0).padStart(9)}   ${times.psql.map((t) => t.toFixed(0)).join(', ')}`);
    const sameText = same === 'bytes' ? 'byte for byte the same' : same === 'rows' ? 'the same rows (a synchronised scan started elsewhere in the table)' : 'DIFFERENT';
    console.log(`ratio Cabinet / psql: ${ratio.toFixed(2)}x (goal: at most ${GOAL.toFixed(2)}x): ${ratio <= GOAL ? 'met' : 'NOT met'}; the files are ${sameText}.`);
    if (!same) throw new Error('Cabinet and psql wrote different CSV for the same query.');
    await client.close();
    return { cabinetMs, psqlMs, ratio };
  } finally {
    await core.close();
    await db.drop();
    if (!process.env.BENCH_KEEP) await rm(scratch, { recursive: true, force: true });
    else console.log(scratch);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runExportBench();
