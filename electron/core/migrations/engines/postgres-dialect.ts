import type { DbSession } from '../../drivers/driver.ts';
import type { MigrationDialect } from './migration-dialect.ts';

/** The advisory lock's two int4 keys ("Cabi", "Migr"): advisory locks are per database already. */
const LOCK_KEYS = [0x43616269, 0x4d696772] as const;

const CREATE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS cabinet_migrations (
  id bigserial PRIMARY KEY,
  version text NOT NULL,
  name text NOT NULL,
  action text NOT NULL,
  status text NOT NULL,
  checksum text,
  up_sql text,
  down_sql text,
  statements_done integer NOT NULL DEFAULT 0,
  statements_total integer NOT NULL DEFAULT 0,
  error text,
  failed_statement text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  execution_ms integer,
  applied_by text,
  db_user text,
  tool_version text
)`;

export function postgresDialect(): MigrationDialect {
  return {
    engine: 'postgres',
    transactionalDdl: true,
    createHistoryTable: CREATE_HISTORY_TABLE,
    historyTableExists: "SELECT 1 WHERE to_regclass('cabinet_migrations') IS NOT NULL",
    isoTimestamp: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    timestampParam: (iso) => iso,
    placeholders: (count) => Array.from({ length: count }, (_, n) => `$${n + 1}`),
    currentUser: 'current_user',
    literal: (value) => (value === null || value === undefined ? 'NULL' : typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`),
    async insertReturningId(session, insert) {
      const result = await session.query(`${insert.sql} RETURNING id`, insert.params);
      return Number(result.rows[0]![0]);
    },
    async runStatement(session, sql) {
      await session.query(sql);
    },
    lock: {
      acquire: { sql: 'SELECT pg_try_advisory_lock($1, $2)', params: [...LOCK_KEYS] },
      release: { sql: 'SELECT pg_advisory_unlock($1, $2)', params: [...LOCK_KEYS] },
      async holder(session: DbSession) {
        const result = await session.query(
          `SELECT a.pid, a.usename, a.application_name, host(a.client_addr),
                  to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid`,
          [...LOCK_KEYS],
        );
        const row = result.rows[0] as (string | null)[] | undefined;
        if (!row) return null;
        const [pid, user, application, host, since] = row;
        return {
          id: Number(pid),
          user: user ?? undefined,
          application: application || undefined,
          host: host ?? 'local socket',
          since: since ?? undefined,
        };
      },
    },
  };
}
