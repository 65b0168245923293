import type { LockHolder } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { DbSession } from '../../drivers/driver.ts';
import type { ServerClock } from '../history/history-table.ts';
import { mysqlDialect } from './mysql-dialect.ts';
import { postgresDialect } from './postgres-dialect.ts';

export { HISTORY_TABLE } from './history-table-name.ts';

/** A statement with its parameters, as sent; `render` shows it with the values written in (dry runs). */
export interface BoundSql {
  sql: string;
  params: unknown[];
}

/** A value written as an SQL literal by the driver's own escaping. */
export type Literal = (value: unknown) => string;

/** What the runner learns from a fresh session before any migration runs on it. */
export interface SessionProbe {
  /** Whether `cabinet_migrations` exists where the session finds it. */
  exists: boolean;
  /**
   * The history table as the runner writes it in SQL: on PostgreSQL qualified with the schema it lives in (or
   * will be created in), so a migration that changes the search path cannot hide it. Null when PostgreSQL's
   * search path names no schema to create it in.
   */
  table: string | null;
  /**
   * Statements that bring the session back to the state it had when it connected, whatever a migration set
   * (role, search path, time-outs...). Empty where the runner never needs it (MySQL: see the runner).
   */
  restore: string[];
}

/** What differs between engines for the runner: the history table's SQL, the lock, values and ids. */
export interface MigrationDialect {
  readonly engine: Engine;
  /** PostgreSQL: a migration and its history row commit together. MySQL commits DDL implicitly. */
  readonly transactionalDdl: boolean;
  createHistoryTable(table: string): string;
  probe(session: DbSession): Promise<SessionProbe>;
  /** The history's timestamp columns read back as ISO text in UTC. */
  isoTimestamp(column: string): string;
  /** A timestamp parameter in the form the column takes. */
  timestampParam(iso: string): string;
  placeholders(count: number): string[];
  /** The database user that runs the migration, as an SQL expression. */
  readonly currentUser: string;
  /**
   * A script's start (the server received it), its end (now) and the time between, as SQL: the times of a
   * history row sent in the same script as its migration. Engines that run no scripts have none.
   */
  readonly scriptClock?: ServerClock;
  /** The driver's literal quoting on this session: for statements sent with their values written in. */
  literalFor(session: DbSession): Literal;
  /** Appends rows with one INSERT (`insert` has one VALUES tuple per row) and returns the last row's id. */
  insertReturningLastId(session: DbSession, insert: BoundSql, rows: number): Promise<number>;
  /** Runs one statement of a migration on its own; its result is not needed. */
  runStatement(session: DbSession, sql: string, copyData?: string): Promise<void>;
  readonly lock: {
    acquire: BoundSql;
    release: BoundSql;
    holder(session: DbSession): Promise<LockHolder | null>;
  };
}

export function dialectFor(engine: Engine, database: string): MigrationDialect {
  return engine === 'postgres' ? postgresDialect() : mysqlDialect(database);
}

/** The statement with its parameters written in as literals: what a dry run prints, and what a script sends. */
export function renderSql(dialect: MigrationDialect, { sql, params }: BoundSql, literal: Literal): string {
  if (params.length === 0) return sql;
  if (dialect.engine === 'postgres') return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
  let next = 0;
  return sql.replace(/\?/g, () => literal(params[next++]));
}
