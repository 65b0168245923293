import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { EventName, Events } from '../../shared/api.ts';
import { createMigrationHandlers } from '../../electron/core/migrations/handlers.ts';
import { Router } from '../../electron/core/router.ts';
import { SeedLog } from '../../electron/core/migrations/seeds/seed-log.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

describe('the migrations methods of the contract', () => {
  let lab!: MigrationLab;
  useLab('mysql', (opened) => (lab = opened));

  it('serve status, up, down, history and create through the router, with progress events', async () => {
    const events: { clientId: string; event: EventName; payload: Events[EventName] }[] = [];
    const handlers = createMigrationHandlers({
      endpointFor: (connectionId) => {
        if (connectionId !== 'c1') throw new Error(`unknown connection ${connectionId}`);
        return { params: lab.db.params };
      },
      describe: () => ({ profileId: 'p1', name: 'lab' }),
      emitTo: (clientId, event, payload) => events.push({ clientId, event, payload }),
      seedLog: new SeedLog(lab.dir),
    });
    const context = { clientId: 'window-1', signal: new AbortController().signal };
    await lab.write({ '001_a.sql': migrationFile('create table a (id int);\ninsert into a values (1);', 'drop table a;') });
    const target = { connectionId: 'c1', dir: lab.dir };

    const status = await handlers['migrations/status'](target, context);
    expect(status).toMatchObject({ engine: 'mysql', database: lab.db.name, historyTableExists: false, lockHolder: null, rows: [{ version: '001', status: 'pending' }] });

    const up = await handlers['migrations/up']({ ...target, runId: 'run-7' }, context);
    expect(up.steps).toMatchObject([{ version: '001', result: 'applied' }]);
    const progress = events.filter((e) => e.event === 'migrations/progress').map((e) => e.payload);
    expect(progress).toHaveLength(4);
    // Progress goes to the client that started the run, not to every window.
    expect(new Set(events.map((e) => e.clientId))).toEqual(new Set(['window-1']));
    expect(progress[1]).toMatchObject({ runId: 'run-7', version: '001', phase: 'statement', statementsDone: 1, statementsTotal: 2, statement: 'create table a (id int)' });

    const { events: history } = await handlers['migrations/history']({ connectionId: 'c1' }, context);
    expect(history.map((e) => e.status)).toEqual(['running', 'applied']);
    expect(history[1]).toMatchObject({ upSql: expect.stringContaining('create table a'), downSql: '-- migrate:down\ndrop table a;\n', toolVersion: '0.1.0' });

    expect((await handlers['migrations/down']({ ...target, dryRun: true }, context)).statements.map((s) => s.kind)).toEqual(['control', 'history', 'migration', 'history']);
    expect((await handlers['migrations/baseline']({ ...target, version: '001' }, context)).steps).toEqual([]);

    const created = await handlers['migrations/create']({ dir: lab.dir, name: 'next step' }, context);
    expect(await readdir(lab.dir)).toContain(created.file);

    // Errors cross the router as data, never as a thrown object.
    const router = new Router(handlers as never);
    const answer = await router.dispatch(context, 1, 'migrations/resolve', { ...target, version: '001', choice: 'resume' });
    expect(answer).toEqual({ id: 1, ok: false, error: { code: 'MIGRATION_ERROR', message: 'Version 001 (001_a.sql) is applied, not failed: there is nothing to resolve.' } });
  });
});
