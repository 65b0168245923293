import { CabinetError } from '../../../../shared/errors.ts';
import type { ConnectionParams } from '../../../../shared/profiles.ts';
import type { ConnectOptions, DbSession } from '../../drivers/driver.ts';

/**
 * Connects with the one engine's driver, loaded on first use: the command line starts faster without
 * loading the other engine's client library (the registry loads both).
 */
export async function openSession(params: ConnectionParams, options: ConnectOptions): Promise<DbSession> {
  if (params.database === '') {
    throw new CabinetError({ code: 'BAD_INPUT', message: 'Migrations run against one database, and this connection names none: add the database name.' });
  }
  if (params.engine === 'postgres') {
    const { connectPostgres } = await import('../../drivers/postgres/postgres-driver.ts');
    return connectPostgres(params, options);
  }
  const { connectMysql } = await import('../../drivers/mysql/mysql-driver.ts');
  return connectMysql(params, options);
}
