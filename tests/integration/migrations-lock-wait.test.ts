/**
 * Another runner holds the lock: the waiting run names it as it waits, and a person can cancel the wait; a
 * run that holds the lock stops only between two migrations.
 */
import { describe, expect, it } from 'vitest';
import type { EventName, Events } from '../../shared/api.ts';
import type { MigrationLockWait, MigrationProgress } from '../../shared/migrations.ts';
import { dialectFor } from '../../electron/core/migrations/engines/migration-dialect.ts';
import { createMigrationHandlers } from '../../electron/core/migrations/handlers.ts';
import { SeedLog } from '../../electron/core/migrations/seeds/seed-log.ts';
import { driverFor } from '../support/drivers.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`waiting for the migration lock on ${engine}`, () => {
    let lab!: MigrationLab;
    useLab(engine, (opened) => (lab = opened));

    const setUp = () => {
      const events: { event: EventName; payload: Events[EventName] }[] = [];
      const handlers = createMigrationHandlers({
        endpointFor: () => ({ params: lab.db.params }),
        describe: () => ({ profileId: 'p', name: 'lab' }),
        emitTo: (_, event, payload) => events.push({ event, payload }),
        seedLog: new SeedLog(lab.dir),
      });
      const context = { clientId: 'w', signal: new AbortController().signal };
      const target = { connectionId: 'c', dir: lab.dir };
      /** Resolves with the first event of that kind that `match` accepts. */
      const next = async <E extends EventName>(event: E, match: (payload: Events[E]) => boolean = () => true): Promise<Events[E]> => {
        for (;;) {
          const found = events.find((e) => e.event === event && match(e.payload as Events[E]));
          if (found) return found.payload as Events[E];
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      return { handlers, context, target, next };
    };

    it('names the holder while waiting, and stops waiting when cancelled, with nothing run', async () => {
      await lab.write({ '001_a.sql': migrationFile('create table a (id int);', 'drop table a;') });
      const { handlers, context, target, next } = setUp();
      const holder = await driverFor(engine).connect(lab.db.params, { applicationName: 'other-runner' });
      try {
        const { acquire } = dialectFor(engine, lab.db.name).lock;
        await holder.query(acquire.sql, acquire.params);

        const up = handlers['migrations/up']({ ...target, runId: 'run-1', lockTimeoutMs: 60_000 }, context);
        up.catch(() => undefined);
        const wait: MigrationLockWait = await next('migrations/lock-wait');
        expect(wait).toMatchObject({ runId: 'run-1', timeoutMs: 60_000, holder: { id: holder.serverProcessId, user: engine === 'postgres' ? 'postgres' : 'root' } });
        expect(wait.holder!.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        if (engine === 'postgres') expect(wait.holder).toMatchObject({ application: 'other-runner', state: 'idle', stateSince: expect.stringMatching(/Z$/) });
        else expect(wait.holder).toMatchObject({ state: 'Sleep' });
        // Status, from any window, names the same holder.
        expect((await handlers['migrations/status'](target, context)).lockHolder).toMatchObject({ id: holder.serverProcessId });

        expect(await handlers['migrations/cancel']({ runId: 'run-1' }, context)).toEqual({
          stage: 'waiting',
          message: 'The run stopped waiting for the migration lock; nothing ran.',
        });
        await expect(up).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/^Stopped waiting for the migration lock on database ".*" \((pid|connection id) \d+.*\); nothing ran\.$/) });
        expect(await lab.tables()).toEqual([]);
        expect(await handlers['migrations/cancel']({ runId: 'run-1' }, context)).toMatchObject({ stage: 'none' });
      } finally {
        await holder.close();
      }
      // Once the holder is gone, the same migration applies.
      expect((await handlers['migrations/up'](target, context)).steps).toHaveLength(1);
    });

    it('finishes the migration under way when cancelled while running, and starts no other', async () => {
      const slow = engine === 'postgres' ? 'select pg_sleep(0.5);' : 'select sleep(0.5);';
      await lab.write({
        '001_slow.sql': migrationFile(`create table slow (id int);\n${slow}\ninsert into slow values (1);`, 'drop table slow;'),
        '002_next.sql': migrationFile('create table next_one (id int);', 'drop table next_one;'),
      });
      const { handlers, context, target, next } = setUp();
      const up = handlers['migrations/up']({ ...target, runId: 'run-2' }, context);
      await next('migrations/progress', (p: MigrationProgress) => p.version === '001' && p.phase === 'start');
      expect(await handlers['migrations/cancel']({ runId: 'run-2' }, context)).toMatchObject({ stage: 'running' });
      const report = await up;
      expect(report.cancelled).toBe(true);
      expect(report.steps.map((s) => [s.version, s.result])).toEqual([['001', 'applied']]);
      expect(await lab.tables()).toEqual(['slow']);
      expect(await lab.query('select count(*) from slow')).toEqual([['1']]);
      expect((await handlers['migrations/status'](target, context)).rows.map((r) => r.status)).toEqual(['applied', 'pending']);
    });
  });
}
