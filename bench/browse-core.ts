/**
 * Browsing a big table in the core: Cabinet's row source (the BrowseService behind `browse/*`) against the
 * raw driver running the same SQL, on PostgreSQL and MariaDB. The bench builds the table in a throwaway
 * database (id primary key; text, numeric, JSON and timestamp columns; an index on the timestamp), measures
 * opening it, the first window, the end, a jump to the middle, the window after it, a sort on the indexed
 * column and an exact count, prints the medians side by side, and drops the database.
 *
 *   npx tsx bench/browse-core.ts                     # both engines, 5,000,000 rows
 *   BENCH_BROWSE_ROWS=1000000 BENCH_ROUNDS=7 npx tsx bench/browse-core.ts mysql
 *
 * Times are in-process (no socket between renderer and core): they are the core's share of what a user waits.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { BrowseWindow, ShownStatement } from '../shared/browse.ts';
import type { Engine } from '../shared/profiles.ts';
import { BrowseService } from '../electron/core/browse/browse-service.ts';
import { loadDialect } from '../electron/core/browse/dialect.ts';
import { readMysqlMeta } from '../electron/core/browse/meta-mysql.ts';
import { readPostgresMeta } from '../electron/core/browse/meta-postgres.ts';
import { parseTablePath } from '../electron/core/browse/table-path.ts';
import { connect } from '../electron/core/connections/connector.ts';
import type { DbSession } from '../electron/core/drivers/driver.ts';
import type { CallContext } from '../electron/core/router.ts';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../tests/support/databases.ts';
import { median, ms } from './stats.ts';

const ROWS = Number(process.env.BENCH_BROWSE_ROWS ?? 5_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WINDOW = 200;

const elapsed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

async function build(engine: Engine, rows: number): Promise<TestDatabase> {
  const db = engine === 'postgres' ? await createPostgresDatabase('cabinet_bench_browse') : await createMysqlDatabase('cabinet_bench_browse');
  try {
    await fill(db, rows);
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

async function fill(db: TestDatabase, rows: number): Promise<void> {
  if (db.params.engine === 'postgres') {
    await db.exec(`
      create table big (id bigserial primary key, title text not null, amount numeric(12,2), payload jsonb,
                        created_at timestamptz not null, note text);
      insert into big (title, amount, payload, created_at, note)
        select 'title ' || g, (g % 100000) / 100.0, jsonb_build_object('n', g, 'tag', 't' || (g % 50)),
               timestamptz '2020-01-01 00:00:00+00' + g * interval '17 seconds', case when g % 7 = 0 then null else md5(g::text) end
          from generate_series(1, ${rows}) g;
      create index big_created_at on big (created_at);`);
    // VACUUM cannot share a (multi-statement, hence implicit) transaction.
    await db.exec('vacuum analyze big');
    return;
  }
  await db.exec(`
    create table big (id bigint unsigned auto_increment primary key, title varchar(100) not null, amount decimal(12,2), payload json,
                      created_at datetime(6) not null, note varchar(40));
    insert into big (title, amount, payload, created_at, note)
      select concat('title ', seq), (seq % 100000) / 100, json_object('n', seq, 'tag', concat('t', seq % 50)),
             timestamp'2020-01-01 00:00:00' + interval seq * 17 second, if(seq % 7 = 0, null, md5(seq))
        from seq_1_to_${rows};
    alter table big add index big_created_at (created_at);
    analyze table big;`);
}

/** The raw driver, with rows as arrays, running statements exactly as Cabinet showed them. */
interface RawDriver {
  run(statements: { sql: string; params: unknown[] }[]): Promise<number>;
  close(): Promise<void>;
}

async function rawDriver(db: TestDatabase): Promise<RawDriver> {
  if (db.params.engine === 'postgres') {
    const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await client.connect();
    return {
      run: (statements) => elapsed(async () => {
        for (const s of statements) await client.query({ text: s.sql, values: s.params, rowMode: 'array' });
      }),
      close: () => client.end(),
    };
  }
  const connection = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  return {
    run: (statements) => elapsed(async () => {
      for (const s of statements) await connection.query({ sql: s.sql, values: s.params, rowsAsArray: true });
    }),
    close: () => connection.end(),
  };
}

/** The catalog statements `browse/open` runs, recorded from a session that passes them through. */
async function openStatements(db: TestDatabase, path: string[]): Promise<{ sql: string; params: unknown[] }[]> {
  const seen: { sql: string; params: unknown[] }[] = [];
  const session = await connect({ params: db.params }, { applicationName: 'Cabinet (bench)' });
  const recording = new Proxy(session, {
    get: (target, key, receiver) =>
      key === 'query'
        ? (sql: string, params: unknown[] = []) => {
            seen.push({ sql, params });
            return target.query(sql, params);
          }
        : Reflect.get(target, key, receiver),
  }) as DbSession;
  const dialect = await loadDialect(db.params.engine);
  const address = parseTablePath(db.params.engine, path);
  if (db.params.engine === 'postgres') await readPostgresMeta(recording, address, dialect.quoteIdent);
  else await readMysqlMeta(recording, address, dialect.quoteIdent);
  await session.close();
  return seen;
}

const asRaw = (statements: ShownStatement[]) => statements.map((s) => ({ sql: s.sql, params: s.params }));

interface Line {
  what: string;
  cabinet: number;
  raw: number;
  sql: string;
}

async function measure(engine: Engine): Promise<void> {
  const buildStarted = performance.now();
  const db = await build(engine, ROWS);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const service = new BrowseService({ endpointFor: () => ({ params: db.params }) });
  const context: CallContext = { clientId: 'bench', signal: new AbortController().signal };
  const path = engine === 'postgres' ? [db.name, 'public', 'tables', 'big'] : [db.name, 'tables', 'big'];
  const raw = await rawDriver(db);
  const lines: Line[] = [];
  try {
    // Warm both sides' connections and the server's caches once.
    await service.rows(context, (await service.open(context, db.name, path)).viewId, 0, WINDOW);
    const catalog = await openStatements(db, path);
    await raw.run(catalog);

    const rounds = async (what: string, work: () => Promise<{ cabinet: number; statements: { sql: string; params: unknown[] }[] }>) => {
      const cabinet: number[] = [];
      const rawTimes: number[] = [];
      let shown = '';
      for (let i = 0; i < ROUNDS; i++) {
        const result = await work();
        cabinet.push(result.cabinet);
        rawTimes.push(await raw.run(result.statements));
        shown = result.statements.map((s) => s.sql.replace(/\s+/g, ' ')).join('; ');
      }
      lines.push({ what, cabinet: median(cabinet), raw: median(rawTimes), sql: shown });
    };
    const fresh = () => service.open(context, db.name, path);
    const timedRows = async (viewId: string, start: number) => {
      let window: BrowseWindow | undefined;
      const cabinet = await elapsed(async () => (window = await service.rows(context, viewId, start, WINDOW)));
      return { cabinet, window: window!, statements: asRaw(window!.statements) };
    };

    let total = 0;
    await rounds('open (catalog, estimate)', async () => {
      let info: Awaited<ReturnType<typeof fresh>> | undefined;
      const cabinet = await elapsed(async () => (info = await fresh()));
      total = info!.total.rows ?? ROWS;
      return { cabinet, statements: catalog };
    });
    await rounds(`first window (${WINDOW} rows)`, async () => timedRows((await fresh()).viewId, 0));
    await rounds('open + first window', async () => {
      let statements: { sql: string; params: unknown[] }[] = [];
      const cabinet = await elapsed(async () => {
        const info = await fresh();
        statements = asRaw((await service.rows(context, info.viewId, 0, WINDOW)).statements);
      });
      return { cabinet, statements: [...catalog, ...statements] };
    });
    await rounds('end (Ctrl+End)', async () => timedRows((await fresh()).viewId, total - WINDOW));
    await rounds('jump to the middle', async () => timedRows((await fresh()).viewId, Math.floor(total / 2)));
    await rounds('window after the middle (keyset)', async () => {
      const { viewId } = await fresh();
      await service.rows(context, viewId, Math.floor(total / 2), WINDOW);
      return timedRows(viewId, Math.floor(total / 2) + WINDOW);
    });
    await rounds('window above the middle (keyset, backward)', async () => {
      const { viewId } = await fresh();
      await service.rows(context, viewId, Math.floor(total / 2), WINDOW);
      return timedRows(viewId, Math.floor(total / 2) - WINDOW);
    });
    await rounds('sort on created_at desc + first window', async () => {
      const { viewId } = await fresh();
      let window: BrowseWindow | undefined;
      const cabinet = await elapsed(async () => {
        await service.query(context, viewId, { sort: [{ column: 'created_at', direction: 'desc' }], filters: [] });
        window = await service.rows(context, viewId, 0, WINDOW);
      });
      return { cabinet, statements: asRaw(window!.statements) };
    });
    await rounds('sorted on created_at, 10th window (keyset)', async () => {
      const { viewId } = await fresh();
      await service.query(context, viewId, { sort: [{ column: 'created_at', direction: 'desc' }], filters: [] });
      for (let i = 0; i < 9; i++) await service.rows(context, viewId, i * WINDOW, WINDOW);
      return timedRows(viewId, 9 * WINDOW);
    });
    await rounds('sorted on created_at, end', async () => {
      const { viewId } = await fresh();
      await service.query(context, viewId, { sort: [{ column: 'created_at', direction: 'desc' }], filters: [] });
      return timedRows(viewId, total - WINDOW);
    });
    await rounds('sorted on created_at, jump to the middle', async () => {
      const { viewId } = await fresh();
      await service.query(context, viewId, { sort: [{ column: 'created_at', direction: 'desc' }], filters: [] });
      return timedRows(viewId, Math.floor(total / 2));
    });
    await rounds('exact count (on request)', async () => {
      const { viewId } = await fresh();
      let sql = '';
      const cabinet = await elapsed(async () => (sql = (await service.count(context, viewId)).sql));
      return { cabinet, statements: [{ sql, params: [] }] };
    });
    // References, raw driver only: the one-statement OFFSET a seek replaces, and what an exact histogram jump
    // would need first (pg_stats gives a value near the middle row; the rows before it must still be counted).
    const middle = Math.floor(total / 2);
    const reference = async (what: string, sql: string, params: unknown[]) =>
      rounds(what, async () => ({ cabinet: Number.NaN, statements: [{ sql, params }] }));
    await reference('(reference) SELECT * … OFFSET to the middle', `SELECT * FROM big ORDER BY id DESC LIMIT ${WINDOW + 1} OFFSET ${total - middle - WINDOW}`, []);
    await reference('(reference) count of the rows before the middle', engine === 'postgres' ? 'select count(*) from big where id < $1' : 'select count(*) from big where id < ?', [String(middle)]);
  } finally {
    await raw.close();
    await service.closeAll();
    await db.drop();
  }
  const version = engine === 'postgres' ? 'PostgreSQL' : 'MariaDB';
  console.log(`\n${version}: ${ROWS.toLocaleString('en')} rows (built in ${buildSeconds.toFixed(0)} s), median of ${ROUNDS}`);
  console.log(`${'what'.padEnd(44)}${'Cabinet'.padStart(11)}${'raw driver'.padStart(13)}${'ratio'.padStart(8)}`);
  for (const line of lines) {
    const ratio = Number.isNaN(line.cabinet) ? '' : (line.cabinet / line.raw).toFixed(2);
    const cabinet = Number.isNaN(line.cabinet) ? '-' : ms(line.cabinet);
    console.log(`${line.what.padEnd(44)}${cabinet.padStart(11)}${ms(line.raw).padStart(13)}${ratio.padStart(8)}`);
  }
  console.log('\nSQL, per line:');
  for (const line of lines) console.log(`  ${line.what}: ${line.sql.slice(0, 400)}`);
}

const engines = (process.argv[2] ? [process.argv[2]] : ['postgres', 'mysql']) as Engine[];
for (const engine of engines) await measure(engine);
