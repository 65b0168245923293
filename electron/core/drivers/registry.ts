import type { Engine } from '../../../shared/profiles.ts';
import type { Driver } from './driver.ts';
import { mysqlDriver } from './mysql/mysql-driver.ts';
import { postgresDriver } from './postgres/postgres-driver.ts';

const DRIVERS: Record<Engine, Driver> = { postgres: postgresDriver, mysql: mysqlDriver };

export function driverFor(engine: Engine): Driver {
  return DRIVERS[engine];
}
