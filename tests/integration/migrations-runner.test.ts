import { describe, expect, it } from 'vitest';
import type { MigrationProgress } from '../../shared/migrations.ts';
import type { Engine } from '../../shared/profiles.ts';
import { driverFor } from '../support/drivers.ts';
import { dialectFor } from '../../electron/core/migrations/engines/migration-dialect.ts';
import { baselineAt, migrateDown, migrateUp, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

const table = (name: string, engine: Engine) =>
  engine === 'postgres' ? `create table ${name} (id serial primary key, label text)` : `create table ${name} (id int auto_increment primary key, label text)`;

describe.each(['postgres', 'mysql'] as const)('migrations on %s', (engine) => {
  let lab!: MigrationLab;
  useLab(engine, (opened) => (lab = opened));

  const threeTables = () =>
    lab.write({
      '001_a.sql': migrationFile(`${table('a', engine)};\ninsert into a (label) values ('one');`, 'drop table a;'),
      '002_b.up.sql': `${table('b', engine)};\n`,
      '002_b.down.sql': 'drop table b;\n',
      '003_c.sql': migrationFile(`${table('c', engine)};`, 'drop table c;'),
    });
  const statuses = async () => (await migrationStatus(lab.options())).rows.map((r) => `${r.version}:${r.status}`);

  it('applies all, reverts the last N, applies up to a version and reverts down to one', async () => {
    await threeTables();
    expect(await statuses()).toEqual(['001:pending', '002:pending', '003:pending']);
    const progress: MigrationProgress[] = [];
    const report = await migrateUp(lab.options({ runId: 'r1', onProgress: (p) => progress.push(p) }));
    expect(report.failure).toBeUndefined();
    expect(report.steps.map((s) => `${s.version}:${s.result}:${s.statementsDone}/${s.statementsTotal}`)).toEqual(['001:applied:2/2', '002:applied:1/1', '003:applied:1/1']);
    expect(progress.filter((p) => p.version === '001').map((p) => `${p.phase}:${p.statementsDone}`)).toEqual(['start:0', 'statement:1', 'statement:2', 'done:2']);
    expect(progress.every((p) => p.runId === 'r1' && !p.dryRun)).toBe(true);
    expect(await lab.tables()).toEqual(['a', 'b', 'c']);
    expect(await lab.query('select label from a')).toEqual([['one']]);

    const status = await migrationStatus(lab.options());
    expect(status.historyTableExists).toBe(true);
    expect(status.lockHolder).toBeNull();
    expect(status.rows[0]).toMatchObject({ status: 'applied', dbUser: expect.stringMatching(/^(postgres|root@)/), appliedBy: expect.stringContaining('@') });
    expect(status.rows[0]!.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    expect((await migrateDown(lab.options({ count: 2 }))).steps.map((s) => `${s.version}:${s.result}`)).toEqual(['003:reverted', '002:reverted']);
    expect(await lab.tables()).toEqual(['a']);
    expect(await statuses()).toEqual(['001:applied', '002:reverted', '003:reverted']);

    expect((await migrateUp(lab.options({ to: '2' }))).steps.map((s) => s.version)).toEqual(['002']);
    expect((await migrateUp(lab.options({ to: '002' }))).steps).toEqual([]);
    await migrateUp(lab.options());
    expect((await migrateDown(lab.options({ to: '1' }))).steps.map((s) => s.version)).toEqual(['003', '002']);
    expect((await migrateDown(lab.options({ to: '0' }))).steps.map((s) => s.version)).toEqual(['001']);
    expect(await lab.tables()).toEqual([]);
    expect((await lab.history()).map((e) => `${e.version}:${e.action}:${e.status}`).filter((e) => !e.endsWith('running'))).toEqual([
      '001:up:applied',
      '002:up:applied',
      '003:up:applied',
      '003:down:reverted',
      '002:down:reverted',
      '002:up:applied',
      '003:up:applied',
      '003:down:reverted',
      '002:down:reverted',
      '001:down:reverted',
    ]);
    await expect(migrateUp(lab.options({ to: '9' }))).rejects.toThrow(/No migration has version 9/);
  });

  it('prints every statement in a dry run, history-table ones included, and changes nothing', async () => {
    await threeTables();
    const progress: MigrationProgress[] = [];
    const report = await migrateUp(lab.options({ dryRun: true, onProgress: (p) => progress.push(p) }));
    expect(report.dryRun).toBe(true);
    const sql = report.statements.map((s) => `${s.kind}:${s.version ?? '-'}:${s.sql.split('\n')[0]}`);
    expect(sql[0]).toMatch(/^control:-:SELECT (pg_try_advisory_lock|GET_LOCK)/);
    // PostgreSQL qualifies the table with its schema, so that a migration changing the search path cannot hide it.
    const history = engine === 'postgres' ? 'public.cabinet_migrations' : 'cabinet_migrations';
    expect(sql[1]).toBe(`history:-:CREATE TABLE IF NOT EXISTS ${history} (`);
    expect(sql).toContain(`migration:001:${table('a', engine)}`);
    expect(sql).toContain("migration:001:insert into a (label) values ('one')");
    expect(sql.filter((s) => s.startsWith('history:') && s.includes(`INSERT INTO ${history}`)).length).toBeGreaterThanOrEqual(3);
    expect(report.statements.some((s) => s.sql.includes("'001', 'a', 'up'"))).toBe(true);
    expect(progress.every((p) => p.dryRun)).toBe(true);
    expect(await lab.tables()).toEqual([]);
    expect((await migrationStatus(lab.options())).historyTableExists).toBe(false);

    await migrateUp(lab.options());
    const down = await migrateDown(lab.options({ dryRun: true, to: '0' }));
    expect(down.statements.filter((s) => s.kind === 'migration').map((s) => s.sql)).toEqual(['drop table c', 'drop table b', 'drop table a']);
    expect(await lab.tables()).toEqual(['a', 'b', 'c']);
    expect(await statuses()).toEqual(['001:applied', '002:applied', '003:applied']);
  });

  it('sees checksum drift, but not CRLF line ends or trailing blanks', async () => {
    await threeTables();
    await migrateUp(lab.options());
    const original = migrationFile(`${table('a', engine)};\ninsert into a (label) values ('one');`, 'drop table a;');
    await lab.write({ '001_a.sql': `${original.replace(/\n/g, '   \r\n')}\r\n\r\n` });
    expect(await statuses()).toEqual(['001:applied', '002:applied', '003:applied']);

    await lab.write({ '001_a.sql': original.replace("'one'", "'uno'"), '004_d.sql': migrationFile(`${table('d', engine)};`, 'drop table d;') });
    const status = await migrationStatus(lab.options());
    expect(status.rows[0]).toMatchObject({ status: 'modified' });
    expect(status.rows[0]!.checksum).not.toBe(status.rows[0]!.appliedChecksum);
    expect(status.upBlockedBy).toMatch(/Version 001 \(001_a\.sql\) changed since it was applied/);
    await expect(migrateUp(lab.options())).rejects.toThrow(/001 \(001_a\.sql\) changed since it was applied/);
    expect(await lab.tables()).toEqual(['a', 'b', 'c']);
  });

  it('sees a changed comment in the up section as drift, but not one above the up marker or in the down section', async () => {
    const file = (header: string, comment: string, down: string) => `${header}-- migrate:up\n-- ${comment}\n${table('a', engine)};\n-- migrate:down\n${down}\n`;
    await lab.write({ '001_a.sql': file('', 'the a table', 'drop table a;') });
    await migrateUp(lab.options());
    await lab.write({ '001_a.sql': file('-- Ticket 42, reviewed by Ada\n', 'the a table', '-- corrected after applying\ndrop table if exists a;') });
    expect(await statuses()).toEqual(['001:applied']);
    await lab.write({ '001_a.sql': file('', 'the A table', 'drop table a;') });
    expect(await statuses()).toEqual(['001:modified']);
  });

  it('reverts a version whose file is gone with the down SQL kept in the history', async () => {
    await threeTables();
    await migrateUp(lab.options());
    await lab.remove('003_c.sql');
    expect(await statuses()).toEqual(['001:applied', '002:applied', '003:missing']);
    const report = await migrateDown(lab.options());
    expect(report.steps.map((s) => `${s.version}:${s.result}`)).toEqual(['003:reverted']);
    expect(await lab.tables()).toEqual(['a', 'b']);
    expect(await statuses()).toEqual(['001:applied', '002:applied', '003:reverted']);
  });

  it('reports a version older than the newest applied one as out of order, and applies it only when allowed', async () => {
    await lab.write({
      '001_a.sql': migrationFile(`${table('a', engine)};`, 'drop table a;'),
      '003_c.sql': migrationFile(`${table('c', engine)};`, 'drop table c;'),
    });
    await migrateUp(lab.options());
    await lab.write({ '002_b.sql': migrationFile(`${table('b', engine)};`, 'drop table b;') });
    expect(await statuses()).toEqual(['001:applied', '002:out-of-order', '003:applied']);
    await expect(migrateUp(lab.options())).rejects.toThrow(/Version 002 is older than the newest applied version and not applied \(out of order\)/);
    const report = await migrateUp(lab.options({ allowOutOfOrder: true }));
    expect(report.steps.map((s) => s.version)).toEqual(['002']);
    expect(await statuses()).toEqual(['001:applied', '002:applied', '003:applied']);
  });

  it('baselines an existing database, then applies only what comes after', async () => {
    await threeTables();
    await lab.db.exec(`${table('a', engine)}; ${table('b', engine)};`);
    const report = await baselineAt(lab.options({ version: '2' }));
    expect(report.steps.map((s) => `${s.version}:${s.result}`)).toEqual(['001:baseline', '002:baseline']);
    expect(await statuses()).toEqual(['001:baseline', '002:baseline', '003:pending']);
    expect((await migrateUp(lab.options())).steps.map((s) => s.version)).toEqual(['003']);
    await expect(baselineAt(lab.options({ version: '7' }))).rejects.toThrow(/No migration file has version 7/);
  });

  it('refuses a file that does not parse before running anything, naming the file and line', async () => {
    await lab.write({
      '001_a.sql': migrationFile(`${table('a', engine)};`, 'drop table a;'),
      '002_b.sql': migrationFile(`${table('b', engine)};\ninsert into b (label) values ('unterminated);`, 'drop table b;'),
    });
    await expect(migrateUp(lab.options())).rejects.toThrow(/^002_b\.sql, line 3: Unterminated string/);
    expect(await lab.tables()).toEqual([]);
  });

  it('refuses to revert a version without a down section, before reverting anything', async () => {
    await lab.write({
      '001_a.sql': migrationFile(`${table('a', engine)};`),
      '002_b.sql': migrationFile(`${table('b', engine)};`, 'drop table b;'),
    });
    await migrateUp(lab.options());
    await expect(migrateDown(lab.options({ count: 2 }))).rejects.toThrow(/Version 001 \(001_a\.sql\) has no down section, so it cannot be reverted/);
    expect(await lab.tables()).toEqual(['a', 'b']);
  });

  it('names the row of a history edited by hand into an impossible state', async () => {
    await threeTables();
    await migrateUp(lab.options({ to: '1' }));
    await lab.db.exec("update cabinet_migrations set status = 'half-done' where version = '001'");
    await expect(migrationStatus(lab.options())).rejects.toThrow(/cabinet_migrations row \d+ \(version 001\) has status "half-done"/);
  });

  it('lets exactly one of two runners started together apply each version', async () => {
    const files: Record<string, string> = {};
    for (let n = 1; n <= 6; n++) files[`00${n}_t${n}.sql`] = migrationFile(`${table(`t${n}`, engine)};`, `drop table t${n};`);
    await lab.write(files);
    const results = await Promise.allSettled([migrateUp(lab.options()), migrateUp(lab.options())]);
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.steps.map((s) => s.version) : []));
    expect(applied.sort()).toEqual(['001', '002', '003', '004', '005', '006']);
    for (const r of results) if (r.status === 'rejected') expect(r.reason.code).toBe('LOCKED');
    const rows = (await lab.history()).filter((e) => e.status === 'applied');
    expect(rows.map((e) => e.version).sort()).toEqual(['001', '002', '003', '004', '005', '006']);
  });

  it('waits for the lock up to the timeout, then names who holds it', async () => {
    await threeTables();
    const holder = await driverFor(engine).connect(lab.db.params, { applicationName: 'someone-else' });
    try {
      const { acquire } = dialectFor(engine, lab.db.name).lock;
      await holder.query(acquire.sql, acquire.params);
      const failure = migrateUp(lab.options({ lockTimeoutMs: 400 }));
      await expect(failure).rejects.toMatchObject({ code: 'LOCKED' });
      await expect(failure).rejects.toThrow(engine === 'postgres' ? /pid \d+, user postgres, application "someone-else"/ : /connection id \d+, user root/);
      expect((await migrationStatus(lab.options())).lockHolder).toMatchObject({ id: expect.any(Number), user: expect.stringMatching(/postgres|root/) });
    } finally {
      await holder.close();
    }
    // The server dropped the lock with its session: the next runner goes ahead.
    expect((await migrateUp(lab.options({ lockTimeoutMs: 2_000 }))).steps).toHaveLength(3);
  });
});
