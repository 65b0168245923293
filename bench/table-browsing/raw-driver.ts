/**
 * The raw driver the grid is compared with: `pg` or `mysql2` with their default settings and rows as arrays,
 * on one connection, running the statements Cabinet's core ran for a figure, one after the other.
 *
 * The answers of `browse/rows` carry their statements; `browse/open` and `browse/query` do not say which
 * catalog statements they ran, so those are recorded here once, by running the core's own catalog readers
 * on a session that writes down what passes through it.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadDialect } from '../../electron/core/browse/dialect.ts';
import { readMysqlMeta, readMysqlTotal } from '../../electron/core/browse/meta-mysql.ts';
import { readPostgresMeta, readPostgresTotal } from '../../electron/core/browse/meta-postgres.ts';
import { parseTablePath } from '../../electron/core/browse/table-path.ts';
import { connect } from '../../electron/core/connections/connector.ts';
import type { DbSession } from '../../electron/core/drivers/driver.ts';
import { MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../../tests/support/databases.ts';

export interface Statement {
  sql: string;
  params: readonly unknown[];
}

export interface RawDriver {
  /** Runs the statements in order and returns the milliseconds they took, rows read to the end. */
  run(statements: readonly Statement[]): Promise<number>;
  /** The first value of the first row, as text (untimed: for checks). */
  value(sql: string): Promise<string>;
  close(): Promise<void>;
}

export async function rawDriver(db: TestDatabase): Promise<RawDriver> {
  if (db.params.engine === 'postgres') {
    const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await client.connect();
    return {
      async run(statements) {
        const started = performance.now();
        for (const s of statements) await client.query({ text: s.sql, values: [...s.params], rowMode: 'array' });
        return performance.now() - started;
      },
      async value(sql) {
        const result = await client.query({ text: sql, rowMode: 'array' });
        return String((result.rows[0] as unknown[] | undefined)?.[0]);
      },
      close: () => client.end(),
    };
  }
  const connection = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
  return {
    async run(statements) {
      const started = performance.now();
      for (const s of statements) await connection.query({ sql: s.sql, values: [...s.params], rowsAsArray: true });
      return performance.now() - started;
    },
    async value(sql) {
      const [rows] = await connection.query({ sql, rowsAsArray: true });
      return String((rows as unknown[][])[0]?.[0]);
    },
    close: () => connection.end(),
  };
}

export interface CatalogStatements {
  /** What `browse/open` runs before the view exists: the relation, its columns, key, foreign keys and total. */
  open: Statement[];
  /** What `browse/query` runs without filters: the table's total read again. */
  query: Statement[];
}

/** Runs the core's catalog readers for the table at `path` (a tree path, as the page sent it) and records their SQL. */
export async function recordCatalogStatements(db: TestDatabase, path: string[]): Promise<CatalogStatements> {
  let seen: Statement[] = [];
  const session = await connect({ params: db.params }, { applicationName: 'Cabinet (bench)' });
  try {
    const recording = new Proxy(session, {
      get: (target, key, receiver) =>
        key === 'query'
          ? (sql: string, params: readonly unknown[] = []) => {
              seen.push({ sql, params: [...params] });
              return target.query(sql, params);
            }
          : Reflect.get(target, key, receiver),
    }) as DbSession;
    const engine = db.params.engine;
    const dialect = await loadDialect(engine);
    const address = parseTablePath(engine, path);
    const meta = engine === 'postgres' ? await readPostgresMeta(recording, address, dialect.quoteIdent) : await readMysqlMeta(recording, address, dialect.quoteIdent);
    const open = seen;
    seen = [];
    if (engine === 'postgres') await readPostgresTotal(recording, address, meta.sqlName);
    else await readMysqlTotal(recording, address, meta.sqlName);
    return { open, query: seen };
  } finally {
    await session.close();
  }
}
