/**
 * Seeds: the `.sql` files of `seeds/` beside the migrations folder, listed with their statements, run on a
 * connection (whole or not at all on PostgreSQL, statement by statement on MySQL), every run logged in the
 * app's data folder so the log outlives the app.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Events } from '../../shared/api.ts';
import { createMigrationHandlers } from '../../electron/core/migrations/handlers.ts';
import { SeedLog } from '../../electron/core/migrations/seeds/seed-log.ts';
import { Router } from '../../electron/core/router.ts';
import { type MigrationLab, useLab } from './migrations-fixture.ts';

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`seeds on ${engine}`, () => {
    let lab!: MigrationLab;
    let dataDir!: string;
    useLab(engine, (opened) => (lab = opened), { resetEachTest: false });
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'cabinet-seed-log-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    const setUp = () => {
      const events: { event: EventName; payload: Events[EventName] }[] = [];
      const handlers = createMigrationHandlers({
        endpointFor: () => ({ params: lab.db.params }),
        describe: () => ({ profileId: `profile-${engine}`, name: `Lab ${engine}` }),
        emitTo: (_, event, payload) => events.push({ event, payload }),
        seedLog: new SeedLog(dataDir),
      });
      return { handlers, events, router: new Router(handlers as never), context: { clientId: 'w', signal: new AbortController().signal } };
    };

    it('lists the seeds with their statements, runs one, and refuses a failing one as a whole on PostgreSQL or up to its failure on MySQL', async () => {
      // The lab's folder is the migrations folder; seeds live beside it.
      const migrations = join(lab.dir, 'migrations');
      const seeds = join(lab.dir, 'seeds');
      await mkdir(migrations);
      await mkdir(seeds);
      await lab.db.exec('create table people (id int primary key, name varchar(40))');
      await writeFile(join(seeds, '01_people.sql'), "insert into people values (1, 'Ada');\ninsert into people values (2, 'Grace; Hopper');\n");
      await writeFile(join(seeds, '02_broken.sql'), "insert into people values (3, 'Edsger');\n\ninsert into people values (1, 'duplicate');\ninsert into people values (4, 'never');\n");
      await writeFile(join(seeds, 'README.md'), 'not a seed');
      await symlink(join(seeds, '01_people.sql'), join(seeds, '03_link.sql'));
      const { handlers, events, router, context } = setUp();
      const target = { connectionId: 'c', dir: migrations };

      const list = await handlers['migrations/seeds'](target, context);
      expect(list).toMatchObject({ dir: seeds, exists: true });
      expect(list.seeds.map((s) => [s.file, s.statements])).toEqual([
        ['01_people.sql', ["insert into people values (1, 'Ada')", "insert into people values (2, 'Grace; Hopper')"]],
        ['02_broken.sql', ["insert into people values (3, 'Edsger')", "insert into people values (1, 'duplicate')", "insert into people values (4, 'never')"]],
      ]);

      const dry = await handlers['migrations/seed-run']({ ...target, file: '01_people.sql', dryRun: true }, context);
      expect(dry.statements.map((s) => s.sql)).toEqual([
        ...(engine === 'postgres' ? ['BEGIN'] : []),
        "insert into people values (1, 'Ada')",
        "insert into people values (2, 'Grace; Hopper')",
        ...(engine === 'postgres' ? ['COMMIT'] : []),
      ]);
      expect(await lab.query('select count(*) from people')).toEqual([['0']]);

      const ok = await handlers['migrations/seed-run']({ ...target, file: '01_people.sql', runId: 'seed-1' }, context);
      expect(ok).toMatchObject({ ok: true, statementsDone: 2, statementsTotal: 2, rolledBack: false, logEntry: { result: 'ok', file: join(seeds, '01_people.sql') } });
      expect(events.filter((e) => e.event === 'migrations/seed-progress').map((e) => e.payload)).toEqual([
        { runId: 'seed-1', file: '01_people.sql', statementsDone: 1, statementsTotal: 2 },
        { runId: 'seed-1', file: '01_people.sql', statementsDone: 2, statementsTotal: 2 },
      ]);
      expect(await lab.query('select name from people order by id')).toEqual([['Ada'], ['Grace; Hopper']]);

      const failed = await handlers['migrations/seed-run']({ ...target, file: '02_broken.sql' }, context);
      expect(failed).toMatchObject({
        ok: false,
        statementsDone: 1,
        statementsTotal: 3,
        failedStatement: "insert into people values (1, 'duplicate')",
        failedLine: 3,
        rolledBack: engine === 'postgres',
        error: { code: 'SQL_ERROR', message: expect.stringMatching(/duplicate/i) },
      });
      // PostgreSQL ran it in one transaction: nothing of it remains. MySQL keeps what ran before the failure.
      expect(await lab.query('select name from people order by id')).toEqual(engine === 'postgres' ? [['Ada'], ['Grace; Hopper']] : [['Ada'], ['Grace; Hopper'], ['Edsger']]);

      // Only the folder's own .sql files run.
      for (const file of ['03_link.sql', '../migrations/x.sql', 'README.md']) {
        expect(await router.dispatch(context, 1, 'migrations/seed-run', { ...target, file })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      }
    });

    it('keeps the log across restarts: each run with its time, connection, database, file, result, duration and error', async () => {
      // A new log over the same data folder: what a restarted app reads.
      const entries = await new SeedLog(dataDir).read(`profile-${engine}`);
      expect(entries.map((e) => [e.file.split('/').at(-1), e.result])).toEqual([
        ['02_broken.sql', 'failed'],
        ['01_people.sql', 'ok'],
      ]);
      expect(entries[0]).toMatchObject({
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        connectionName: `Lab ${engine}`,
        engine,
        host: '127.0.0.1',
        port: lab.db.params.port,
        database: lab.db.name,
        statementsDone: 1,
        statementsTotal: 3,
        executionMs: expect.any(Number),
        error: expect.stringMatching(/duplicate/i),
        failedStatement: "insert into people values (1, 'duplicate')",
        rolledBack: engine === 'postgres',
      });
      const { handlers, context } = setUp();
      expect((await handlers['migrations/seed-log']({ connectionId: 'c' }, context)).entries).toEqual(entries);
      // A damaged line (a crash mid-write) is skipped; the others still read.
      await writeFile(join(dataDir, 'seed-log.jsonl'), '{"at": "half a line\n', { flag: 'a' });
      expect(await new SeedLog(dataDir).read(`profile-${engine}`)).toEqual(entries);
      // A folder with no seeds/ beside it says so.
      expect(await handlers['migrations/seeds']({ connectionId: 'c', dir: join(dirname(lab.dir), 'nowhere', 'migrations') }, context)).toMatchObject({ exists: false, seeds: [] });
    });
  });
}
