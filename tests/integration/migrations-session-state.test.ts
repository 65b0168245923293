/**
 * Migrations that change their session: a role, the search path, a time-out, read-only transactions, the
 * client encoding (PostgreSQL); the current database, sql_mode, autocommit (MySQL). The runner's history must
 * be written all the same, and the next migration must start from the session as it connected, whether the
 * migration ran in one transaction or statement by statement.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrateUp, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

describe.each([
  ['in one transaction', ''],
  ['statement by statement', 'transaction:false'],
])('PostgreSQL migrations that change their session, %s', (_, upOptions) => {
  let lab!: MigrationLab;
  useLab('postgres', (opened) => (lab = opened));

  /** Applies the files, expects every version applied by the connecting user, and nothing failed. */
  async function applyAll(files: Record<string, string>): Promise<void> {
    await lab.write(files);
    const report = await migrateUp(lab.options());
    expect(report.failure).toBeUndefined();
    expect(report.steps.map((s) => s.result)).toEqual(Object.keys(files).map(() => 'applied'));
    const history = (await lab.history()).filter((e) => e.status === 'applied');
    expect(history.map((e) => e.dbUser)).toEqual(Object.keys(files).map(() => 'postgres'));
    expect((await migrationStatus(lab.options())).rows.every((r) => r.status === 'applied')).toBe(true);
  }

  it('SET search_path TO another schema: the history stays found, the next migration creates in public', async () => {
    await applyAll({
      '001_other.sql': migrationFile('create schema other;\nset search_path to other;\ncreate table in_other (id int);', undefined, upOptions),
      '002_default.sql': migrationFile('create table in_default (id int);', undefined, upOptions),
    });
    expect(await lab.query("select table_schema || '.' || table_name from information_schema.tables where table_name in ('in_other', 'in_default', 'cabinet_migrations') order by 1")).toEqual([
      ['other.in_other'],
      ['public.cabinet_migrations'],
      ['public.in_default'],
    ]);
    await lab.db.exec('drop schema other cascade');
  });

  it('SET ROLE to a role that may not write the history: its tables are its own, the next migration runs as the connecting user', async () => {
    const role = `cabinet_limited_${randomBytes(3).toString('hex')}`;
    await lab.db.exec(`create role ${role} nologin; grant usage, create on schema public to ${role};`);
    try {
      await applyAll({
        '001_as_role.sql': migrationFile(`set role ${role};\ncreate table owned_by_role (id int);`, undefined, upOptions),
        '002_as_user.sql': migrationFile('create table owned_by_user (id int);', undefined, upOptions),
      });
      expect(await lab.query("select tablename, tableowner from pg_tables where tablename like 'owned_by_%' order by 1")).toEqual([
        ['owned_by_role', role],
        ['owned_by_user', 'postgres'],
      ]);
      // The role was never allowed near the history: it was written as the connecting user.
      expect(await lab.query(`select has_table_privilege('${role}', 'public.cabinet_migrations', 'insert')`)).toEqual([['false']]);
    } finally {
      await lab.db.exec(`drop owned by ${role}; drop role ${role};`);
    }
  });

  it('SET statement_timeout and default_transaction_read_only: the history row and the next migration are unaffected', async () => {
    await applyAll({
      '001_strict.sql': migrationFile("create table t (id int);\nset statement_timeout = '50ms';\nset lock_timeout = '10ms';\nset default_transaction_read_only = on;", undefined, upOptions),
      '002_slow_write.sql': migrationFile('select pg_sleep(0.2);\ninsert into t values (1);', undefined, upOptions),
    });
    expect(await lab.query('select id from t')).toEqual([['1']]);
  });

  it('SET client_encoding: the next migration\'s text arrives as written', async () => {
    await applyAll({
      '001_latin1.sql': migrationFile("set client_encoding = 'LATIN1';", undefined, upOptions),
      '002_text.sql': migrationFile("create table words (w text);\ninsert into words values ('€ ✓ Zoë 𝄞');", undefined, upOptions),
    });
    expect(await lab.query('select w from words')).toEqual([['€ ✓ Zoë 𝄞']]);
  });
});

describe('MySQL migrations that change their session', () => {
  let lab!: MigrationLab;
  useLab('mysql', (opened) => (lab = opened));

  it('USE another database, sql_mode and autocommit: the history is written, the next migration starts on a fresh session', async () => {
    const other = `cabinet_other_${randomBytes(3).toString('hex')}`;
    await lab.db.exec(`create database ${other}`);
    try {
      await lab.write({
        '001_elsewhere.sql': migrationFile(`use ${other};\ncreate table in_other (id int);\nset sql_mode = 'ANSI_QUOTES';\nset autocommit = 0;`, 'drop table if exists in_other;'),
        // Double quotes are a string again (no ANSI_QUOTES); the row commits (autocommit is back); the table is in the connection's database.
        '002_here.sql': migrationFile('create table here (note varchar(20) default "plain");\ninsert into here () values ();', 'drop table here;'),
      });
      const report = await migrateUp(lab.options());
      expect(report.failure).toBeUndefined();
      expect(report.steps.map((s) => `${s.version}:${s.result}`)).toEqual(['001:applied', '002:applied']);
      expect(await lab.query('select note from here')).toEqual([['plain']]);
      expect(await lab.query(`select table_schema from information_schema.tables where table_name = 'in_other'`)).toEqual([[other]]);
      expect((await lab.history()).map((e) => `${e.version}:${e.status}`)).toEqual(['001:running', '001:applied', '002:running', '002:applied']);
    } finally {
      await lab.db.exec(`drop database ${other}`);
    }
  });
});
