import { createHash } from 'node:crypto';
import type { DbSession } from '../../drivers/driver.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import type { MysqlSession } from '../../drivers/mysql/mysql-driver.ts';
import type { MigrationDialect } from './migration-dialect.ts';

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS cabinet_migrations (
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

async function rawQuery(session: DbSession, sql: string, params: unknown[]) {
  try {
    return await (session as MysqlSession).connection.query(sql, params);
  } catch (error) {
    throw toCabinetError(error);
  }
}

export function mysqlDialect(database: string): MigrationDialect {
  const lockName = mysqlLockName(database);
  return {
    engine: 'mysql',
    transactionalDdl: false,
    createHistoryTable: CREATE_HISTORY_TABLE,
    historyTableExists:
      "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'cabinet_migrations'",
    isoTimestamp: (column) => `CONCAT(REPLACE(CAST(${column} AS CHAR), ' ', 'T'), 'Z')`,
    // DATETIME holds no zone: the runner writes UTC.
    timestampParam: (iso) => iso.replace('T', ' ').replace('Z', ''),
    placeholders: (count) => Array.from({ length: count }, () => '?'),
    currentUser: 'CURRENT_USER()',
    literal: (value) =>
      value === null || value === undefined
        ? 'NULL'
        : typeof value === 'number'
          ? String(value)
          : `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
    async insertReturningId(session, insert) {
      // The driver's query() keeps rows only; the insert id is on mysql2's own result header.
      const [header] = await rawQuery(session, insert.sql, insert.params);
      return (header as { insertId: number }).insertId;
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
          `SELECT l.id, p.USER, p.HOST, p.TIME
             FROM (SELECT IS_USED_LOCK(?) AS id) l LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id
            WHERE l.id IS NOT NULL`,
          [lockName],
        );
        const row = result.rows[0] as (string | null)[] | undefined;
        if (!row) return null;
        const [id, user, host, seconds] = row;
        return {
          id: Number(id),
          user: user ?? undefined,
          host: host ?? undefined,
          since: seconds === null || seconds === undefined ? undefined : new Date(Date.now() - Number(seconds) * 1000).toISOString(),
        };
      },
    },
  };
}
