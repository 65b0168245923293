/**
 * Applying 1,000 pending updates: Cabinet's core (`edits/apply`: a session of its own, the table's metadata
 * read, one transaction, every row checked against what the user saw, the rows read again) against the raw
 * driver (pg / mysql2) opening a connection and sending the same parameterised UPDATE statements (taken from
 * `edits/preview`) in one transaction. Median of 5 rounds on PostgreSQL and MariaDB; the goal is ≤ 2×.
 *
 *   npx tsx bench/edits.ts            # both engines
 *   BENCH_EDIT_ROWS=5000 npx tsx bench/edits.ts mysql
 */
import { pathToFileURL } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ChangeSet, ParsedChangeSet } from '../shared/edits.ts';
import type { Engine } from '../shared/profiles.ts';
import { EditService } from '../electron/core/edits/edit-service.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../tests/support/databases.ts';
import { median } from './stats.ts';

const ROWS = Number(process.env.BENCH_EDIT_ROWS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Round `round` sets every row's text to a new value, expecting the one the previous round wrote. */
function changeSet(round: number): ParsedChangeSet {
  const updates = Array.from({ length: ROWS }, (_, i) => ({
    key: { id: String(i + 1) },
    set: { v: `round ${round} row ${i + 1}` },
    expected: { v: round === 0 ? `start ${i + 1}` : `round ${round - 1} row ${i + 1}` },
  }));
  return { updates, inserts: [], deletes: [] } satisfies ChangeSet;
}

async function rawApply(engine: Engine, db: TestDatabase, statements: { sql: string; params: (string | null)[] }[]): Promise<void> {
  if (engine === 'postgres') {
    const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const s of statements) {
        const r = await client.query(s.sql, s.params);
        if (r.rowCount !== 1) throw new Error('raw update missed its row');
      }
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    return;
  }
  const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
  try {
    await conn.query('START TRANSACTION');
    for (const s of statements) {
      const [r] = await conn.query(s.sql, s.params);
      if ((r as mysql.ResultSetHeader).affectedRows !== 1) throw new Error('raw update missed its row');
    }
    await conn.query('COMMIT');
  } finally {
    await conn.end();
  }
}

async function benchEngine(engine: Engine): Promise<{ core: number; raw: number }> {
  const db = engine === 'postgres' ? await createPostgresDatabase('cabinet_bench_edits') : await createMysqlDatabase('cabinet_bench_edits');
  try {
    await db.exec(
      engine === 'postgres'
        ? `create table items (id int primary key, v text, n int); insert into items select g, 'start ' || g, g from generate_series(1, ${ROWS}) g;`
        : `create table items (id int primary key, v text, n int) engine=InnoDB;
           insert into items with recursive s(g) as (select 1 union all select g + 1 from s where g < ${ROWS}) select g, concat('start ', g), g from s;`,
    );
    const service = new EditService({ endpointFor: () => ({ params: db.params }) });
    const path = engine === 'postgres' ? [db.name, 'public', 'tables', 'items'] : [db.name, 'tables', 'items'];
    const core: number[] = [];
    const raw: number[] = [];
    let round = 0;
    for (let i = 0; i < ROUNDS; i++) {
      // Core and raw alternate, each round continuing the chain of expected values.
      let changes = changeSet(round++);
      let started = performance.now();
      const result = await service.apply('bench', path, changes);
      core.push(performance.now() - started);
      if (result.status !== 'applied' || result.rows.length !== ROWS) throw new Error(`core apply: ${result.status}`);

      changes = changeSet(round++);
      const { statements } = await service.preview('bench', path, changes);
      started = performance.now();
      await rawApply(engine, db, statements);
      raw.push(performance.now() - started);
    }
    return { core: median(core), raw: median(raw) };
  } finally {
    await db.drop();
  }
}

export async function runEditsBench(engines: Engine[] = ['postgres', 'mysql']): Promise<void> {
  console.log(`Applying ${ROWS} pending updates in one transaction, median of ${ROUNDS} (connect included on both sides)`);
  for (const engine of engines) {
    const { core, raw } = await benchEngine(engine);
    const ratio = core / raw;
    console.log(`${engine.padEnd(8)}  core ${ms(core).padStart(10)}   raw driver ${ms(raw).padStart(10)}   ratio ${ratio.toFixed(2)}×  ${ratio <= 2 ? 'ok (≤ 2×)' : 'OVER the 2× goal'}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const wanted = process.argv.slice(2).filter((a): a is Engine => a === 'postgres' || a === 'mysql');
  await runEditsBench(wanted.length > 0 ? wanted : undefined);
}
