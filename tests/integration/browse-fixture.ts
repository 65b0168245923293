/**
 * What the browse tests share: a BrowseService over throwaway databases (each connection id names one), a
 * reader of the truth straight through the driver, and Chinook loaded from tests/fixtures.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowseFilter, BrowseSort, BrowseWindow } from '../../shared/browse.ts';
import { CabinetError, type CabinetErrorData } from '../../shared/errors.ts';
import type { CellValue } from '../../shared/values.ts';
import { BrowseService } from '../../electron/core/browse/browse-service.ts';
import type { DbSession } from '../../electron/core/drivers/driver.ts';
import type { CallContext } from '../../electron/core/router.ts';
import type { TestDatabase } from '../support/databases.ts';
import { driverFor } from '../support/drivers.ts';

/** Chinook for MySQL (MIT, see LICENSE.md there), copied from the project's shared fixtures so a fresh clone tests alone. */
export const CHINOOK = join(import.meta.dirname, '..', 'fixtures', 'chinook');
/** Chinook for PostgreSQL: the demo's seed, the same script without its DROP/CREATE DATABASE. */
const CHINOOK_POSTGRES = join(import.meta.dirname, '..', '..', 'electron', 'core', 'demo', 'chinook.sql');

/** Loads Chinook into `db`, leaving out the file's own DROP/CREATE DATABASE and switch to it. */
export async function loadChinook(db: TestDatabase): Promise<void> {
  if (db.params.engine === 'postgres') {
    await db.exec(await readFile(CHINOOK_POSTGRES, 'utf8'));
  } else {
    const text = await readFile(join(CHINOOK, 'Chinook_MySql.sql'), 'utf8');
    await db.exec(text.slice(text.indexOf('USE `Chinook`;') + 'USE `Chinook`;'.length));
  }
}

/** A tree path to a relation of `db`. */
export function pathTo(db: TestDatabase, name: string, group = 'tables', schema = 'public'): string[] {
  return db.params.engine === 'postgres' ? [db.name, schema, group, name] : [db.name, group, name];
}

export interface Browser {
  service: BrowseService;
  context: CallContext;
  open(db: TestDatabase, name: string, group?: string, schema?: string): Promise<string>;
  query(viewId: string, sort?: BrowseSort[], filters?: BrowseFilter[], where?: string): ReturnType<BrowseService['query']>;
  rows(viewId: string, start: number, count: number): Promise<BrowseWindow>;
  /** Every row, read forward in windows of `size`. */
  readAll(viewId: string, size: number): Promise<{ rows: CellValue[][]; windows: BrowseWindow[] }>;
  close(): Promise<void>;
}

/** A BrowseService where the connection id is the database's name (`exactSkipRows`: see BrowseServiceDeps). */
export function browser(databases: TestDatabase[], clientId = 'test-client', exactSkipRows?: number): Browser {
  const service = new BrowseService({
    exactSkipRows,
    endpointFor: (connectionId) => {
      const db = databases.find((d) => d.name === connectionId);
      if (!db) throw new CabinetError({ code: 'NOT_CONNECTED', message: 'This connection is closed; connect again.' });
      return { params: db.params };
    },
  });
  const context: CallContext = { clientId, signal: new AbortController().signal };
  const self: Browser = {
    service,
    context,
    open: async (db, name, group, schema) => (await service.open(context, db.name, pathTo(db, name, group, schema))).viewId,
    query: (viewId, sort = [], filters = [], where) => service.query(context, viewId, { sort, filters, where }),
    rows: (viewId, start, count) => service.rows(context, viewId, start, count),
    async readAll(viewId, size) {
      const rows: CellValue[][] = [];
      const windows: BrowseWindow[] = [];
      for (;;) {
        const window = await service.rows(context, viewId, rows.length, size);
        windows.push(window);
        rows.push(...window.rows);
        if (window.atEnd || window.rows.length === 0) return { rows, windows };
      }
    },
    close: () => service.closeAll(),
  };
  return self;
}

/** The truth: one statement through the driver itself, values in the same exact form. */
export async function truth(db: TestDatabase, sql: string, params: unknown[] = []): Promise<CellValue[][]> {
  const session: DbSession = await driverFor(db.params.engine).connect(db.params, {});
  try {
    return (await session.query(sql, params)).rows;
  } finally {
    await session.close();
  }
}

/** The error a promise rejected with, as the client would receive it. */
export async function failure(promise: Promise<unknown>): Promise<CabinetErrorData> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CabinetError) return error.toData();
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A deterministic pseudo-random sequence, so a failing case can be run again. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
