import { connectionParamsSchema, type ConnectionParams } from '../../../shared/profiles.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { describeIssues } from '../../../shared/contract.ts';
import type { DbSession } from '../drivers/driver.ts';
import { loadDriver } from '../drivers/registry.ts';
import { probeServer, type ProbeResult } from '../drivers/server-probe.ts';

/** Where a session goes: the profile's parameters (TLS files included) and the password to use, if any. */
export interface Endpoint {
  params: ConnectionParams;
  password?: string;
  /** Every session starts read-only: the server refuses writes (until a statement in the session lifts it). */
  readOnly?: boolean;
}

export interface SessionPurpose {
  /** Shown to the server (PostgreSQL application_name), so a lock holder or a busy backend can be named. */
  applicationName: string;
  /** 10 s unless given. */
  connectTimeoutMs?: number;
}

/**
 * The one way the core opens a server session: browsing, the schema tree, query tabs, "Test" and the
 * migration runner (in the app and on the command line) all come through here. An SSH tunnel or a
 * Docker-found container plugs in here too, by rewriting the endpoint's host and port before the driver
 * connects.
 */
export async function connect(endpoint: Endpoint, purpose: SessionPurpose): Promise<DbSession> {
  // Parameters from a call were checked at the router; these may come from a file or the command line.
  const checked = connectionParamsSchema.safeParse(endpoint.params);
  if (!checked.success) throw new CabinetError({ code: 'BAD_INPUT', message: describeIssues(checked.error, 'The connection') });
  const params = checked.data;
  const driver = await loadDriver(params.engine);
  const attempt = driver.connect(params, {
    password: endpoint.password,
    applicationName: purpose.applicationName,
    connectTimeoutMs: purpose.connectTimeoutMs,
  });
  const session = await withEngineCheck(params, attempt);
  if (endpoint.readOnly) {
    try {
      await session.query(params.engine === 'postgres' ? 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY' : 'SET SESSION TRANSACTION READ ONLY');
    } catch (error) {
      await session.close();
      throw error;
    }
  }
  return session;
}

/** How long a connect may take before Cabinet looks at what is listening (a MySQL client waits for ever on a PostgreSQL port). */
const SLOW_CONNECT_MS = 1500;
/** Failures that a server of the other engine produces: garbled handshakes, silence, a dropped socket. */
const SUSPECT_CODES = new Set(['INTERNAL', 'CONNECTION_LOST', 'TIMEOUT', 'TLS_FAILED']);

const ENGINE_NAMES = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' } as const;

function wrongEngine(params: ConnectionParams, found: ProbeResult): CabinetError {
  const other = found.engine === 'unknown' ? '' : ENGINE_NAMES[found.engine];
  return new CabinetError({
    code: 'WRONG_ENGINE',
    message:
      `The server at ${params.host}:${params.port} answers like a ${other} server${found.version ? ` (${found.version})` : ''}, not ${ENGINE_NAMES[params.engine]}: ` +
      `choose ${other} as the engine, or check the port.`,
  });
}

/**
 * A connect to the other engine's port fails in confusing ways (pg: "error establishing an SSL connection";
 * mysql2: silence until the time-out). When a connect fails that way, or stalls, the port is probed, and a
 * server of the other engine is named instead.
 */
async function withEngineCheck(params: ConnectionParams, attempt: Promise<DbSession>): Promise<DbSession> {
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void probeServer(params.host, params.port).then((found) => {
        if (!settled && found.engine !== 'unknown' && found.engine !== params.engine) reject(wrongEngine(params, found));
      });
    }, SLOW_CONNECT_MS);
  });
  try {
    return await Promise.race([attempt, stalled]);
  } catch (error) {
    if (error instanceof CabinetError && error.code === 'WRONG_ENGINE') {
      // The driver's own attempt goes on until its time-out; whatever it ends with is dropped.
      attempt.then((session) => session.close(), () => undefined);
      throw error;
    }
    if (error instanceof CabinetError && SUSPECT_CODES.has(error.code)) {
      const found = await probeServer(params.host, params.port);
      if (found.engine !== 'unknown' && found.engine !== params.engine) throw wrongEngine(params, found);
    }
    throw error;
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}
