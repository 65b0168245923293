import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../shared/migrations.ts';
import { parseCommandLine } from '../../electron/core/migrations/cli/command-line.ts';
import { readDotenvValue } from '../../electron/core/migrations/cli/dotenv.ts';
import { checksumOf, type Migration } from '../../electron/core/migrations/files/migration-file.ts';
import { computeStatus, toMigrationRow, upBlocker } from '../../electron/core/migrations/status/compute-status.ts';

const migration = (version: string, sql = `select ${version};`): Migration => ({
  version,
  name: `m${version}`,
  files: [`${version}_m${version}.sql`],
  up: { sql, file: `${version}_m${version}.sql`, firstLine: 2, transaction: true },
  down: { sql: 'select 0;', file: `${version}_m${version}.sql`, firstLine: 4, transaction: true },
  checksum: checksumOf(sql),
});

let nextId = 1;
const event = (version: string, status: HistoryEvent['status'], extra: Partial<HistoryEvent> = {}): HistoryEvent => ({
  id: nextId++,
  version,
  name: `m${version}`,
  action: 'up',
  status,
  checksum: checksumOf(`select ${version};`),
  upSql: null,
  downSql: '-- migrate:down\nselect 0;',
  statementsDone: 1,
  statementsTotal: 1,
  error: null,
  failedStatement: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  executionMs: 5,
  appliedBy: 'ann@box',
  dbUser: 'app',
  toolVersion: '0.1.0',
  ...extra,
});

describe('computeStatus', () => {
  it('gives every status from the folder and the latest event of each version', () => {
    const files = [migration('1'), migration('2', 'select 22;'), migration('3'), migration('4'), migration('6'), migration('7'), migration('8')];
    const events = [
      event('1', 'applied'),
      event('2', 'applied'),
      event('3', 'applied'),
      event('3', 'reverted', { action: 'down' }),
      event('5', 'applied'),
      event('6', 'baseline', { action: 'baseline' }),
      event('7', 'failed', { statementsDone: 0, error: 'boom', failedStatement: 'select 7' }),
    ];
    const states = computeStatus(files, events, false);
    expect(states.map((s) => [s.version, s.status])).toEqual([
      ['1', 'applied'],
      ['2', 'modified'],
      ['3', 'out-of-order'],
      ['4', 'out-of-order'],
      ['5', 'missing'],
      ['6', 'baseline'],
      ['7', 'failed'],
      ['8', 'pending'],
    ]);
    const modified = toMigrationRow(states[1]!);
    expect(modified.checksum).toBe(checksumOf('select 22;'));
    expect(modified.appliedChecksum).toBe(checksumOf('select 2;'));
    expect(toMigrationRow(states[4]!)).toMatchObject({ status: 'missing', canRevert: true, appliedBy: 'ann@box', dbUser: 'app', executionMs: 5 });
    expect(upBlocker(states)).toMatch(/^Version 7 \(m7\) failed after 0 of 1 statements: boom\. Resolve it first/);
  });

  it('reads a running row as running while another runner holds the lock, else as an interrupted failure', () => {
    const events = [event('1', 'running', { statementsDone: 2, statementsTotal: 5, finishedAt: null })];
    expect(computeStatus([migration('1')], events, true)[0]!.status).toBe('running');
    const [interrupted] = computeStatus([migration('1')], events, false);
    expect(interrupted!.status).toBe('failed');
    expect(toMigrationRow(interrupted!).error).toMatch(/Interrupted after 2 of 5 statements/);
  });

  it('blocks up on a modified version, naming both checksums', () => {
    const states = computeStatus([migration('1', 'select 11;')], [event('1', 'applied')], false);
    expect(upBlocker(states)).toMatch(/^Version 1 \(1_m1\.sql\) changed since it was applied \(checksum \w{12} then, \w{12} now\)/);
  });
});

describe('parseCommandLine', () => {
  it('reads each verb with its options', () => {
    expect(parseCommandLine(['up', '--to', '20250101000000', '--dry-run', '--dir', 'db/migrations'])).toEqual({
      command: { verb: 'up', to: '20250101000000', dryRun: true, dir: 'db/migrations', json: false, allowOutOfOrder: false },
    });
    expect(parseCommandLine(['down', '--count', '3', '--lock-timeout', '2.5'])).toMatchObject({ command: { verb: 'down', count: 3, lockTimeoutMs: 2500, dir: './migrations' } });
    expect(parseCommandLine(['resolve', '7', '--mark-resolved'])).toMatchObject({ command: { verb: 'resolve', argument: '7', choice: 'mark-resolved' } });
    expect(parseCommandLine(['create', 'add users'])).toMatchObject({ command: { verb: 'create', argument: 'add users' } });
  });

  it('prints help for the program and for each verb', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: expect.stringContaining('resolve <version> --resume | --revert | --mark-resolved') });
    expect(parseCommandLine(['down', '-h'])).toEqual({ help: expect.stringContaining('--count N') });
  });

  it.each([
    [[], /No command given/],
    [['sideways'], /Unknown command "sideways"/],
    [['status', '--count', '2'], /"status" takes no --count/],
    [['down', '--count', '0'], /--count takes a whole number/],
    [['down', '--count', '1', '--to', '5'], /not both/],
    [['resolve', '7'], /exactly one of --resume, --revert, --mark-resolved/],
    [['resolve', '7', '--resume', '--revert'], /exactly one/],
    [['baseline'], /"baseline" takes a version/],
    [['up', 'extra'], /Unexpected "extra"/],
    [['up', '--lock-timeout', 'soon'], /--lock-timeout takes seconds/],
  ])('reports a usage mistake: %j', (argv, message) => {
    expect(parseCommandLine(argv)).toEqual({ usageError: expect.stringMatching(message) });
  });

  it.each([
    [['up', '--dri-run'], 'Unknown option --dri-run. Did you mean --dry-run?', 'up [--to VERSION] [--dry-run]'],
    [['up', '--dryrun'], 'Unknown option --dryrun. Did you mean --dry-run?', 'up [--to VERSION] [--dry-run]'],
    [['down', '--lock-timout', '3'], 'Unknown option --lock-timout. Did you mean --lock-timeout?', 'down [--count N | --to VERSION] [--dry-run]'],
    [['resolve', '7', '--mark-resovled'], 'Unknown option --mark-resovled. Did you mean --mark-resolved?', 'resolve <version> --resume | --revert | --mark-resolved'],
    [['--jsn', 'status'], 'Unknown option --jsn. Did you mean --json?', 'status [--json]'],
    [['up', '--bogus'], 'Unknown option --bogus. Run "cabinet-migrate up --help" for its options.', 'up [--to VERSION] [--dry-run]'],
    [['--dri-run'], 'Unknown option --dri-run. Did you mean --dry-run?', '<command> [options]'],
    [['up', '-x'], 'Unknown option -x. Run "cabinet-migrate up --help" for its options.', 'up [--to VERSION] [--dry-run]'],
    [['up', '--dir'], '--dir needs a value: --dir DIR. Run "cabinet-migrate up --help" for its options.', 'up [--to VERSION] [--dry-run]'],
    [['up', '--dir', '--json'], '--dir needs a value: --dir DIR. Run "cabinet-migrate up --help" for its options.', 'up [--to VERSION] [--dry-run]'],
    [['status', '--json=yes'], '--json is a switch and takes no value ("--json=yes"). Run "cabinet-migrate status --help" for its options.', 'status [--json]'],
  ])('names a mistyped option, the nearest one the command takes, and its usage: %j', (argv, usageError, usage) => {
    expect(parseCommandLine(argv)).toEqual({ usageError, usage: `Usage: cabinet-migrate ${usage}` });
  });

  it('suggests the command meant', () => {
    expect(parseCommandLine(['stauts'])).toEqual({ usageError: 'Unknown command "stauts". Did you mean status? Run "cabinet-migrate --help".' });
    expect(parseCommandLine(['frobnicate'])).toEqual({ usageError: 'Unknown command "frobnicate". Run "cabinet-migrate --help".' });
  });

  it('takes --dir with every verb, history included', () => {
    for (const argv of [['history'], ['status'], ['up'], ['down'], ['baseline', '3'], ['resolve', '3', '--revert'], ['create', 'x']]) {
      expect(parseCommandLine([...argv, '--dir', 'db/migrations'])).toMatchObject({ command: { dir: 'db/migrations' } });
    }
    expect(parseCommandLine(['history', '--dir=db', '--json'])).toEqual({
      command: { verb: 'history', dir: 'db', json: true, dryRun: false, allowOutOfOrder: false },
    });
  });
});

describe('readDotenvValue', () => {
  it('reads plain, quoted and exported values, and nothing when the file is absent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cabinet-dotenv-'));
    try {
      expect(await readDotenvValue(dir, 'DATABASE_URL')).toBeUndefined();
      await writeFile(join(dir, '.env'), '# settings\nOTHER=1\nexport DATABASE_URL="postgres://a@h/db#x"\r\n');
      expect(await readDotenvValue(dir, 'DATABASE_URL')).toBe('postgres://a@h/db#x');
      await writeFile(join(dir, '.env'), "DATABASE_URL = mysql://root@h/db # comment\n");
      expect(await readDotenvValue(dir, 'DATABASE_URL')).toBe('mysql://root@h/db');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
