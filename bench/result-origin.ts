/**
 * What telling a query result's origin (one table with its key, so the grid can edit it) adds to a small
 * SELECT in a query tab: `sessions/execute` through Cabinet's core (the tab's session, the first rows spooled,
 * the origin read beside them on the catalog connection) against the raw driver (pg / mysql2) running the
 * same statement on one open connection, one after the other in each round (so a busy moment of the machine
 * falls on both). Median of 200 rounds after 20 to warm up, on PostgreSQL and MariaDB.
 *
 *   npx tsx bench/result-origin.ts            # both engines
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { MethodInput, MethodName, MethodOutput } from '../shared/api.ts';
import type { Engine } from '../shared/profiles.ts';
import { MemorySecretStore } from '../electron/core/connections/secret-store.ts';
import { createCore } from '../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT } from '../tests/support/databases.ts';
import { median } from './stats.ts';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARM_UP = 20;
const SQL = 'select * from items where id < 50 order by id';


/** Medians of `a` and `b`, run alternately. */
async function sideBySide(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    for (const [side, run] of [a, b].entries()) {
      const started = performance.now();
      await run();
      if (i >= WARM_UP) times[side]!.push(performance.now() - started);
    }
  }
  return [median(times[0]), median(times[1])];
}

async function benchEngine(engine: Engine): Promise<{ core: number; raw: number }> {
  const db = engine === 'postgres' ? await createPostgresDatabase('cabinet_bench_origin') : await createMysqlDatabase('cabinet_bench_origin');
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-bench-origin-'));
  const core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
  const client = core.connectClient(() => undefined);
  let id = 1;
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const response = await client.call(id++, method, input);
    if (!response.ok) throw new Error(response.error.message);
    return response.value as MethodOutput<M>;
  };
  try {
    await db.exec('create table items (id int primary key, v text); insert into items (id, v) values ' + Array.from({ length: 100 }, (_, i) => `(${i + 1}, 'item ${i + 1}')`).join(', '));
    const profile = await call('profiles/save', { profile: { name: 'bench', ...db.params } });
    const { connectionId } = await call('connections/open', { profileId: profile.id });
    const { sessionId } = await call('sessions/open', { connectionId });
    const viaCore = async () => {
      const outcome = await call('sessions/execute', { sessionId, sql: SQL });
      if (!outcome.origin?.editable) throw new Error('the result should be editable');
    };
    if (engine === 'postgres') {
      const raw = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
      await raw.connect();
      const [coreTime, rawTime] = await sideBySide(viaCore, () => raw.query({ text: SQL, rowMode: 'array' }));
      await raw.end();
      return { core: coreTime, raw: rawTime };
    }
    const raw = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
    const [coreTime, rawTime] = await sideBySide(viaCore, () => raw.query({ sql: SQL, rowsAsArray: true }));
    await raw.end();
    return { core: coreTime, raw: rawTime };
  } finally {
    await client.close();
    await core.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runResultOriginBench(engines: Engine[] = ['postgres', 'mysql']): Promise<void> {
  console.log(`A 49-row SELECT in a query tab, its origin told (editable), median of ${RUNS}`);
  for (const engine of engines) {
    const { core, raw } = await benchEngine(engine);
    console.log(`${engine.padEnd(8)}  core ${core.toFixed(2).padStart(7)} ms   raw driver ${raw.toFixed(2).padStart(7)} ms   ratio ${(core / raw).toFixed(2)}×`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const wanted = process.argv.slice(2).filter((a): a is Engine => a === 'postgres' || a === 'mysql');
  await runResultOriginBench(wanted.length > 0 ? wanted : undefined);
}
