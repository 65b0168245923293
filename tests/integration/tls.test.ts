/**
 * The five SSL modes as libpq means them, on both engines, against real servers: a PostgreSQL cluster and a
 * MariaDB that this file starts with TLS and certificates it makes, and the machine's own servers (no TLS)
 * for the plain-text cases. Sessions are opened through the connector, as the app opens them.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../electron/core/connections/connector.ts';
import type { DbSession } from '../../electron/core/drivers/driver.ts';
import { CabinetError } from '../../shared/errors.ts';
import type { ConnectionParams, Engine } from '../../shared/profiles.ts';
import { MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT } from '../support/databases.ts';
import { CERT_USER, makeCertificates, startTlsMariadb, startTlsPostgres, type TlsFiles, type TlsServer } from '../support/tls-servers.ts';

const purpose = { applicationName: 'Cabinet TLS test', connectTimeoutMs: 5_000 };

let files: TlsFiles;
const servers: Partial<Record<Engine, TlsServer>> = {};

beforeAll(async () => {
  files = await makeCertificates();
  const [postgres, mysql] = await Promise.allSettled([startTlsPostgres(files), startTlsMariadb(files)]);
  if (postgres.status === 'fulfilled') servers.postgres = postgres.value;
  if (mysql.status === 'fulfilled') servers.mysql = mysql.value;
  for (const result of [postgres, mysql]) if (result.status === 'rejected') throw result.reason;
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  if (files) await rm(files.dir, { recursive: true, force: true });
}, 60_000);

async function open(params: ConnectionParams): Promise<DbSession> {
  return connect({ params }, purpose);
}

async function refused(params: ConnectionParams): Promise<CabinetError> {
  const outcome = await open(params).then(
    async (session) => {
      await session.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(outcome, 'expected the connection to be refused').toBeInstanceOf(CabinetError);
  return outcome as CabinetError;
}

interface EngineCase {
  label: string;
  engine: Engine;
  admin: string;
  database: string;
  /** The machine's own server, which has no TLS. */
  plain: { host: string; port: number };
  usesTls(session: DbSession): Promise<boolean>;
  serverHasTls(session: DbSession): Promise<boolean>;
  currentUser(session: DbSession): Promise<string>;
}

const cases: EngineCase[] = [
  {
    label: 'PostgreSQL',
    engine: 'postgres',
    admin: 'postgres',
    database: 'postgres',
    plain: { host: PG_HOST, port: PG_PORT },
    usesTls: async (s) => (await s.query('select ssl::text from pg_stat_ssl where pid = pg_backend_pid()')).rows[0]?.[0] === 'true',
    serverHasTls: async (s) => (await s.query('show ssl')).rows[0]?.[0] === 'on',
    currentUser: async (s) => String((await s.query('select current_user')).rows[0]?.[0]),
  },
  {
    label: 'MariaDB',
    engine: 'mysql',
    admin: 'root',
    database: '',
    plain: { host: MYSQL_HOST, port: MYSQL_PORT },
    usesTls: async (s) => Boolean((await s.query("show status like 'Ssl_cipher'")).rows[0]?.[1]),
    serverHasTls: async (s) => (await s.query("show variables like 'have_ssl'")).rows[0]?.[1] === 'YES',
    currentUser: async (s) => String((await s.query('select current_user()')).rows[0]?.[0]).replace(/@.*$/, ''),
  },
];

describe.each(cases)('$label: TLS modes', (c) => {
  /** The TLS server at 127.0.0.1, a name its certificate does not carry. */
  const tlsServer = (sslMode: ConnectionParams['sslMode'], extra: Partial<ConnectionParams> = {}): ConnectionParams => ({
    engine: c.engine,
    host: '127.0.0.1',
    port: servers[c.engine]!.port,
    user: c.admin,
    database: c.database,
    sslMode,
    ...extra,
  });
  const plainServer = (sslMode: ConnectionParams['sslMode']): ConnectionParams => ({
    engine: c.engine,
    ...c.plain,
    user: c.admin,
    database: c.database,
    sslMode,
  });

  async function expectTls(params: ConnectionParams, tls: boolean): Promise<void> {
    const session = await open(params);
    try {
      expect(await c.usesTls(session)).toBe(tls);
    } finally {
      await session.close();
    }
  }

  it('disable: plain text, even where the server has TLS', async () => {
    await expectTls(tlsServer('disable'), false);
  });

  it('prefer: TLS where the server has it', async () => {
    await expectTls(tlsServer('prefer'), true);
  });

  it('prefer: plain text on a server without TLS', async (ctx) => {
    const probe = await open(plainServer('disable'));
    const hasTls = await c.serverHasTls(probe);
    await probe.close();
    if (hasTls) ctx.skip(); // the fallback cannot be seen on a server that has TLS
    await expectTls(plainServer('prefer'), false);
  });

  it('require: TLS without a certificate check', async () => {
    await expectTls(tlsServer('require'), true);
  });

  it('require: a server without TLS is refused, saying why', async (ctx) => {
    const probe = await open(plainServer('disable'));
    const hasTls = await c.serverHasTls(probe);
    await probe.close();
    if (hasTls) ctx.skip();
    const error = await refused(plainServer('require'));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toContain('does not accept TLS');
    expect(error.message).toContain(`${c.plain.host}:${c.plain.port}`);
    expect(error.detail).toBeTruthy();
  });

  it('require with a CA file checks the chain as verify-ca does (libpq)', async () => {
    await expectTls(tlsServer('require', { sslRootCert: files.caCert }), true);
    const error = await refused(tlsServer('require', { sslRootCert: files.otherCaCert }));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toContain("The server's certificate is not trusted by the CA certificate file");
    expect(error.message).toContain(files.otherCaCert);
  });

  it('verify-ca with the CA file: passes, though the certificate does not name 127.0.0.1', async () => {
    await expectTls(tlsServer('verify-ca', { sslRootCert: files.caCert }), true);
  });

  it('verify-ca without the CA file: the self-made CA is not trusted', async () => {
    const error = await refused(tlsServer('verify-ca'));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toMatch(/^The server's certificate is not trusted \(.+\): give the CA certificate file, or use sslmode=require\.$/);
    expect(error.detail).toBeTruthy();
  });

  it('verify-ca with a CA that did not sign the certificate fails', async () => {
    const error = await refused(tlsServer('verify-ca', { sslRootCert: files.otherCaCert }));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toContain(files.otherCaCert);
  });

  it('verify-full with the name on the certificate passes', async () => {
    await expectTls(tlsServer('verify-full', { host: 'localhost', sslRootCert: files.caCert }), true);
  });

  it('verify-full with a name not on the certificate fails, naming both', async () => {
    const error = await refused(tlsServer('verify-full', { sslRootCert: files.caCert }));
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toContain('"127.0.0.1"');
    expect(error.message).toContain('"localhost"');
    expect(error.message).toContain('sslmode=verify-ca');
    expect(error.detail).toMatch(/altnames|certificate/i);
  });

  it('a CA file that cannot be read is BAD_INPUT naming the file and the field', async () => {
    const missing = join(files.dir, 'no-such-ca.pem');
    const error = await refused(tlsServer('verify-full', { host: 'localhost', sslRootCert: missing }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toBe(`The CA certificate file ${missing} (sslRootCert) cannot be read: ENOENT`);
  });

  it('a CA file that holds no certificate is BAD_INPUT', async () => {
    const error = await refused(tlsServer('verify-ca', { sslRootCert: files.notPem }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain(files.notPem);
    expect(error.message).toContain('does not hold a PEM certificate');
  });

  it('a client certificate without its key, or with the wrong key, is BAD_INPUT', async () => {
    const alone = await refused(tlsServer('require', { sslCert: files.clientCert }));
    expect(alone.code).toBe('BAD_INPUT');
    expect(alone.message).toContain('sslKey');
    const mismatched = await refused(tlsServer('require', { sslCert: files.clientCert, sslKey: files.serverKey }));
    expect(mismatched.code).toBe('BAD_INPUT');
    expect(mismatched.message).toContain('is not the key of the client certificate file');
  });

  it('a client certificate logs in the user it names; without it that user is refused', async () => {
    const withCert = tlsServer('verify-full', {
      host: 'localhost',
      user: CERT_USER,
      sslRootCert: files.caCert,
      sslCert: files.clientCert,
      sslKey: files.clientKey,
    });
    const session = await open(withCert);
    try {
      expect(await c.usesTls(session)).toBe(true);
      expect(await c.currentUser(session)).toBe(CERT_USER);
    } finally {
      await session.close();
    }
    const error = await refused({ ...withCert, sslCert: undefined, sslKey: undefined });
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain(CERT_USER);
  });
});
