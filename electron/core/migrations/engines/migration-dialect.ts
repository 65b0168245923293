import type { LockHolder } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { DbSession } from '../../drivers/driver.ts';
import { mysqlDialect } from './mysql-dialect.ts';
import { postgresDialect } from './postgres-dialect.ts';

export const HISTORY_TABLE = 'cabinet_migrations';

/** A statement with its parameters, as sent; `render` shows it with the values written in (dry runs). */
export interface BoundSql {
  sql: string;
  params: unknown[];
}

/** What differs between engines for the runner: the history table's SQL, the lock, values and ids. */
export interface MigrationDialect {
  readonly engine: Engine;
  /** PostgreSQL: a migration and its history row commit together. MySQL commits DDL implicitly. */
  readonly transactionalDdl: boolean;
  readonly createHistoryTable: string;
  readonly historyTableExists: string;
  /** The history's timestamp columns read back as ISO text in UTC. */
  isoTimestamp(column: string): string;
  /** A timestamp parameter in the form the column takes. */
  timestampParam(iso: string): string;
  placeholders(count: number): string[];
  /** The database user that runs the migration, as an SQL expression. */
  readonly currentUser: string;
  /** A value written as an SQL literal, for showing a statement in a dry run. */
  literal(value: unknown): string;
  insertReturningId(session: DbSession, insert: BoundSql): Promise<number>;
  /** Runs one statement of a migration; its result is not needed. */
  runStatement(session: DbSession, sql: string): Promise<void>;
  readonly lock: {
    acquire: BoundSql;
    release: BoundSql;
    holder(session: DbSession): Promise<LockHolder | null>;
  };
}

export function dialectFor(engine: Engine, database: string): MigrationDialect {
  return engine === 'postgres' ? postgresDialect() : mysqlDialect(database);
}

/** The statement with its parameters written in as literals: what a dry run prints. */
export function renderSql(dialect: MigrationDialect, { sql, params }: BoundSql): string {
  if (params.length === 0) return sql;
  if (dialect.engine === 'postgres') return sql.replace(/\$(\d+)/g, (_, n: string) => dialect.literal(params[Number(n) - 1]));
  let next = 0;
  return sql.replace(/\?/g, () => dialect.literal(params[next++]));
}
