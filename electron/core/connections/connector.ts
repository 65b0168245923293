import { connectionParamsSchema, type ConnectionParams } from '../../../shared/profiles.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { describeIssues } from '../../../shared/contract.ts';
import type { DbSession } from '../drivers/driver.ts';
import { loadDriver } from '../drivers/registry.ts';

/** Where a session goes: the profile's parameters (TLS files included) and the password to use, if any. */
export interface Endpoint {
  params: ConnectionParams;
  password?: string;
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
  const driver = await loadDriver(checked.data.engine);
  return driver.connect(checked.data, {
    password: endpoint.password,
    applicationName: purpose.applicationName,
    connectTimeoutMs: purpose.connectTimeoutMs,
  });
}
