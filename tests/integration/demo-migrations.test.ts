/**
 * The demo comes with the PostgreSQL samples attached (a writable copy in the data folder) and half of them
 * applied, and the runner works on it (PGlite behind the loopback server) as on a real server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoService } from '../../electron/core/demo/demo-service.ts';
import { createMigrationFile } from '../../electron/core/migrations/files/migration-folder.ts';
import { migrateDown, migrateUp, migrationHistory, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { driverFor } from '../support/drivers.ts';

const root = await mkdtemp(join(tmpdir(), 'cabinet-demo-migrations-'));
const SAMPLES = join(import.meta.dirname, '../../migrations-samples/postgres');

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const openDemo = () => new DemoService({ dataDir: root, emit: () => undefined });

describe('the demo database with its migrations', () => {
  it('opens on the samples attached with the first half applied, and runs new migrations', async () => {
    const service = openDemo();
    const dir = service.profile().migrationsDir!;
    expect(dir).toBe(join(root, 'demo', 'migrations'));
    try {
      const params = await service.params();
      expect((await readdir(dir)).sort()).toEqual((await readdir(SAMPLES)).sort());

      const status = await migrationStatus({ params, dir });
      expect(status.layout).toBe('cabinet');
      expect(status.lockHolder).toBeNull();
      expect(status.rows.map((r) => r.status)).toEqual([...Array(6).fill('applied'), ...Array(6).fill('pending')]);
      expect(status.rows[0]).toMatchObject({ version: '20250106090000', name: 'create_users', appliedUpSql: status.rows[0]!.upSql, appliedBy: 'Cabinet demo' });
      const history = await migrationHistory({ params });
      // The index built CONCURRENTLY runs outside a transaction: its `running` row comes before its `applied` one.
      expect(history.filter((e) => e.status !== 'running').map((e) => [e.version, e.status])).toEqual(status.rows.slice(0, 6).map((r) => [r.version, 'applied']));

      // The copy is the user's: a new migration is written there, and runs with the pending samples.
      const created = await createMigrationFile(dir, 'add nickname');
      await writeFile(join(dir, created.file), '-- migrate:up\nALTER TABLE users ADD COLUMN nickname text;\n-- migrate:down\nALTER TABLE users DROP COLUMN nickname;\n');
      const up = await migrateUp({ params, dir });
      expect(up.failure).toBeUndefined();
      expect(up.steps.map((s) => s.version)).toEqual([...status.rows.slice(6).map((r) => r.version), created.version]);
      const down = await migrateDown({ params, dir, count: 2 });
      expect(down.steps.map((s) => s.result)).toEqual(['reverted', 'reverted']);
      expect((await migrationStatus({ params, dir })).rows.slice(-2).map((r) => r.status)).toEqual(['reverted', 'reverted']);
    } finally {
      await service.stop();
    }

    // Started again, the demo keeps what the person did: nothing re-applied, nothing re-copied.
    const again = openDemo();
    try {
      const params = await again.params();
      const rows = (await migrationStatus({ params, dir })).rows;
      expect(rows).toHaveLength(13);
      expect(rows.slice(-2).map((r) => r.status)).toEqual(['reverted', 'reverted']);
    } finally {
      await again.stop();
    }
  });

  it('gives a demo from before it came with migrations the samples and their first half on start', async () => {
    const service = openDemo();
    const dir = service.profile().migrationsDir!;
    try {
      const session = await driverFor('postgres').connect(await service.params(), {});
      try {
        // The sample tables (down to the first), and the history, as an older demo had none of them.
        await migrateDown({ params: await service.params(), dir, to: '0' });
        await session.query('DROP TABLE cabinet_migrations');
      } finally {
        await session.close();
      }
    } finally {
      await service.stop();
    }
    await rm(dir, { recursive: true });

    const older = openDemo();
    try {
      const params = await older.params();
      expect(existsSync(join(dir, '20250106090000_create_users.sql'))).toBe(true);
      const rows = (await migrationStatus({ params, dir })).rows;
      expect(rows.map((r) => r.status)).toEqual([...Array(6).fill('applied'), ...Array(6).fill('pending')]);
    } finally {
      await older.stop();
    }
  });
});
