import type { DbSession } from '../../drivers/driver.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import type { PostgresSession } from '../../drivers/postgres/postgres-driver.ts';
import { HISTORY_TABLE } from './history-table-name.ts';
import type { MigrationDialect, SessionProbe } from './migration-dialect.ts';
import { runPostgresScript, ScriptFailed } from './postgres-script.ts';

/** The advisory lock's two int4 keys ("Cabi", "Migr"): advisory locks are per database already. */
const LOCK_KEYS = [0x43616269, 0x4d696772] as const;

const historyTableDdl = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (
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

/**
 * Where the history table is (or would be created: the first schema of the search path), who the session is,
 * and the settings it was given with SET after it connected (the connector's, which RESET ALL would drop).
 */
const PROBE = `SELECT to_regclass('${HISTORY_TABLE}') IS NOT NULL,
       coalesce((SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.oid = to_regclass('${HISTORY_TABLE}')), current_schema()),
       session_user, current_user,
       (SELECT coalesce(json_agg(json_build_array(name, current_setting(name))), '[]') FROM pg_catalog.pg_settings WHERE source = 'session')`;

const client = (session: DbSession) => (session as PostgresSession).client;

/** `public` stays `public`; anything that needs quotes gets them. */
function schemaName(session: DbSession, name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : client(session).escapeIdentifier(name);
}

export function postgresDialect(): MigrationDialect {
  return {
    engine: 'postgres',
    transactionalDdl: true,
    createHistoryTable: historyTableDdl,
    async probe(session): Promise<SessionProbe> {
      const row = (await session.query(PROBE)).rows[0] as string[];
      const [exists, schema, sessionUser, currentUser, settings] = row;
      const escape = client(session);
      // A migration may SET ROLE, SET SESSION AUTHORIZATION, empty the search path (pg_dump does), or set a
      // time-out: this puts back the session as it connected, the connector's own settings included.
      const restore = [`SET SESSION AUTHORIZATION ${escape.escapeIdentifier(sessionUser!)}`];
      if (currentUser !== sessionUser) restore.push(`SET ROLE ${escape.escapeIdentifier(currentUser!)}`);
      restore.push('RESET ALL');
      const own = JSON.parse(settings ?? '[]') as [string, string][];
      if (own.length > 0) {
        restore.push(`SELECT ${own.map(([name, value]) => `pg_catalog.set_config(${escape.escapeLiteral(name)}, ${escape.escapeLiteral(value)}, false)`).join(', ')}`);
      }
      return { exists: exists === 'true', table: schema ? `${schemaName(session, schema)}.${HISTORY_TABLE}` : null, restore };
    },
    isoTimestamp: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    timestampParam: (iso) => iso,
    placeholders: (count) => Array.from({ length: count }, (_, n) => `$${n + 1}`),
    currentUser: 'current_user',
    scriptClock: {
      startedAt: 'statement_timestamp()',
      finishedAt: 'clock_timestamp()',
      executionMs: 'round(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer',
    },
    literalFor(session) {
      const escape = client(session);
      return (value) => (value === null || value === undefined ? 'NULL' : typeof value === 'number' ? String(value) : escape.escapeLiteral(String(value)));
    },
    async insertReturningLastId(session, insert) {
      const result = await session.query(`${insert.sql} RETURNING id`, insert.params);
      return Number(result.rows.at(-1)![0]);
    },
    async runStatement(session, sql, copyData) {
      // Through the script path even alone: it feeds COPY ... FROM stdin its data.
      try {
        await runPostgresScript(session, [copyData === undefined ? { sql } : { sql, copyData }]);
      } catch (error) {
        throw toCabinetError(error instanceof ScriptFailed ? error.cause : error);
      }
    },
    lock: {
      acquire: { sql: 'SELECT pg_try_advisory_lock($1, $2)', params: [...LOCK_KEYS] },
      release: { sql: 'SELECT pg_advisory_unlock($1, $2)', params: [...LOCK_KEYS] },
      async holder(session: DbSession) {
        const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
        const result = await session.query(
          `SELECT a.pid, a.usename, a.application_name, host(a.client_addr), ${utc('a.backend_start')}, a.state, ${utc('a.state_change')}
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid`,
          [...LOCK_KEYS],
        );
        const row = result.rows[0] as (string | null)[] | undefined;
        if (!row) return null;
        const [pid, user, application, host, since, state, stateSince] = row;
        return {
          id: Number(pid),
          user: user ?? undefined,
          application: application || undefined,
          host: host ?? 'local socket',
          since: since ?? undefined,
          state: state ?? undefined,
          stateSince: stateSince ?? undefined,
        };
      },
    },
  };
}
