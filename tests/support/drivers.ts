import type { Engine } from '../../shared/profiles.ts';
import type { Driver } from '../../electron/core/drivers/driver.ts';
import { mysqlDriver } from '../../electron/core/drivers/mysql/mysql-driver.ts';
import { postgresDriver } from '../../electron/core/drivers/postgres/postgres-driver.ts';

/** Both engines' drivers, loaded up front: tests call an engine's driver directly, below the connector. */
export function driverFor(engine: Engine): Driver {
  return engine === 'postgres' ? postgresDriver : mysqlDriver;
}
