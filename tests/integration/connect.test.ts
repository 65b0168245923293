import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionParams } from '../../shared/profiles.ts';
import { driverFor } from '../support/drivers.ts';
import { CabinetError } from '../../shared/errors.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

async function connectError(params: ConnectionParams, password?: string, connectTimeoutMs?: number): Promise<CabinetError> {
  try {
    const session = await driverFor(params.engine).connect(params, { password, connectTimeoutMs });
    await session.close();
  } catch (error) {
    expect(error).toBeInstanceOf(CabinetError);
    return error as CabinetError;
  }
  throw new Error('expected the connection to fail');
}

/** A server that accepts TCP connections and never says a word: the connect timeout must fire. */
async function silentServer(): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server, sockets };
}

describe.each([
  ['PostgreSQL', 'postgres' as const, createPostgresDatabase, /^PostgreSQL \d+\.\d+/],
  ['MariaDB', 'mysql' as const, createMysqlDatabase, /^(MariaDB|MySQL) \d+\.\d+/],
])('%s: connecting', (_label, engine, create, versionPattern) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('connects and reports the server version', async () => {
    const session = await driverFor(engine).connect(db.params, {});
    expect(session.serverVersion).toMatch(versionPattern);
    const r = await session.query('select 1 + 1');
    expect(r.rows).toEqual([['2']]);
    await session.close();
  });

  it('names a host that does not exist', async () => {
    const error = await connectError({ ...db.params, host: 'no-such-host.invalid' });
    expect(error.code).toBe('HOST_NOT_FOUND');
    expect(error.message).toContain('no-such-host.invalid');
  });

  it('says when nothing listens on the port', async () => {
    const error = await connectError({ ...db.params, port: 1 });
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain('127.0.0.1:1');
  });

  it('names a database that does not exist', async () => {
    const error = await connectError({ ...db.params, database: 'no_such_database_here' });
    expect(error.code).toBe('DATABASE_NOT_FOUND');
    expect(error.message).toContain('no_such_database_here');
  });

  it('gives up on a server that never answers, within the configured timeout', async () => {
    const silent = await silentServer();
    // A hang (no timeout at all) runs into the test's own limit instead.
    const error = await connectError({ ...db.params, port: silent.port }, undefined, 1_500);
    expect(error.code).toBe('TIMEOUT');
    for (const s of silent.sockets) s.destroy();
    silent.server.close();
  });

  it('reports the connection lost when the server ends it', async () => {
    const session = await driverFor(engine).connect(db.params, {});
    const lost = new Promise<Error>((resolve) => session.onLost(resolve));
    const killer = await driverFor(engine).connect(db.params, {});
    if (engine === 'postgres') {
      await killer.query('select pg_terminate_backend($1)', [session.serverProcessId]);
    } else {
      await killer.query(`kill connection ${session.serverProcessId}`);
    }
    await expect(lost).resolves.toBeInstanceOf(Error);
    await expect(session.query('select 1')).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    await killer.close();
  });
});

describe('authentication failures', () => {
  it('MariaDB: a wrong password is AUTH_FAILED and says who was refused', async () => {
    const db = await createMysqlDatabase();
    try {
      const error = await connectError(db.params, 'definitely-wrong');
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.message).toContain('"root"');
      expect(error.detail).toMatch(/Access denied/);
    } finally {
      await db.drop();
    }
  });

  it('PostgreSQL: a role that may not log in is AUTH_FAILED (the test server trusts every password)', async () => {
    const db = await createPostgresDatabase();
    const role = `${db.name}_nologin`;
    try {
      await db.exec(`create role "${role}" nologin`);
      const error = await connectError({ ...db.params, user: role });
      expect(error.code).toBe('AUTH_FAILED');
      expect(error.sqlState).toBe('28000');
    } finally {
      await db.exec(`drop role if exists "${role}"`);
      await db.drop();
    }
  });
});
