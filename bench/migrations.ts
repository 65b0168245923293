/**
 * Applying 200 plain-SQL migrations (a small table and an insert each) to a fresh database, then
 * reverting them all: Cabinet's core and its command line against db-migrate (`--sql-file` layout) and
 * node-pg-migrate (`.sql` files), on PostgreSQL and MariaDB (db-migrate only there). Every command-line
 * tool runs as a process through its own bin (no npx). Each tool gets a fresh database per round, rounds
 * interleave the tools, and up and down are reported separately: the median of the rounds, with each
 * tool's ratio to the fastest peer in that direction.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Engine } from '../shared/profiles.ts';
import { migrateDown, migrateUp } from '../electron/core/migrations/runner/actions.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../tests/support/databases.ts';
import { peerBin } from './peers.ts';
import { median } from './stats.ts';

const COUNT = 200;
const CLI_NAME = 'cabinet-migrate (CLI)';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);

interface Tool {
  name: string;
  cabinet: boolean;
  engines: Engine[];
  /**
   * Untimed work before each timed command: the command line's bundle is rebuilt here when a source changed
   * (others may be editing the tree), and V8's code cache made, as they stay between runs on a machine.
   */
  prepare?(db: TestDatabase): Promise<unknown>;
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
    cli([peerBin('db-migrate'), ...verb, '--migrations-dir', dirs.dbMigrate], { DATABASE_URL: dbMigrateUrl(db) }).then(() => undefined);
  const pgMigrate = (verb: string[]) => (db: TestDatabase) =>
    cli([peerBin('node-pg-migrate'), ...verb, '--migrations-dir', dirs.pgMigrate, '--no-verbose'], { DATABASE_URL: db.url }).then(() => undefined);
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
    { name: CLI_NAME, cabinet: true, prepare: (db) => cabinetCli(['status'])(db), engines: ['postgres', 'mysql'], up: cabinetCli(['up']), down: cabinetCli(['down', '--to', '0']) },
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
    await tool.prepare?.(db);
    let started = performance.now();
    await tool.up(db);
    const upMs = performance.now() - started;
    await tool.prepare?.(db);
    started = performance.now();
    await tool.down(db);
    return { upMs, downMs: performance.now() - started };
  } finally {
    await db.drop();
  }
}


export interface DirectionResult {
  ms: number;
  /** Time over the fastest peer's in the same direction: below 1 is faster. */
  ratio: number;
}

export interface EngineResult {
  engine: Engine;
  tools: { name: string; cabinet: boolean; up: DirectionResult; down: DirectionResult }[];
}

const ENGINE_NAMES: Record<Engine, string> = { postgres: 'PostgreSQL', mysql: 'MariaDB' };

function printEngine(result: EngineResult): void {
  console.log(`\nMigrations on ${ENGINE_NAMES[result.engine]}: ${COUNT} up, then ${COUNT} down (median of ${ROUNDS} rounds, each on a fresh database)`);
  const cell = (d: DirectionResult) => `${d.ms.toFixed(0).padStart(8)}${`${d.ratio.toFixed(2)}x`.padStart(8)}`;
  console.log(`${'tool'.padEnd(24)}${'up ms'.padStart(8)}${'ratio'.padStart(8)}  ${'down ms'.padStart(8)}${'ratio'.padStart(8)}`);
  for (const tool of result.tools) console.log(`${tool.name.padEnd(24)}${cell(tool.up)}  ${cell(tool.down)}`);
}

export async function runMigrationsBench(): Promise<EngineResult[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'cabinet-bench-'));
  const results: EngineResult[] = [];
  try {
    const all = tools(await writeMigrations(scratch), scratch);
    // BENCH_ENGINES=mysql (or postgres) measures one engine only.
    const engines = (['postgres', 'mysql'] as const).filter((e) => (process.env.BENCH_ENGINES ?? 'postgres,mysql').split(',').includes(e));
    for (const engine of engines) {
      const contenders = all.filter((t) => t.engines.includes(engine));
      const samples = new Map<Tool, Timing[]>(contenders.map((t) => [t, []]));
      // Rounds interleave the tools, each round in another order, so a slow moment of the machine does not
      // land on one of them, nor always on the one that follows another.
      for (let round = 0; round < ROUNDS; round++) {
        const order = contenders.map((_, n) => contenders[(n + round) % contenders.length]!);
        for (const tool of order) samples.get(tool)!.push(await timeOnce(tool, engine));
      }
      const medians = contenders.map((tool) => {
        const timings = samples.get(tool)!;
        return { tool, upMs: median(timings.map((t) => t.upMs)), downMs: median(timings.map((t) => t.downMs)) };
      });
      const peers = medians.filter((m) => !m.tool.cabinet);
      const fastestUp = Math.min(...peers.map((m) => m.upMs));
      const fastestDown = Math.min(...peers.map((m) => m.downMs));
      const result: EngineResult = {
        engine,
        tools: medians.map((m) => ({
          name: m.tool.name,
          cabinet: m.tool.cabinet,
          up: { ms: m.upMs, ratio: m.upMs / fastestUp },
          down: { ms: m.downMs, ratio: m.downMs / fastestDown },
        })),
      };
      printEngine(result);
      results.push(result);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const cli = results.flatMap((r) => {
    const tool = r.tools.find((t) => t.name === CLI_NAME)!;
    return [`${ENGINE_NAMES[r.engine]} up ${tool.up.ratio.toFixed(2)}x`, `down ${tool.down.ratio.toFixed(2)}x`];
  });
  const met = results.every((r) => r.tools.filter((t) => t.name === CLI_NAME).every((t) => t.up.ratio <= 1 && t.down.ratio <= 1));
  console.log(`\n${CLI_NAME} against the fastest peer: ${cli.join(', ')}: the goal (at most 1.00x) is ${met ? 'met' : 'NOT met'}.`);
  return results;
}
