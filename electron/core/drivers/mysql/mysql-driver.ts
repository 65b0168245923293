import mysql from 'mysql2/promise';
import type { Capabilities } from '../../../../shared/api.ts';
import type { ConnectionParams } from '../../../../shared/profiles.ts';
import type { CellValue, ResultSet } from '../../../../shared/values.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectOptions, type Driver, type StatementCursor, type TransactionState } from '../driver.ts';
import { toCabinetError } from '../errors.ts';
import { mysqlStreamFor, peerNameProblem, planTls, serverRefusedTls, tlsError, type TlsPlan } from '../tls.ts';
import { mysqlVersionLabel } from '../server-probe.ts';
import { openMysqlStatement, type StreamingConnection } from './mysql-statement.ts';
import { quoteMysqlIdent } from '../../../../shared/identifiers.ts';
import { SessionLifecycle } from '../session-lifecycle.ts';
import { mysqlDefinition, listMysqlChildren } from './mysql-schema.ts';
import { exactConnectionOptions, mysqlTypeName } from './values.ts';

const capabilities: Capabilities = {
  schemas: false,
  materializedViews: false,
  transactionalDdl: false,
  functions: true,
  procedures: true,
};

export { quoteMysqlIdent } from '../../../../shared/identifiers.ts';

export class MysqlSession extends SessionLifecycle {
  readonly engine = 'mysql' as const;
  private transaction: TransactionState = 'idle';

  constructor(
    readonly connection: mysql.Connection,
    readonly serverVersion: string,
    /** Connection (thread) id: the target of KILL QUERY from a second connection. */
    readonly serverProcessId: number,
  ) {
    super(connection);
  }

  async openStatement(sql: string): Promise<StatementCursor> {
    const streaming = (this.connection as unknown as { connection: StreamingConnection }).connection;
    const cursor = await openMysqlStatement(streaming, sql, (state) => (this.transaction = state));
    if (cursor.done || cursor.columns.length === 0) await this.collectWarnings();
    return cursor;
  }

  transactionState(): TransactionState {
    return this.transaction;
  }

  /** MySQL keeps a statement's warnings until the next one: read them as messages. */
  async collectWarnings(): Promise<void> {
    const [rows] = await this.connection.query({ sql: 'SHOW WARNINGS', rowsAsArray: true }).catch(() => [[]]);
    for (const [level, code, message] of rows as [string, number, string][]) this.message({ severity: String(level).toUpperCase(), code: String(code), message: String(message) });
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<ResultSet> {
    try {
      // query(), not execute(): prepared statements would return binary-protocol values, and many DDL
      // statements cannot be prepared. Placeholders are still escaped by the driver, never concatenated here.
      let [rows, fields] = await this.connection.query({ sql, values: params as unknown[], rowsAsArray: true });
      // CALL answers with one result set per SELECT the procedure ran, then a status: show the last set.
      if (Array.isArray(fields) && fields.some((f) => Array.isArray(f))) {
        const last = fields.findLastIndex((f) => Array.isArray(f));
        rows = (rows as unknown[])[last] as typeof rows;
        fields = fields[last] as unknown as mysql.FieldPacket[];
      }
      if (!Array.isArray(rows)) {
        const header = rows as mysql.ResultSetHeader;
        return { columns: [], rows: [], rowCount: header.affectedRows ?? null };
      }
      return {
        columns: ((fields ?? []) as mysql.FieldPacket[]).map((f) => ({ name: f.name, type: mysqlTypeName(f) })),
        rows: rows as unknown as CellValue[][],
        rowCount: rows.length,
      };
    } catch (error) {
      throw toCabinetError(error);
    }
  }

  protected async end(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

export async function connectMysql(params: ConnectionParams, options: ConnectOptions): Promise<MysqlSession> {
  let connection: mysql.Connection;
  let tls: TlsPlan | undefined;
  try {
    tls = await planTls(params);
    const stream = mysqlStreamFor(params, tls);
    const open = (ssl: mysql.SslOptions | undefined) =>
      mysql.createConnection({
        host: params.host,
        port: params.port,
        user: params.user,
        password: options.password ?? '',
        database: params.database || undefined,
        ssl,
        connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        charset: 'utf8mb4',
        multipleStatements: false,
        ...exactConnectionOptions,
        ...(ssl && stream ? { stream } : {}),
      });
    // mysql2 takes the PEM texts and two switches: it checks the host name only when `verifyIdentity` is set.
    const ssl: mysql.SslOptions | undefined = tls.options && {
      ca: tls.options.ca,
      cert: tls.options.cert,
      key: tls.options.key,
      rejectUnauthorized: tls.verifyChain,
      verifyIdentity: tls.verifyHostName,
    };
    try {
      connection = await open(ssl);
    } catch (error) {
      // sslmode=prefer: plain text only when the server says it has no TLS (HANDSHAKE_NO_SSL_SUPPORT).
      if (tls.fallbackToPlain && serverRefusedTls(error)) {
        connection = await open(undefined);
      } else {
        throw error;
      }
    }
    // The promise wrapper's core connection holds the (TLS) socket; mysql2's typings do not show it.
    const core = (connection as unknown as { connection?: { stream?: unknown } }).connection;
    const nameProblem = peerNameProblem(core?.stream, params, tls);
    if (nameProblem) {
      connection.destroy();
      throw nameProblem;
    }
  } catch (error) {
    throw (tls && tlsError(error, params, tls)) ?? toCabinetError(error, params);
  }
  connection.on('error', () => undefined);
  const [rows] = await connection.query({ sql: 'select version(), connection_id()', rowsAsArray: true });
  const [version, threadId] = (rows as string[][])[0]!;
  return new MysqlSession(connection, mysqlVersionLabel(String(version)), Number(threadId));
}

export const mysqlDriver: Driver = {
  engine: 'mysql',
  capabilities,
  connect: connectMysql,
  quoteIdent: quoteMysqlIdent,
  listChildren: (session, path) => listMysqlChildren(session, path),
  definition: mysqlDefinition,
  async cancel(via, target) {
    try {
      await via.query(`KILL QUERY ${Number(target.serverProcessId)}`);
      return true;
    } catch (error) {
      // ER_NO_SUCH_THREAD (1094): the session is gone; nothing to cancel.
      if ((error as { sqlState?: string; message?: string }).message?.includes('Unknown thread id')) return false;
      throw error;
    }
  },
};
