import { CabinetError } from './errors.ts';
import { DEFAULT_PORTS, DEFAULT_USERS, PORT_MAX, PORT_MIN, SSL_MODES, type ConnectionParams, type Engine, type SslMode } from './profiles.ts';

export interface ParsedConnectionUrl extends ConnectionParams {
  /** Decoded password, when the URL carried one. */
  password?: string;
}

const SCHEMES: Record<string, Engine> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** libpq's names for the TLS files, and the profile fields they fill. */
const TLS_FILE_OPTIONS = [
  ['sslrootcert', 'sslRootCert'],
  ['sslcert', 'sslCert'],
  ['sslkey', 'sslKey'],
] as const;

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < PORT_MIN || Number(text) > PORT_MAX) {
    throw badUrl(`The port "${text}" is not a number from ${PORT_MIN} to ${PORT_MAX}.`);
  }
  return Number(text);
}

function badUrl(message: string): CabinetError {
  return new CabinetError({ code: 'BAD_URL', message });
}

function decodePart(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badUrl(`The ${what} in the URL has a broken %-escape: "${part}".`);
  }
}

/**
 * Parses a DATABASE_URL such as `postgres://user:secret@localhost:5432/app?sslmode=require`.
 * Every error names the part of the URL that is wrong.
 */
export function parseConnectionUrl(input: string): ParsedConnectionUrl {
  const text = input.trim().replace(/^jdbc:/i, '');
  if (text === '') throw badUrl('The URL is empty.');
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/s.exec(text);
  if (!schemeMatch) {
    throw badUrl('The URL must start with a scheme: postgres://, postgresql://, mysql:// or mariadb://.');
  }
  const scheme = schemeMatch[1]!.toLowerCase();
  const engine = SCHEMES[scheme];
  if (!engine) {
    throw badUrl(
      `The scheme "${schemeMatch[1]}://" is not supported: use postgres://, postgresql://, mysql:// or mariadb://.`,
    );
  }
  let rest = schemeMatch[2]!;

  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let path = '';
  // The authority ends at the first '/' after the last '@' (passwords may contain '/' only when escaped).
  const at = rest.lastIndexOf('@');
  const slash = rest.indexOf('/', at + 1);
  if (slash >= 0) {
    path = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }

  let user = '';
  let password: string | undefined;
  let hostPort = rest;
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    hostPort = rest.slice(at + 1);
    const colon = userInfo.indexOf(':');
    if (colon >= 0) {
      user = decodePart(userInfo.slice(0, colon), 'user name');
      password = decodePart(userInfo.slice(colon + 1), 'password');
    } else {
      user = decodePart(userInfo, 'user name');
    }
  }

  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw badUrl(`The host "${hostPort}" opens an IPv6 bracket "[" but never closes it.`);
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw badUrl(`Unexpected text "${after}" after the host "[${host}]".`);
      portText = after.slice(1);
    }
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      portText = hostPort.slice(colon + 1);
    } else {
      host = hostPort;
    }
  }
  host = decodePart(host, 'host');

  const params: Record<string, string> = {};
  if (query !== '') {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodePart(eq >= 0 ? pair.slice(0, eq) : pair, 'query parameter name');
      const value = decodePart(eq >= 0 ? pair.slice(eq + 1).replace(/\+/g, ' ') : '', `value of "${key}"`);
      params[key] = value;
    }
  }
  // libpq style: ?host=/var/run/postgresql or ?host=db.internal
  if (host === '' && params.host) {
    host = params.host;
    delete params.host;
  }
  if (host === '') throw badUrl('The URL has no host: write it after "://", for example postgres://localhost:5432/mydb.');
  if (/[\s/\\]/.test(host)) throw badUrl(`The host "${host}" contains characters a host name cannot have.`);

  let port = DEFAULT_PORTS[engine];
  if (portText !== undefined && portText !== '') {
    port = parsePort(portText);
  }

  const database = decodePart(path.replace(/\/+$/, ''), 'database name');
  if (database.includes('/')) throw badUrl(`The database name "${database}" contains "/"; a URL names one database.`);

  let sslMode: SslMode = 'prefer';
  const sslKey = ['sslmode', 'ssl-mode', 'ssl'].find((k) => k in params);
  if (sslKey) {
    const raw = params[sslKey]!.toLowerCase();
    delete params[sslKey];
    const mapped: Record<string, SslMode> = {
      true: 'require',
      '1': 'require',
      false: 'disable',
      '0': 'disable',
      required: 'require',
      preferred: 'prefer',
      disabled: 'disable',
      verify_ca: 'verify-ca',
      verify_identity: 'verify-full',
      'no-verify': 'require',
      allow: 'prefer',
    };
    const mode = (SSL_MODES as readonly string[]).includes(raw) ? (raw as SslMode) : mapped[raw];
    if (!mode) {
      throw badUrl(`The ${sslKey} value "${params[sslKey] ?? raw}" is not known: use disable, prefer, require, verify-ca or verify-full.`);
    }
    sslMode = mode;
  }
  for (const key of ['user', 'password', 'port', 'dbname']) {
    if (!(key in params)) continue;
    const value = params[key]!;
    delete params[key];
    if (key === 'user' && user === '') user = value;
    if (key === 'password' && password === undefined) password = value;
    if (key === 'dbname') continue;
    if (key === 'port') {
      port = parsePort(value);
    }
  }

  const files: Partial<Pick<ConnectionParams, 'sslRootCert' | 'sslCert' | 'sslKey'>> = {};
  for (const [key, field] of TLS_FILE_OPTIONS) {
    if (!(key in params)) continue;
    if (params[key] !== '') files[field] = params[key];
    delete params[key];
  }
  const unsupported = Object.keys(params);
  if (unsupported.length > 0) {
    const names = unsupported.map((k) => `"${k}"`).join(', ');
    throw badUrl(
      `The URL option${unsupported.length > 1 ? 's' : ''} ${names} ${unsupported.length > 1 ? 'are' : 'is'} not supported by Cabinet: remove ${unsupported.length > 1 ? 'them' : 'it'} (supported: sslmode, sslrootcert, sslcert, sslkey, user, password, port, dbname, host).`,
    );
  }

  const parsed: ParsedConnectionUrl = {
    engine,
    host,
    port,
    user: user || DEFAULT_USERS[engine],
    database,
    sslMode,
    ...files,
  };
  if (password !== undefined) parsed.password = password;
  return parsed;
}

/** The inverse, for copying a profile as a URL (the password is left out unless given). */
export function formatConnectionUrl(params: ConnectionParams, password?: string): string {
  const scheme = params.engine === 'postgres' ? 'postgres' : 'mysql';
  const auth =
    encodeURIComponent(params.user) + (password ? `:${encodeURIComponent(password)}` : '') + (params.user || password ? '@' : '');
  const host = params.host.includes(':') ? `[${params.host}]` : params.host;
  const query = new URLSearchParams();
  for (const [key, field] of TLS_FILE_OPTIONS) {
    const value = params[field];
    if (value) query.set(key, value);
  }
  if (params.sslMode !== 'prefer') query.set('sslmode', params.sslMode);
  const qs = query.toString();
  return `${scheme}://${auth}${host}:${params.port}/${encodeURIComponent(params.database)}${qs ? `?${qs}` : ''}`;
}
