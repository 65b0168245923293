import { createHash } from 'node:crypto';
import type { DbSession } from '../../drivers/driver.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import type { MysqlSession } from '../../drivers/mysql/mysql-driver.ts';
import { HISTORY_TABLE } from './history-table-name.ts';
import type { MigrationDialect } from './migration-dialect.ts';

const historyTableDdl = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  version VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  action VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  checksum CHAR(64) NULL,
  up_sql LONGTEXT NULL,
  down_sql LONGTEXT NULL,
  statements_done INT NOT NULL DEFAULT 0,
  statements_total INT NOT NULL DEFAULT 0,
  error TEXT NULL,
  failed_statement LONGTEXT NULL,
  started_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  execution_ms INT NULL,
  applied_by VARCHAR(255) NULL,
  db_user VARCHAR(255) NULL,
  tool_version VARCHAR(32) NULL,
  KEY cabinet_migrations_version (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** GET_LOCK names are server-wide and at most 64 characters: the database name keeps them apart. */
function mysqlLockName(database: string): string {
  const name = `cabinet_migrations.${database}`;
  return name.length <= 64 ? name : `cabinet_migrations.${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * A statement through mysql2's own callback connection, under the promise wrapper the driver's session
 * holds: its result header (insert id) is kept, and no stack trace is captured for every statement.
 */
function rawQuery(session: DbSession, sql: string, params: unknown[]): Promise<unknown> {
  // mysql2's typings do not show the wrapper's `connection`.
  const { connection } = (session as MysqlSession).connection as unknown as { connection: CallbackConnection };
  return new Promise((resolve, reject) => {
    connection.query(sql, params, (error, result) => (error ? reject(toCabinetError(error)) : resolve(result)));
  });
}

interface CallbackConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

export function mysqlDialect(database: string): MigrationDialect {
  const lockName = mysqlLockName(database);
  let idStep = 1;
  return {
    engine: 'mysql',
    transactionalDdl: false,
    createHistoryTable: historyTableDdl,
    // The history is written on the lock's session, where no migration runs, so the plain name always finds
    // it; a migration's session is replaced when the migration may have changed its state (see the runner).
    async probe(session) {
      const result = await session.query(
        `SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${HISTORY_TABLE}'),
                @@auto_increment_increment`,
      );
      const [count, step] = result.rows[0] as string[];
      idStep = Number(step) || 1;
      return { exists: count !== '0', table: HISTORY_TABLE, restore: [] };
    },
    isoTimestamp: (column) => `CONCAT(REPLACE(CAST(${column} AS CHAR), ' ', 'T'), 'Z')`,
    // DATETIME holds no zone: the runner writes UTC.
    timestampParam: (iso) => iso.replace('T', ' ').replace('Z', ''),
    placeholders: (count) => Array.from({ length: count }, () => '?'),
    currentUser: 'CURRENT_USER()',
    literalFor(session) {
      const connection = (session as MysqlSession).connection;
      return (value) => connection.escape(value);
    },
    async insertReturningLastId(session, insert, rows) {
      // The driver's query() keeps rows only; the insert id is on mysql2's own result header. It is the first
      // row's; one INSERT's rows take consecutive ids (the lock keeps other runners out), a step apart.
      const header = (await rawQuery(session, insert.sql, insert.params)) as { insertId: number };
      return header.insertId + (rows - 1) * idStep;
    },
    // A CALL answers with several result sets, which the driver's query() does not model; none is needed here.
    async runStatement(session, sql) {
      await rawQuery(session, sql, []);
    },
    lock: {
      acquire: { sql: 'SELECT GET_LOCK(?, 0)', params: [lockName] },
      release: { sql: 'SELECT RELEASE_LOCK(?)', params: [lockName] },
      async holder(session: DbSession) {
        const result = await session.query(
          `SELECT l.id, p.USER, p.HOST, p.TIME, p.COMMAND
             FROM (SELECT IS_USED_LOCK(?) AS id) l LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id
            WHERE l.id IS NOT NULL`,
          [lockName],
        );
        const row = result.rows[0] as (string | null)[] | undefined;
        if (!row) return null;
        const [id, user, host, seconds, command] = row;
        // The processlist keeps no connection time: TIME is how long the session has been in its current command.
        const since = seconds === null || seconds === undefined ? undefined : new Date(Date.now() - Number(seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
        return { id: Number(id), user: user ?? undefined, host: host ?? undefined, since, state: command ?? undefined, stateSince: since };
      },
    },
  };
}
