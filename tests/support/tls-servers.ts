/**
 * Throwaway servers with TLS for the TLS tests: certificates made with `openssl`, a PostgreSQL cluster made
 * with Debian's PostgreSQL 15 `initdb`/`pg_ctl`, and a second MariaDB in its own data directory, each on a
 * free port of 127.0.0.1. The machine's own servers (5432, 3306) are left alone.
 *
 * The server certificate names only "localhost" (no IP address), so verify-full passes for host
 * `localhost` and fails for `127.0.0.1`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, chown, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';

const run = promisify(execFile);

const PG_BIN = process.env.CABINET_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The client certificate's common name: the user that logs in with it on both test servers. */
export const CERT_USER = 'cabinet_cert';

export interface TlsFiles {
  /** Everything the tests made lives under here; delete it when done. */
  dir: string;
  caCert: string;
  /** A CA that signed nothing the servers use: trusting it alone must fail. */
  otherCaCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A file that exists but holds no certificate. */
  notPem: string;
}

export interface TlsServer {
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string, cn: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await run('openssl', [
    'req', '-x509', '-new', ...EC_KEY, '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert, key };
}

async function makeLeaf(dir: string, name: string, cn: string, ca: { cert: string; key: string }, extensions: string[]) {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, ['basicConstraints=CA:FALSE', ...extensions, ''].join('\n'));
  await run('openssl', ['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { cert, key };
}

/** A CA, a server certificate for "localhost" only, a client certificate for CERT_USER, and a CA that signed neither. */
export async function makeCertificates(): Promise<TlsFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-tls-'));
  // The PostgreSQL server runs as another OS user and must reach its directory inside this one.
  await chmod(dir, 0o755);
  const certs = join(dir, 'certs');
  await mkdir(certs);
  const [ca, other] = await Promise.all([makeCa(certs, 'ca', 'Cabinet Test CA'), makeCa(certs, 'other-ca', 'Cabinet Other CA')]);
  const [server, client] = await Promise.all([
    makeLeaf(certs, 'server', 'localhost', ca, ['subjectAltName=DNS:localhost', 'extendedKeyUsage=serverAuth']),
    makeLeaf(certs, 'client', CERT_USER, ca, ['extendedKeyUsage=clientAuth']),
  ]);
  const notPem = join(certs, 'not-a-certificate.pem');
  await writeFile(notPem, 'this is not a certificate\n');
  return {
    dir,
    caCert: ca.cert,
    otherCaCert: other.cert,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    notPem,
  };
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` OS user. */
function asPostgres(command: string, args: string[]) {
  return isRoot() ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
}

/**
 * A PostgreSQL cluster with ssl=on: trust for everyone on 127.0.0.1, except CERT_USER, who must log in over
 * TLS with a client certificate signed by the test CA.
 */
export async function startTlsPostgres(files: TlsFiles): Promise<TlsServer> {
  const base = join(files.dir, 'postgres');
  const data = join(base, 'data');
  await mkdir(base);
  // The server wants its key private to the user it runs as.
  await copyFile(files.serverCert, join(base, 'server.crt'));
  await copyFile(files.serverKey, join(base, 'server.key'));
  await copyFile(files.caCert, join(base, 'ca.crt'));
  await chmod(join(base, 'server.key'), 0o600);
  if (isRoot()) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    for (const path of [base, join(base, 'server.crt'), join(base, 'server.key'), join(base, 'ca.crt')]) {
      await chown(path, Number(uid.stdout), Number(gid.stdout));
    }
  }
  await asPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${base}'`,
    'ssl = on',
    `ssl_cert_file = '${join(base, 'server.crt')}'`,
    `ssl_key_file = '${join(base, 'server.key')}'`,
    `ssl_ca_file = '${join(base, 'ca.crt')}'`,
    'fsync = off',
    'max_connections = 30',
    '',
  ].join('\n');
  const hba = [
    'local all all trust',
    `hostssl all ${CERT_USER} 127.0.0.1/32 cert`,
    `host all ${CERT_USER} 127.0.0.1/32 reject`,
    'host all all 127.0.0.1/32 trust',
    '',
  ].join('\n');
  // Root may write the files initdb made; they keep their owner.
  await appendFile(join(data, 'postgresql.conf'), conf);
  await writeFile(join(data, 'pg_hba.conf'), hba);
  const log = join(base, 'server.log');
  await asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '30', 'start']);
  const stop = async () => {
    await asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`create role ${CERT_USER} login`);
    await admin.end();
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

async function waitForMysql(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}; see ${log}`);
    try {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '', connectTimeout: 1_000 });
      await conn.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd did not start on port ${port}; see ${log}`);
}

/**
 * A second MariaDB with TLS, root with an empty password, and CERT_USER who must present a client
 * certificate (REQUIRE X509).
 */
export async function startTlsMariadb(files: TlsFiles): Promise<TlsServer> {
  const base = join(files.dir, 'mariadb');
  const data = join(base, 'data');
  await mkdir(base);
  // --no-defaults: the machine's my.cnf (user, datadir, port) must not leak into this instance.
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, `--user=${userInfo().username}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
  const port = await freePort();
  const log = join(base, 'error.log');
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(base, 'mariadb.sock')}`,
      `--pid-file=${join(base, 'mariadb.pid')}`,
      `--log-error=${log}`,
      `--user=${userInfo().username}`,
      '--skip-name-resolve',
      `--ssl-ca=${files.caCert}`,
      `--ssl-cert=${files.serverCert}`,
      `--ssl-key=${files.serverKey}`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForMysql(port, child, log);
    const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
    await admin.query(`create user '${CERT_USER}'@'127.0.0.1' require x509`);
    await admin.end();
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}
