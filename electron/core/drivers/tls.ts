/**
 * What the SSL mode and the certificate files of a connection mean, for both engines: libpq's five modes,
 * as libpq documents them.
 *
 * - disable: plain text.
 * - prefer: TLS without any certificate check; plain text when the server says it has no TLS.
 * - require: TLS only, no certificate check. If a CA certificate file is given, the chain is checked
 *   against it, as verify-ca would (libpq does the same when a root CA file is present).
 * - verify-ca: TLS only; the server's chain must lead to the given CA (or to Node's default roots when
 *   none is given). The host name is not checked.
 * - verify-full: as verify-ca, and the certificate must name the host connected to.
 *
 * A client certificate and key, when given, are offered in every mode that tries TLS.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { CabinetError } from '../../../shared/errors.ts';
import type { ConnectionParams } from '../../../shared/profiles.ts';

/** Options for Node's `tls.connect`, as pg's `ssl` takes them; the PEM files' texts as strings. */
export type TlsOptions = Omit<ConnectionOptions, 'ca' | 'cert' | 'key'> & { ca?: string; cert?: string; key?: string };

export interface TlsPlan {
  /** The first attempt's TLS options; undefined: plain text. */
  options: TlsOptions | undefined;
  /** sslmode=prefer: connect again in plain text when the server says it does not support TLS. */
  fallbackToPlain: boolean;
  /** The server's chain is checked (verify-ca, verify-full, require with a CA file). */
  verifyChain: boolean;
  /** The certificate must name the host (verify-full). */
  verifyHostName: boolean;
}

type FileField = 'sslRootCert' | 'sslCert' | 'sslKey';

const FILE_LABELS: Record<FileField, string> = {
  sslRootCert: 'CA certificate file',
  sslCert: 'client certificate file',
  sslKey: 'client key file',
};

const badFile = (field: FileField, path: string, problem: string, detail?: string) =>
  new CabinetError({ code: 'BAD_INPUT', message: `The ${FILE_LABELS[field]} ${path} (${field}) ${problem}`, detail });

async function readPem(field: FileField, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw badFile(field, path, `cannot be read: ${code}`, (error as Error).message);
  }
}

function parseCertificate(field: 'sslRootCert' | 'sslCert', path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw badFile(field, path, 'does not hold a PEM certificate.', (error as Error).message);
  }
}

function parseKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    const encrypted = (error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE';
    throw badFile(
      'sslKey',
      path,
      encrypted ? 'is protected by a passphrase, which Cabinet does not support: give an unencrypted key.' : 'does not hold a PEM private key.',
      (error as Error).message,
    );
  }
}

/** The client certificate and key, read and checked to be a pair. */
async function clientIdentity(params: ConnectionParams): Promise<Pick<TlsOptions, 'cert' | 'key'>> {
  const { sslCert, sslKey } = params;
  if (!sslCert && !sslKey) return {};
  if (!sslCert || !sslKey) {
    throw new CabinetError({
      code: 'BAD_INPUT',
      message: sslCert
        ? `The client certificate file ${sslCert} (sslCert) needs its key: give the client key file (sslKey) too.`
        : `The client key file ${sslKey} (sslKey) needs its certificate: give the client certificate file (sslCert) too.`,
    });
  }
  const [cert, key] = await Promise.all([readPem('sslCert', sslCert), readPem('sslKey', sslKey)]);
  const certificate = parseCertificate('sslCert', sslCert, cert);
  if (!certificate.checkPrivateKey(parseKey(sslKey, key))) {
    throw new CabinetError({
      code: 'BAD_INPUT',
      message: `The client key file ${sslKey} (sslKey) is not the key of the client certificate file ${sslCert} (sslCert).`,
    });
  }
  return { cert, key };
}

/** Reads the PEM files the mode uses and works out what to offer the server. */
export async function planTls(params: ConnectionParams): Promise<TlsPlan> {
  const mode = params.sslMode;
  if (mode === 'disable') return { options: undefined, fallbackToPlain: false, verifyChain: false, verifyHostName: false };

  const options: TlsOptions = { ...(await clientIdentity(params)) };
  // SNI, as libpq sends it; never an IP address (RFC 6066).
  if (isIP(params.host) === 0) options.servername = params.host;

  const caPath = mode === 'prefer' ? undefined : params.sslRootCert;
  if (caPath) {
    const ca = await readPem('sslRootCert', caPath);
    parseCertificate('sslRootCert', caPath, ca);
    options.ca = ca;
  }
  const verifyChain = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && caPath !== undefined);
  const verifyHostName = mode === 'verify-full';
  options.rejectUnauthorized = verifyChain;
  // The chain without the name: Node checks both unless told the name is fine.
  if (verifyChain && !verifyHostName) options.checkServerIdentity = () => undefined;
  return { options, fallbackToPlain: mode === 'prefer', verifyChain, verifyHostName };
}

/**
 * mysql2 leaves the host name check to Node, which takes the name from SNI and, for an IP address (no SNI),
 * from the socket's `_host`; Node's `net` sets that only for names, so an IP host would be checked as
 * "localhost". For verify-full on an IP address, mysql2 is handed a TCP socket that knows its host.
 */
export function mysqlStreamFor(params: ConnectionParams, plan: TlsPlan): (() => Socket) | undefined {
  if (!plan.verifyHostName || isIP(params.host) === 0) return undefined;
  return () => {
    const socket = connectTcp(params.port, params.host);
    socket.setNoDelay(true);
    Object.assign(socket, { _host: params.host });
    return socket;
  };
}

/**
 * After the handshake, whether the peer's certificate names the host: a second check for verify-full on
 * MySQL, should Node's fallback above ever change. Undefined when it does (or when not asked to check).
 */
export function peerNameProblem(stream: unknown, params: ConnectionParams, plan: TlsPlan): Error | undefined {
  if (!plan.verifyHostName) return undefined;
  const getPeerCertificate = (stream as { getPeerCertificate?: () => PeerCertificate } | undefined)?.getPeerCertificate;
  if (typeof getPeerCertificate !== 'function') return new Error('The connection is not encrypted.');
  return checkServerIdentity(params.host, getPeerCertificate.call(stream));
}

/** pg: "The server does not support SSL connections"; mysql2: HANDSHAKE_NO_SSL_SUPPORT. */
export function serverRefusedTls(raw: unknown): boolean {
  const err = (raw ?? {}) as { code?: unknown; message?: unknown };
  return err.code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support SSL/i.test(String(err.message ?? ''));
}

/** OpenSSL's chain verification failures, as Node names them on the error's `code`. */
const CHAIN_ERROR_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
]);

interface TlsErrorLike {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
  host?: unknown;
  cert?: { subject?: { CN?: string | string[] }; subjectaltname?: string };
  sqlState?: unknown;
}

/** The names a certificate is valid for: its subjectAltName entries, else its common name. */
function certificateNames(cert: TlsErrorLike['cert']): string {
  const alt = cert?.subjectaltname
    ?.split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const cn = cert?.subject?.CN;
  const names = alt && alt.length > 0 ? alt : cn ? [cn].flat() : [];
  return names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'no host names';
}

/**
 * A TLS failure said so that a person can act on it, or undefined when the error is not about TLS.
 * The driver's own text stays in `detail`.
 */
export function tlsError(raw: unknown, params: ConnectionParams, plan: TlsPlan): CabinetError | undefined {
  if (raw instanceof CabinetError) return undefined;
  const err = (raw ?? {}) as TlsErrorLike;
  const message = String(err.message ?? raw);
  const code = typeof err.code === 'string' ? err.code : '';
  const where = `${params.host}:${params.port}`;

  if (serverRefusedTls(raw)) {
    return new CabinetError({
      code: 'TLS_FAILED',
      message: `The server at ${where} does not accept TLS connections, and sslmode=${params.sslMode} needs TLS: turn TLS on at the server, or use sslmode=prefer or disable.`,
      detail: message,
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || (err.cert !== undefined && err.reason !== undefined)) {
    return new CabinetError({
      code: 'TLS_FAILED',
      message: `The server's certificate is not valid for the host name "${params.host}": it names ${certificateNames(err.cert)}. Connect with one of those names, or use sslmode=verify-ca to check the certificate without the host name.`,
      detail: message,
    });
  }
  // mysql2 replaces the TLS error's code with HANDSHAKE_SSL_ERROR, keeping Node's message.
  const chainFailure =
    plan.verifyChain &&
    (CHAIN_ERROR_CODES.has(code) || (code === 'HANDSHAKE_SSL_ERROR' && /certificate|self[- ]signed|issuer/i.test(message)));
  if (chainFailure) {
    const reason = message.replace(/^Error:\s*/, '');
    return new CabinetError({
      code: 'TLS_FAILED',
      message: params.sslRootCert
        ? `The server's certificate is not trusted by the CA certificate file ${params.sslRootCert} (${reason}): give the CA that signed the server's certificate.`
        : `The server's certificate is not trusted (${reason}): give the CA certificate file, or use sslmode=require.`,
      detail: message,
    });
  }
  if (code === 'HANDSHAKE_SSL_ERROR' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return new CabinetError({ code: 'TLS_FAILED', message: `The TLS handshake with ${where} failed: ${message}`, detail: message });
  }
  // PostgreSQL's cert authentication: "connection requires a valid client certificate",
  // "certificate authentication failed for user ...".
  if ((err.sqlState === '28000' || code === '28000') && /certificate/i.test(message)) {
    return new CabinetError({
      code: 'AUTH_FAILED',
      message: params.sslCert
        ? `The server refused the client certificate ${params.sslCert} for user "${params.user}".`
        : `The server wants a client certificate for user "${params.user}": give the client certificate and key files.`,
      detail: message,
    });
  }
  return undefined;
}
