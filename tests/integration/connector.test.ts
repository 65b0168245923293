import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CabinetError } from '../../shared/errors.ts';
import type { ConnectionParams } from '../../shared/profiles.ts';
import { connect } from '../../electron/core/connections/connector.ts';
import { toCabinetError } from '../../electron/core/drivers/errors.ts';
import { MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT } from '../support/databases.ts';

async function failure(params: ConnectionParams, connectTimeoutMs?: number): Promise<CabinetError> {
  try {
    const session = await connect({ params }, { applicationName: 'Cabinet (test)', connectTimeoutMs });
    await session.close();
  } catch (error) {
    expect(error).toBeInstanceOf(CabinetError);
    return error as CabinetError;
  }
  throw new Error('expected the connection to fail');
}

describe('the connector names the server on the other end', () => {
  it.each(['prefer', 'disable'] as const)('a PostgreSQL profile on the MariaDB port (sslmode=%s) says it answers like MySQL', async (sslMode) => {
    const error = await failure({ engine: 'postgres', host: MYSQL_HOST, port: MYSQL_PORT, user: 'postgres', database: 'postgres', sslMode });
    expect(error.code).toBe('WRONG_ENGINE');
    expect(error.message).toMatch(/answers like a MySQL\/MariaDB server \((MariaDB|MySQL) \d+\.\d+\.\d+\), not PostgreSQL: choose MySQL\/MariaDB/);
  });

  it.each(['prefer', 'disable'] as const)('a MySQL profile on the PostgreSQL port (sslmode=%s) says so in seconds, not after the 10 s time-out', async (sslMode) => {
    // With a 60 s time-out the driver alone would wait a minute and say TIMEOUT: the answer comes from the probe.
    const error = await failure({ engine: 'mysql', host: PG_HOST, port: PG_PORT, user: 'root', database: '', sslMode }, 60_000);
    expect(error.code).toBe('WRONG_ENGINE');
    expect(error.message).toContain('answers like a PostgreSQL server, not MySQL/MariaDB');
  });

  describe('a server that accepts and never speaks', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let port = 0;
    beforeAll(async () => {
      server = createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });

    it.each(['postgres', 'mysql'] as const)('%s: still a time-out, not a guess', async (engine) => {
      const error = await failure({ engine, host: '127.0.0.1', port, user: 'u', database: '', sslMode: 'disable' }, 2_500);
      expect(error.code).toBe('TIMEOUT');
    });
  });
});

describe('network errors read as sentences', () => {
  const params: ConnectionParams = { engine: 'postgres', host: '192.0.2.77', port: 5432, user: 'u', database: 'd', sslMode: 'prefer' };
  it.each(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNRESET', 'EACCES', 'EPERM', 'EAI_FAIL', 'ENETDOWN'])('%s', (code) => {
    const error = toCabinetError(Object.assign(new Error(`connect ${code} 192.0.2.77:5432`), { code }), params);
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).not.toContain(code);
    expect(error.message).toMatch(/^[A-Z].+[.:]/);
    expect(error.detail).toContain(code);
  });
});
