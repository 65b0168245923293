/**
 * Applying 200 plain-SQL migrations (a small table and an insert each) to a fresh database, then
 * reverting them all: Cabinet's core and its command line against db-migrate (`--sql-file` layout) and
 * node-pg-migrate (`.sql` files), on PostgreSQL and MariaDB (db-migrate only there). Each tool gets a
 * fresh database per round; the median of the rounds is reported, with Cabinet's ratio to the fastest peer.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Engine } from '../shared/profiles.ts';
import { migrateDown, migrateUp } from '../electron/core/migrations/runner/actions.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../tests/support/databases.ts';

const COUNT = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const run = promisify(execFile);

interface Tool {
  name: string;
  cabinet: boolean;
  engines: Engine[];
  up(db: TestDatabase): Promise<void>;
  down(db: TestDatabase): Promise<void>;
}

interface Timing {
  upMs: number;
  downMs: number;
}

const upSql = (n: number) => `CREATE TABLE bench_${n} (id integer PRIMARY KEY, label varchar(40));\nINSERT INTO bench_${n} VALUES (1, 'row ${n}');`;
const downSql = (n: number) => `DROP TABLE bench_${n};`;
/** Timestamps one minute apart, so every tool sorts them the same way. */
const stamp = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Writes the same 200 migrations in each tool's own layout. */
async function writeMigrations(root: string): Promise<{ cabinet: string; pgMigrate: string; dbMigrate: string }> {
  const dirs = { cabinet: join(root, 'cabinet'), pgMigrate: join(root, 'node-pg-migrate'), dbMigrate: join(root, 'db-migrate') };
  await mkdir(dirs.cabinet);
  await mkdir(dirs.pgMigrate);
  await mkdir(join(dirs.dbMigrate, 'sqls'), { recursive: true });
  for (let n = 1; n <= COUNT; n++) {
    const name = `${stamp(n)}_bench_${n}`;
    await writeFile(join(dirs.cabinet, `${name}.sql`), `-- migrate:up\n${upSql(n)}\n\n-- migrate:down\n${downSql(n)}\n`);
    await writeFile(join(dirs.pgMigrate, `${name}.sql`), `-- Up Migration\n${upSql(n)}\n\n-- Down Migration\n${downSql(n)}\n`);
    const id = `${stamp(n)}-bench-${n}`;
    await writeFile(join(dirs.dbMigrate, 'sqls', `${id}-up.sql`), `${upSql(n)}\n`);
    await writeFile(join(dirs.dbMigrate, 'sqls', `${id}-down.sql`), `${downSql(n)}\n`);
    await writeFile(join(dirs.dbMigrate, `${id}.js`), dbMigrateWrapper(id));
  }
  return dirs;
}

/** The file `db-migrate create --sql-file` writes, trimmed of its logging. */
function dbMigrateWrapper(id: string): string {
  return `'use strict';
const fs = require('fs');
const path = require('path');
exports.setup = function () {};
const run = (db, part) => db.runSql(fs.readFileSync(path.join(__dirname, 'sqls', '${id}-' + part + '.sql'), 'utf8'));
exports.up = (db) => run(db, 'up');
exports.down = (db) => run(db, 'down');
exports._meta = { version: 1 };
`;
}

function tools(dirs: Awaited<ReturnType<typeof writeMigrations>>, scratch: string): Tool[] {
  const cli = (args: string[], env: Record<string, string>) => run(process.execPath, args, { cwd: scratch, env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  // db-migrate runs each file's SQL as one query: MySQL needs multipleStatements for that.
  const dbMigrateUrl = (db: TestDatabase) => (db.params.engine === 'mysql' ? `${db.url}?multipleStatements=true` : db.url);
  const dbMigrate = (verb: string[]) => (db: TestDatabase) =>
    cli([join(BIN, 'db-migrate'), ...verb, '--migrations-dir', dirs.dbMigrate], { DATABASE_URL: dbMigrateUrl(db) }).then(() => undefined);
  const pgMigrate = (verb: string[]) => (db: TestDatabase) =>
    cli([join(BIN, 'node-pg-migrate'), ...verb, '--migrations-dir', dirs.pgMigrate, '--no-verbose'], { DATABASE_URL: db.url }).then(() => undefined);
  const cabinetCli = (verb: string[]) => (db: TestDatabase) =>
    cli([join(ROOT, 'bin', 'cabinet-migrate.mjs'), ...verb, '--dir', dirs.cabinet, '--url', db.url], {}).then(() => undefined);
  const core = (db: TestDatabase) => ({ params: db.params, dir: dirs.cabinet });
  return [
    {
      name: 'Cabinet core',
      cabinet: true,
      engines: ['postgres', 'mysql'],
      up: async (db) => void expectNoFailure(await migrateUp(core(db))),
      down: async (db) => void expectNoFailure(await migrateDown({ ...core(db), to: '0' })),
    },
    { name: 'cabinet-migrate (CLI)', cabinet: true, engines: ['postgres', 'mysql'], up: cabinetCli(['up']), down: cabinetCli(['down', '--to', '0']) },
    { name: 'db-migrate', cabinet: false, engines: ['postgres', 'mysql'], up: dbMigrate(['up']), down: dbMigrate(['reset']) },
    { name: 'node-pg-migrate', cabinet: false, engines: ['postgres'], up: pgMigrate(['up']), down: pgMigrate(['down', String(COUNT)]) },
  ];
}

function expectNoFailure(report: { failure?: { error: { message: string } }; steps: unknown[] }): void {
  if (report.failure) throw new Error(report.failure.error.message);
  if (report.steps.length !== COUNT) throw new Error(`Expected ${COUNT} steps, got ${report.steps.length}.`);
}

async function timeOnce(tool: Tool, engine: Engine): Promise<Timing> {
  const db = engine === 'postgres' ? await createPostgresDatabase('bench_mig') : await createMysqlDatabase('bench_mig');
  try {
    let started = performance.now();
    await tool.up(db);
    const upMs = performance.now() - started;
    started = performance.now();
    await tool.down(db);
    return { upMs, downMs: performance.now() - started };
  } finally {
    await db.drop();
  }
}

/** The round whose total is the median, so its up and down add up to the total shown. */
const medianRound = (timings: Timing[]) =>
  [...timings].sort((a, b) => a.upMs + a.downMs - (b.upMs + b.downMs))[Math.floor(timings.length / 2)]!;

export async function runMigrationsBench(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'cabinet-bench-'));
  try {
    const all = tools(await writeMigrations(scratch), scratch);
    for (const engine of ['postgres', 'mysql'] as const) {
      const contenders = all.filter((t) => t.engines.includes(engine));
      const samples = new Map<Tool, Timing[]>(contenders.map((t) => [t, []]));
      // Rounds interleave the tools, so a slow moment of the machine does not land on one of them.
      for (let round = 0; round < ROUNDS; round++) {
        for (const tool of contenders) samples.get(tool)!.push(await timeOnce(tool, engine));
      }
      const results = contenders.map((tool) => {
        const round = medianRound(samples.get(tool)!);
        return { tool, ...round, totalMs: round.upMs + round.downMs };
      });
      const fastestPeer = Math.min(...results.filter((r) => !r.tool.cabinet).map((r) => r.totalMs));
      console.log(`\nMigrations on ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'}: ${COUNT} up, then ${COUNT} down (median of ${ROUNDS}, each on a fresh database)`);
      console.log(`${'tool'.padEnd(24)}${'up ms'.padStart(9)}${'down ms'.padStart(9)}${'total ms'.padStart(10)}  vs fastest peer`);
      for (const r of results) {
        const ratio = `${(r.totalMs / fastestPeer).toFixed(2)}x`;
        console.log(`${r.tool.name.padEnd(24)}${r.upMs.toFixed(0).padStart(9)}${r.downMs.toFixed(0).padStart(9)}${r.totalMs.toFixed(0).padStart(10)}  ${ratio}`);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
