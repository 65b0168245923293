import type { Engine } from '../../../shared/profiles.ts';
import type { Driver } from './driver.ts';

/**
 * Each engine's driver, loaded on first use: the migrations command line starts faster when a PostgreSQL run
 * never loads mysql2, and the other way round.
 */
export async function loadDriver(engine: Engine): Promise<Driver> {
  if (engine === 'postgres') return (await import('./postgres/postgres-driver.ts')).postgresDriver;
  return (await import('./mysql/mysql-driver.ts')).mysqlDriver;
}
