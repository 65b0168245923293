/**
 * A migrations lab for the integration tests: a fresh database on a real server, a temporary
 * migrations folder, and reads through Cabinet's own driver to check what a person would check.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { HistoryEvent } from '../../shared/migrations.ts';
import type { Engine } from '../../shared/profiles.ts';
import type { CellValue } from '../../shared/values.ts';
import { driverFor } from '../support/drivers.ts';
import { migrationHistory } from '../../electron/core/migrations/runner/actions.ts';
import type { RunnerOptions } from '../../electron/core/migrations/runner/migration-run.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

export interface MigrationLab {
  engine: Engine;
  db: TestDatabase;
  dir: string;
  /** Runner options for this database and folder, with any action's own fields (`to`, `count`, `version`...). */
  options<Extra extends object = object>(extra?: Extra & Partial<RunnerOptions>): RunnerOptions & Extra;
  /** Writes migration files (name → text) into the folder. */
  write(files: Record<string, string>): Promise<void>;
  remove(name: string): Promise<void>;
  query(sql: string): Promise<CellValue[][]>;
  /** The user's tables (not the history), sorted. */
  tables(): Promise<string[]>;
  history(): Promise<HistoryEvent[]>;
  /** Empties the database and the folder between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openLab(engine: Engine): Promise<MigrationLab> {
  const db = engine === 'postgres' ? await createPostgresDatabase('cabinet_mig') : await createMysqlDatabase('cabinet_mig');
  let dir = await mkdtemp(join(tmpdir(), 'cabinet-mig-'));
  const query = async (sql: string) => {
    const session = await driverFor(engine).connect(db.params, {});
    try {
      return (await session.query(sql)).rows;
    } finally {
      await session.close();
    }
  };
  const lab: MigrationLab = {
    engine,
    db,
    get dir() {
      return dir;
    },
    options: <Extra extends object>(extra?: Extra & Partial<RunnerOptions>) =>
      ({ params: db.params, dir, lockTimeoutMs: 5_000, ...extra }) as RunnerOptions & Extra,
    async write(files) {
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    },
    remove: (name) => unlink(join(dir, name)),
    query,
    async tables() {
      const rows = await query(
        engine === 'postgres'
          ? "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"
          : "select table_name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'",
      );
      return rows.map((r) => String(r[0])).filter((t) => t !== 'cabinet_migrations').sort();
    },
    history: () => migrationHistory({ params: db.params }),
    async reset() {
      await db.exec(
        engine === 'postgres'
          ? 'drop schema public cascade; create schema public;'
          : `drop database \`${db.name}\`; create database \`${db.name}\`;`,
      );
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'cabinet-mig-'));
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    },
  };
  return lab;
}

/** A single-file migration. */
export const migrationFile = (up: string, down?: string, upOptions = '') =>
  `-- migrate:up${upOptions ? ` ${upOptions}` : ''}\n${up}\n${down === undefined ? '' : `-- migrate:down\n${down}\n`}`;

/** Opens a lab for the enclosing describe, empties it before each test (unless told not to), drops it at the end. */
export function useLab(engine: Engine, opened: (lab: MigrationLab) => void, { resetEachTest = true } = {}): void {
  let lab: MigrationLab | undefined;
  beforeAll(async () => {
    lab = await openLab(engine);
    opened(lab);
  });
  afterAll(async () => {
    await lab?.close();
  });
  if (resetEachTest) {
    beforeEach(async () => {
      await lab!.reset();
    });
  }
}
