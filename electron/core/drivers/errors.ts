import { CabinetError } from '../../../shared/errors.ts';
import type { ConnectionParams } from '../../../shared/profiles.ts';

interface DriverErrorLike {
  code?: string | number;
  errno?: number;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  sqlState?: string;
  sqlMessage?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/** What PostgreSQL names beside a constraint error (its ErrorResponse fields); MySQL names none of them. */
export interface ServerErrorFields {
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/** An error the server reported for a statement (SQL_ERROR), with the fields it named. */
export class ServerSqlError extends CabinetError {
  constructor(
    data: ConstructorParameters<typeof CabinetError>[0],
    readonly fields: ServerErrorFields,
  ) {
    super(data);
  }
}

const where = (p: ConnectionParams) => `${p.host}:${p.port}`;

/**
 * Operating-system network errors while connecting, each as a sentence that says what it likely means.
 * (ENOTFOUND, ECONNREFUSED and ETIMEDOUT have codes of their own below.)
 */
const NETWORK_ERRORS: Record<string, (p: ConnectionParams) => string> = {
  EHOSTUNREACH: (p) => `No route to the host ${p.host}: it is off, or a firewall or network setting keeps it out of reach.`,
  ENETUNREACH: (p) => `The network of ${p.host} cannot be reached from this machine: check the address, the VPN or the network connection.`,
  ENETDOWN: () => 'This machine\'s network is down.',
  EHOSTDOWN: (p) => `The host ${p.host} is down.`,
  EADDRNOTAVAIL: (p) => `The address ${p.host} cannot be used from this machine: check that it is typed right.`,
  ECONNRESET: (p) => `The server at ${where(p)} closed the connection while it was being set up: it may not accept connections from here, or it is not a database server.`,
  ECONNABORTED: (p) => `The connection to ${where(p)} was aborted while it was being set up.`,
  EPIPE: (p) => `The server at ${where(p)} closed the connection while Cabinet was still writing to it.`,
  EACCES: (p) => `This machine does not allow connecting to ${where(p)} (permission denied): a firewall or security policy blocks it.`,
  EPERM: (p) => `This machine does not allow connecting to ${where(p)} (operation not permitted): a firewall or security policy blocks it.`,
  EAI_FAIL: (p) => `The name ${p.host} could not be looked up: the DNS server failed.`,
  EAI_NONAME: (p) => `Host "${p.host}" was not found.`,
  EPROTO: (p) => `The server at ${where(p)} answered with something Cabinet could not understand (a protocol error).`,
  ERR_SOCKET_BAD_PORT: (p) => `The port ${p.port} is not a number from 1 to 65535.`,
};

/** Maps a pg / mysql2 / socket error to a CabinetError a person can act on. */
export function toCabinetError(raw: unknown, params?: ConnectionParams): CabinetError {
  if (raw instanceof CabinetError) return raw;
  const err = (raw ?? {}) as DriverErrorLike;
  const message = String(err.sqlMessage ?? err.message ?? raw);
  const code = err.code === undefined ? '' : String(err.code);
  const sqlState = err.sqlState ?? (/^[0-9A-Z]{5}$/.test(code) ? code : undefined);

  if (params) {
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new CabinetError({ code: 'HOST_NOT_FOUND', message: `Host "${params.host}" was not found.`, detail: message });
    }
    if (code === 'ECONNREFUSED') {
      return new CabinetError({
        code: 'CONNECTION_REFUSED',
        message: `Nothing is listening on ${where(params)}: is the server running, and is the port right?`,
        detail: message,
      });
    }
    // pg says "timeout expired"; mysql2 ETIMEDOUT "connect ETIMEDOUT".
    if (code === 'ETIMEDOUT' || /^timeout expired$|connection timeout|connect ETIMEDOUT/i.test(message)) {
      return new CabinetError({
        code: 'TIMEOUT',
        message: `The server at ${where(params)} did not answer in time.`,
        detail: message,
      });
    }
    const network = NETWORK_ERRORS[code];
    if (network) return new CabinetError({ code: 'CONNECTION_REFUSED', message: network(params), detail: message });
    // PostgreSQL 28P01/28000, MySQL ER_ACCESS_DENIED_ERROR (1045)
    if (sqlState === '28P01' || sqlState === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || err.errno === 1045) {
      return new CabinetError({
        code: 'AUTH_FAILED',
        message: `The server refused user "${params.user}": wrong password, or the user may not connect from here.`,
        detail: message,
        sqlState,
      });
    }
    if (sqlState === '3D000' || code === 'ER_BAD_DB_ERROR' || err.errno === 1049) {
      return new CabinetError({
        code: 'DATABASE_NOT_FOUND',
        message: `The database "${params.database}" does not exist on ${where(params)}.`,
        detail: message,
        sqlState,
      });
    }
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'PROTOCOL_CONNECTION_LOST' || /Connection terminated|not queryable|closed state/i.test(message)) {
    return new CabinetError({ code: 'CONNECTION_LOST', message: 'The connection to the server was lost.', detail: message });
  }
  if (sqlState || err.errno) {
    const data: ConstructorParameters<typeof CabinetError>[0] = { code: 'SQL_ERROR', message };
    const detail = [err.detail, err.hint && `Hint: ${err.hint}`].filter(Boolean).join('\n');
    if (detail) data.detail = detail;
    if (sqlState) data.sqlState = sqlState;
    if (err.position) data.position = Number(err.position);
    const fields: ServerErrorFields = {};
    for (const name of ['schema', 'table', 'column', 'constraint'] as const) if (typeof err[name] === 'string') fields[name] = err[name];
    return new ServerSqlError(data, fields);
  }
  return new CabinetError({ code: 'INTERNAL', message });
}
