import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus, resolveFailed } from '../../electron/core/migrations/runner/actions.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

describe('PostgreSQL: transactions, bodies and failures', () => {
  let lab!: MigrationLab;
  useLab('postgres', (opened) => (lab = opened));

  it('rolls a failed migration back whole, history row included, and names the file, line and statement', async () => {
    await lab.write({
      '001_a.sql': migrationFile('create table a (id int);', 'drop table a;'),
      '002_b.sql': migrationFile('create table b (id int);\ninsert into b values (1);\n\ninsert into b\n  values (nope);', 'drop table b;'),
      '003_c.sql': migrationFile('create table c (id int);', 'drop table c;'),
    });
    const report = await migrateUp(lab.options());
    expect(report.steps.map((s) => s.version)).toEqual(['001']);
    expect(report.failure).toMatchObject({
      version: '002',
      file: '002_b.sql',
      line: 6,
      statement: 'insert into b\n  values (nope)',
      statementsDone: 2,
      statementsTotal: 3,
      rolledBack: true,
      error: { code: 'SQL_ERROR', sqlState: '42703', message: expect.stringContaining('nope') },
    });
    expect(await lab.tables()).toEqual(['a']);
    expect((await lab.history()).map((e) => e.version)).toEqual(['001']);
    expect((await migrationStatus(lab.options())).rows.map((r) => r.status)).toEqual(['applied', 'pending', 'pending']);
  });

  it('names the statement and line of a syntax error, a constraint and a refused COPY row, all sent as one script', async () => {
    await lab.write({ '001_syntax.sql': migrationFile('create table a (id int);\n\ncreate tabel b (id int);', 'drop table a;') });
    expect((await migrateUp(lab.options())).failure).toMatchObject({
      line: 4,
      statement: 'create tabel b (id int)',
      statementsDone: 1,
      rolledBack: true,
      error: { sqlState: '42601', position: 8, message: 'syntax error at or near "tabel"' },
    });
    await lab.write({
      '001_syntax.sql': migrationFile('create table a (id int primary key);\ninsert into a values (1);\ninsert into a values (1);', 'drop table a;'),
    });
    expect((await migrateUp(lab.options())).failure).toMatchObject({ line: 4, statement: 'insert into a values (1)', statementsDone: 2, error: { sqlState: '23505' } });
    await lab.write({
      '001_syntax.sql': migrationFile('create table a (id int, note text);\nCOPY a (id, note) FROM stdin;\n1\tfine\nnot a number\there\n\\.\nselect 1;', 'drop table a;'),
    });
    expect((await migrateUp(lab.options())).failure).toMatchObject({
      line: 5,
      statement: 'COPY a (id, note) FROM stdin',
      statementsDone: 1,
      error: { sqlState: '22P02', message: expect.stringContaining('invalid input syntax for type integer') },
    });
    expect(await lab.tables()).toEqual([]);
    expect(await lab.history()).toEqual([]);
  });

  it('keeps $$ bodies and BEGIN ATOMIC bodies whole', async () => {
    await lab.write({
      '001_fn.sql': migrationFile(
        `create function bump(i int) returns int language plpgsql as $$
begin
  -- a comment; with a semicolon
  return i + 1;
end;
$$;
create function twice(i int) returns int language sql
begin atomic
  select case when i > 0 then i * 2 else 0 end;
end;
create table t (note text default 'x;y');`,
        'drop table t;\ndrop function twice(int);\ndrop function bump(int);',
      ),
    });
    expect((await migrateUp(lab.options())).steps[0]).toMatchObject({ statementsTotal: 3 });
    expect(await lab.query('select bump(1), twice(4)')).toEqual([['2', '8']]);
    await migrateDown(lab.options());
    expect(await lab.query("select count(*) from pg_proc where proname in ('bump', 'twice')")).toEqual([['0']]);
  });

  it('runs CREATE INDEX CONCURRENTLY outside a transaction with transaction:false, statement by statement', async () => {
    await lab.write({
      '001_t.sql': migrationFile('create table t (id int, email text);', 'drop table t;'),
      '002_idx.sql': '-- migrate:up transaction:false\ncreate index concurrently t_email on t (email);\n-- migrate:down transaction:false\ndrop index concurrently t_email;\n',
    });
    expect((await migrateUp(lab.options())).failure).toBeUndefined();
    expect(await lab.query("select indexname from pg_indexes where tablename = 't'")).toEqual([['t_email']]);
    expect((await lab.history()).filter((e) => e.version === '002').map((e) => e.status)).toEqual(['running', 'applied']);
    expect((await migrateDown(lab.options())).failure).toBeUndefined();
    expect(await lab.query("select indexname from pg_indexes where tablename = 't'")).toEqual([]);

    // Without the option, PostgreSQL refuses it inside the migration's transaction, and nothing remains.
    await lab.write({ '002_idx.sql': migrationFile('create index concurrently t_email on t (email);', 'drop index t_email;') });
    const report = await migrateUp(lab.options());
    expect(report.failure).toMatchObject({ version: '002', rolledBack: true, error: { message: expect.stringMatching(/transaction block/) } });
  });

  it('records a failed transaction:false migration, then resumes it from the failed statement', async () => {
    await lab.write({
      '001_t.sql': migrationFile('create table t (id int);\ncreate index concurrently t_id on t (id);\ninsert into t values (nope);', 'drop table t;', 'transaction:false'),
    });
    const report = await migrateUp(lab.options());
    expect(report.failure).toMatchObject({ statementsDone: 2, rolledBack: false });
    expect((await migrationStatus(lab.options())).rows[0]).toMatchObject({ status: 'failed', statementsDone: 2, failedStatement: 'insert into t values (nope)' });
    await lab.write({
      '001_t.sql': migrationFile('create table t (id int);\ncreate index concurrently t_id on t (id);\ninsert into t values (7);', 'drop table t;', 'transaction:false'),
    });
    const resumed = await resolveFailed(lab.options({ version: '001', choice: 'resume' }));
    expect(resumed.steps).toMatchObject([{ version: '001', result: 'applied' }]);
    expect(await lab.query('select id from t')).toEqual([['7']]);
    expect((await lab.history()).map((e) => `${e.action}:${e.status}:${e.statementsDone}`)).toEqual([
      'up:running:2',
      'up:failed:2',
      'resume-up:running:2',
      'resume-up:applied:3',
    ]);
  });

  it('rolls back when the connection drops mid-migration, and leaves the history true', async () => {
    await lab.write({
      '001_a.sql': migrationFile('create table a (id int);', 'drop table a;'),
      '002_slow.sql': migrationFile('create table slow (id int);\nselect pg_sleep(20);', 'drop table slow;'),
    });
    const run = migrateUp(lab.options({ applicationName: 'mig-drop-test' }));
    // The migration travels as one script with its history row, so the backend's query is the whole script.
    const sleeping = "from pg_stat_activity where query like '%select pg_sleep(20)%' and pid <> pg_backend_pid()";
    await waitFor(async () => (await lab.query(`select count(*) ${sleeping}`))[0]![0] === '1');
    await lab.query(`select pg_terminate_backend(pid) ${sleeping}`);
    const report = await run;
    expect(report.failure).toMatchObject({ version: '002', statement: 'select pg_sleep(20)', rolledBack: true, error: { message: expect.stringMatching(/terminat/) } });
    expect(await lab.tables()).toEqual(['a']);
    expect((await migrationStatus(lab.options())).rows.map((r) => r.status)).toEqual(['applied', 'pending']);
  });

  it('stops before the next version when the session holding the lock is lost', async () => {
    await lab.write({
      '001_a.sql': migrationFile('create table a (id int);\nselect pg_sleep(0.5);', 'drop table a;'),
      '002_b.sql': migrationFile('create table b (id int);', 'drop table b;'),
    });
    const run = migrateUp(lab.options());
    const lockHolder = "select pid from pg_locks where locktype = 'advisory' and granted";
    // Version 001 is running (its pg_sleep is on the server) when the lock's session goes: the run finishes 001
    // and must not start 002. Killing it earlier would stop the run before 001 instead.
    await waitFor(async () => (await lab.query("select count(*) from pg_stat_activity where query like '%select pg_sleep(0.5)%' and pid <> pg_backend_pid()"))[0]![0] === '1');
    await lab.query(`select pg_terminate_backend(pid) from (${lockHolder}) holder`);
    await expect(run).rejects.toThrow(/session holding the migration lock was lost; stopped before version 002/);
    expect(await lab.tables()).toEqual(['a']);
  });
});

describe('MySQL: partial failures and how to resolve them', () => {
  let lab!: MigrationLab;
  useLab('mysql', (opened) => (lab = opened));

  const failing = migrationFile(
    'create table t (id int);\nalter table t add column a int;\nalter table t add column b int default nope;\nalter table t add column c int;',
    'drop table if exists t;',
  );
  const fixed = failing.replace('default nope', 'default 0');

  async function failAtThirdStatement() {
    await lab.write({ '001_t.sql': failing, '002_u.sql': migrationFile('create table u (id int);', 'drop table u;') });
    const report = await migrateUp(lab.options());
    expect(report.failure).toMatchObject({
      version: '001',
      file: '001_t.sql',
      line: 4,
      statement: 'alter table t add column b int default nope',
      statementsDone: 2,
      statementsTotal: 4,
      rolledBack: false,
      error: { message: expect.stringContaining("Unknown column 'nope'") },
    });
    const status = await migrationStatus(lab.options());
    expect(status.rows[0]).toMatchObject({ status: 'failed', statementsDone: 2, statementsTotal: 4, failedStatement: 'alter table t add column b int default nope' });
    expect(status.upBlockedBy).toMatch(/Version 001 \(t\) failed after 2 of 4 statements: Unknown column 'nope'/);
    await expect(migrateUp(lab.options())).rejects.toThrow(/Resolve it first: resolve 001 --resume, --revert or --mark-resolved/);
    await expect(migrateDown(lab.options())).rejects.toThrow(/Resolve it first/);
  }

  it('resumes from the failed statement once it is fixed', async () => {
    await failAtThirdStatement();
    await lab.write({ '001_t.sql': fixed });
    const report = await resolveFailed(lab.options({ version: '001', choice: 'resume' }));
    expect(report.steps).toMatchObject([{ version: '001', result: 'applied', statementsTotal: 4 }]);
    expect((await lab.query('select column_name from information_schema.columns where table_schema = database() and table_name = "t" order by ordinal_position')).flat()).toEqual(['id', 'a', 'b', 'c']);
    expect((await lab.history()).map((e) => `${e.action}:${e.status}`)).toEqual(['up:running', 'up:failed', 'resume-up:running', 'resume-up:applied']);
    expect((await migrateUp(lab.options())).steps.map((s) => s.version)).toEqual(['002']);
  });

  it('refuses to resume when a statement that already ran has changed', async () => {
    await failAtThirdStatement();
    await lab.write({ '001_t.sql': fixed.replace('add column a int', 'add column a bigint') });
    await expect(resolveFailed(lab.options({ version: '001', choice: 'resume' }))).rejects.toThrow(/statement 2, which ran before the failure, changed since/);
  });

  it('reverts a failed migration with its down section', async () => {
    await failAtThirdStatement();
    const report = await resolveFailed(lab.options({ version: '001', choice: 'revert' }));
    expect(report.steps).toMatchObject([{ version: '001', result: 'reverted' }]);
    expect(await lab.tables()).toEqual([]);
    expect((await lab.history()).at(-1)).toMatchObject({ action: 'revert-failed', status: 'reverted' });
    expect((await migrationStatus(lab.options())).rows.map((r) => r.status)).toEqual(['reverted', 'pending']);
  });

  it('marks a failed migration resolved after a person finished it by hand', async () => {
    await failAtThirdStatement();
    await lab.db.exec('alter table t add column b int default 0; alter table t add column c int;');
    const report = await resolveFailed(lab.options({ version: '001', choice: 'mark-resolved' }));
    expect(report.steps).toMatchObject([{ version: '001', result: 'resolved' }]);
    expect((await lab.history()).at(-1)).toMatchObject({ action: 'mark-resolved', status: 'applied', statementsDone: 4 });
    expect((await migrationStatus(lab.options())).rows.map((r) => r.status)).toEqual(['applied', 'pending']);
    await expect(resolveFailed(lab.options({ version: '002', choice: 'resume' }))).rejects.toThrow(/is pending, not failed/);
  });

  it('resumes a revert that failed part way in its own direction', async () => {
    const down = (bad: string) => `drop table x;\ndrop table ${bad};\ndrop table z;`;
    await lab.write({ '001_xyz.sql': migrationFile('create table x (id int);\ncreate table y (id int);\ncreate table z (id int);', down('nope')) });
    await migrateUp(lab.options());
    const report = await migrateDown(lab.options());
    expect(report.failure).toMatchObject({ statement: 'drop table nope', statementsDone: 1, statementsTotal: 3 });
    expect((await migrationStatus(lab.options())).rows[0]!.status).toBe('failed');
    await lab.write({ '001_xyz.sql': migrationFile('create table x (id int);\ncreate table y (id int);\ncreate table z (id int);', down('y')) });
    expect((await resolveFailed(lab.options({ version: '001', choice: 'resume' }))).steps).toMatchObject([{ direction: 'down', result: 'reverted' }]);
    expect(await lab.tables()).toEqual([]);
    expect((await lab.history()).map((e) => `${e.action}:${e.status}`).slice(2)).toEqual(['down:running', 'down:failed', 'resume-down:running', 'resume-down:reverted']);
  });

  it('runs DELIMITER blocks: a procedure with semicolons in its body', async () => {
    await lab.write({
      '001_proc.up.sql': `create table log (msg varchar(50));
DELIMITER $$
CREATE PROCEDURE note(IN m VARCHAR(50))
BEGIN
  INSERT INTO log VALUES (m);
  INSERT INTO log VALUES (CONCAT(m, ';again'));
END$$
DELIMITER ;
CALL note('hi');
`,
      '001_proc.down.sql': 'DROP PROCEDURE note;\nDROP TABLE log;\n',
    });
    expect((await migrateUp(lab.options())).failure).toBeUndefined();
    expect(await lab.query('select msg from log order by msg')).toEqual([['hi'], ['hi;again']]);
    await migrateDown(lab.options());
    expect(await lab.query('select count(*) from information_schema.routines where routine_schema = database()')).toEqual([['0']]);
  });

  it('marks the version failed at the right statement when the connection drops mid-migration', async () => {
    await lab.write({ '001_slow.sql': migrationFile('create table slow (id int);\nselect sleep(20);\ncreate table after_sleep (id int);', 'drop table slow;') });
    const run = migrateUp(lab.options());
    const sleeping = async () => (await lab.query("select id from information_schema.processlist where info = 'select sleep(20)'"))[0]?.[0];
    await waitFor(async () => (await sleeping()) !== undefined);
    await lab.db.exec(`kill ${await sleeping()}`);
    const report = await run;
    expect(report.failure).toMatchObject({ version: '001', statement: 'select sleep(20)', statementsDone: 1, rolledBack: false });
    expect((await migrationStatus(lab.options())).rows[0]).toMatchObject({ status: 'failed', statementsDone: 1, failedStatement: 'select sleep(20)' });
    expect(await lab.tables()).toEqual(['slow']);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting.');
    await sleep(50);
  }
}
