import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/core/migrations/cli.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

const BIN = join(import.meta.dirname, '../../bin/cabinet-migrate.mjs');

/** The real command, as a CI job runs it: a process, its exit code, its two streams. */
async function cabinetMigrate(args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH!, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The same entry point in-process, for the cases that need no separate process. */
async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd });
  return { code, stdout, stderr };
}

describe('cabinet-migrate', () => {
  let lab!: MigrationLab;
  useLab('postgres', (opened) => (lab = opened));

  it('runs as a process: help, up and status --json with DATABASE_URL from .env, exit codes', async () => {
    const project = lab.dir;
    await mkdir(join(project, 'migrations'));
    await writeFile(join(project, 'migrations', '001_a.sql'), migrationFile('create table a (id int);', 'drop table a;'));
    await writeFile(join(project, 'migrations', '002_b.sql'), migrationFile('create table b (id int);\ninsert into b values (nope);', 'drop table b;'));
    await writeFile(join(project, '.env'), `# local settings\nDATABASE_URL=${lab.db.url}\n`);

    const help = await cabinetMigrate(['--help'], project);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cabinet-migrate <command>/);
    expect((await cabinetMigrate(['down', '--help'], project)).stdout).toContain('--count N');

    const up = await cabinetMigrate(['up'], project);
    expect(up.code).toBe(1);
    expect(up.stdout).toContain('applied  001 a (1 statement)');
    expect(up.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(up.stderr).toMatch(/^cabinet-migrate: version 002 \(002_b\.sql, line 3\) failed at statement 2 "insert into b values \(nope\)": column "nope" does not exist \(rolled back\)\n$/);

    const status = await cabinetMigrate(['status', '--json'], project);
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as { version: string; status: string }[];
    expect(rows.map((r) => [r.version, r.status])).toEqual([
      ['001', 'applied'],
      ['002', 'pending'],
    ]);

    const usage = await cabinetMigrate(['down', '--count', 'many'], project);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('cabinet-migrate: --count takes a whole number of at least 1, not "many".\n');
  });

  it('takes --dir with history like every verb, and answers a mistyped option with the usage line and the option meant', async () => {
    const history = await cabinetMigrate(['history', '--dir', 'migrations', '--url', lab.db.url], lab.dir);
    expect(history).toEqual({ code: 0, stdout: 'The history is empty.\n', stderr: '' });
    const typo = await cabinetMigrate(['up', '--dri-run', '--url', lab.db.url], lab.dir);
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cabinet-migrate: Unknown option --dri-run. Did you mean --dry-run?\nUsage: cabinet-migrate up [--to VERSION] [--dry-run]\n',
    });
  });

  it('creates a migration file, prints a dry run, and reads --url before DATABASE_URL', async () => {
    const created = await cli(['create', 'Add users', '--dir', 'db'], lab.dir);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/db\/\d{14}_add_users\.sql\n$/);
    const [file] = await readdir(join(lab.dir, 'db'));
    await writeFile(join(lab.dir, 'db', file!), migrationFile('create table users (id int);', 'drop table users;'));

    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };
    const dry = await cli(['up', '--dry-run', '--dir', 'db', '--url', lab.db.url], lab.dir, env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('create table users (id int);');
    // Qualified with its schema, so that a migration changing the search path cannot hide it.
    expect(dry.stdout).toContain('INSERT INTO public.cabinet_migrations');
    expect(dry.stdout).toContain('CREATE TABLE IF NOT EXISTS public.cabinet_migrations');
    expect(await lab.tables()).toEqual([]);

    const up = await cli(['up', '--dir', 'db', '--json'], lab.dir, { DATABASE_URL: lab.db.url });
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ action: 'up', dryRun: false, steps: [{ result: 'applied' }] });

    const status = await cli(['status', '--dir', 'db'], lab.dir, { DATABASE_URL: lab.db.url });
    expect(status.stdout).toMatch(/^VERSION\s+NAME\s+STATUS\s+WHEN \(UTC\)\s+TIME\s+BY\n\d{14}\s+add_users\s+applied\s+\d{4}-/);
  });

  it('fails with one line on stderr for a missing connection, a bad URL, a lock held elsewhere and a failed version', async () => {
    const none = await cli(['status'], lab.dir);
    expect(none).toMatchObject({ code: 1, stderr: 'cabinet-migrate: No database given: pass --url, or set DATABASE_URL (in the environment or ./.env).\n' });
    const bad = await cli(['status', '--url', 'postgres://host:99999/db'], lab.dir);
    expect(bad).toMatchObject({ code: 1, stderr: 'cabinet-migrate: The port "99999" is not a number from 1 to 65535.\n' });
    const missingDir = await cli(['status', '--url', lab.db.url, '--dir', 'nope'], lab.dir);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toMatch(/^cabinet-migrate: The migrations folder ".*nope" does not exist\.\n$/);

    await lab.write({ '001_t.sql': migrationFile('create table t (id int);\ncreate index concurrently t_id on t (nope);', 'drop table t;', 'transaction:false') });
    const env = { DATABASE_URL: lab.db.url };
    const failed = await cli(['up', '--dir', '.'], lab.dir, env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^cabinet-migrate: version 001 \(001_t\.sql, line 3\) failed at statement 2 .*\(1 of 2 statements ran\)\n$/);
    const blocked = await cli(['up', '--dir', '.'], lab.dir, env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/Resolve it first: resolve 001 --resume, --revert or --mark-resolved\.\n$/);
    const status = await cli(['status', '--dir', '.'], lab.dir, env);
    expect(status.stdout).toMatch(/001 failed after 1 of 2 statements: column "nope" does not exist\n {2}statement: create index concurrently t_id on t \(nope\)/);
    const reverted = await cli(['resolve', '001', '--revert', '--dir', '.'], lab.dir, env);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toMatch(/^reverted 001 t \(1 statement\)\nResolved 1 migration in \d+ ms\.\n$/);
    expect(await lab.tables()).toEqual([]);
  });
});
