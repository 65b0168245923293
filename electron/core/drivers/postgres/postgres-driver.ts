import pg from 'pg';
import type { Capabilities } from '../../../../shared/api.ts';
import type { ConnectionParams } from '../../../../shared/profiles.ts';
import type { TreeNode } from '../../../../shared/tree.ts';
import type { CellValue, ResultSet } from '../../../../shared/values.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions, type Driver, type StatementCursor, type TransactionState } from '../driver.ts';
import { toCabinetError } from '../errors.ts';
import { planTls, serverRefusedTls, tlsError, type TlsPlan } from '../tls.ts';
import { quotePostgresIdent } from '../../../../shared/identifiers.ts';
import { SessionLifecycle } from '../session-lifecycle.ts';
import { postgresDefinition, listPostgresChildren } from './postgres-schema.ts';
import { openPostgresStatement } from './postgres-statement.ts';
import { exactTypes, pgTypeName } from './values.ts';

const capabilities: Capabilities = {
  schemas: true,
  materializedViews: true,
  transactionalDdl: true,
  functions: true,
  procedures: true,
};

export { quotePostgresIdent } from '../../../../shared/identifiers.ts';

const TRANSACTION_STATES: Record<string, TransactionState> = { I: 'idle', T: 'open', E: 'failed' };

export class PostgresSession extends SessionLifecycle {
  readonly engine = 'postgres' as const;
  private transaction: TransactionState = 'idle';

  constructor(
    readonly client: pg.Client,
    readonly serverVersion: string,
    /** Backend process id: the target of pg_cancel_backend and the key of pg_stat_activity. */
    readonly serverProcessId: number,
  ) {
    super(client);
    // ReadyForQuery carries the transaction status after every statement: I(dle), T(ransaction), E(rror).
    const connection = (client as unknown as { connection: { on(event: 'readyForQuery', listener: (msg: { status: string }) => void): void } }).connection;
    connection.on('readyForQuery', (msg) => (this.transaction = TRANSACTION_STATES[msg.status] ?? this.transaction));
    client.on('notice', (notice) => this.message({ severity: notice.severity ?? 'NOTICE', message: notice.message ?? '', code: notice.code }));
  }

  openStatement(sql: string): Promise<StatementCursor> {
    return openPostgresStatement(this.client, sql);
  }

  transactionState(): TransactionState {
    return this.transaction;
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<ResultSet> {
    try {
      const result = await this.client.query({ text: sql, values: params as unknown[], rowMode: 'array', types: exactTypes });
      // A multi-statement simple query answers with an array; the last one is what a person reads.
      const last = Array.isArray(result) ? (result[result.length - 1] as pg.QueryArrayResult) : result;
      return {
        columns: (last.fields ?? []).map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) })),
        rows: (last.rows ?? []) as CellValue[][],
        rowCount: last.rowCount ?? null,
        command: last.command,
      };
    } catch (error) {
      throw toCabinetError(error);
    }
  }

  protected async end(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

export async function connectPostgres(params: ConnectionParams, options: ConnectOptions): Promise<PostgresSession> {
  const attempt = async (ssl: pg.ClientConfig['ssl']) => {
    const client = new pg.Client({
      host: params.host,
      port: params.port,
      user: params.user,
      password: options.password ?? '',
      database: params.database || params.user || 'postgres',
      ssl,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      application_name: options.applicationName ?? 'Cabinet',
      types: exactTypes,
    });
    // Before connect() resolves, errors surface through its promise; a stray 'error' must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  let client: pg.Client;
  let tls: TlsPlan | undefined;
  try {
    tls = await planTls(params);
    try {
      client = await attempt(tls.options ?? false);
    } catch (error) {
      // sslmode=prefer falls back to plain text only when the server has no TLS; a certificate error stays one.
      if (tls.fallbackToPlain && serverRefusedTls(error)) {
        client = await attempt(false);
      } else {
        throw error;
      }
    }
  } catch (error) {
    throw (tls && tlsError(error, params, tls)) ?? toCabinetError(error, params);
  }
  const info = await client.query<{ v: string; pid: number }>("select current_setting('server_version') as v, pg_backend_pid() as pid");
  const row = info.rows[0]!;
  return new PostgresSession(client, `PostgreSQL ${row.v}`, Number(row.pid));
}

export const postgresDriver: Driver = {
  engine: 'postgres',
  capabilities,
  connect: connectPostgres,
  quoteIdent: quotePostgresIdent,
  listChildren: (session, path): Promise<TreeNode[]> => listPostgresChildren(session, path),
  definition: postgresDefinition,
  async cancel(via, target) {
    const answer = await via.query('select pg_cancel_backend($1)', [target.serverProcessId]);
    return answer.rows[0]?.[0] === 'true';
  },
  databaseOf: (path) => path[0],
};
