import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checksumOf,
  parseMigrationFileName,
  parseSections,
  sectionStatements,
} from '../../electron/core/migrations/files/migration-file.ts';
import { createMigrationFile, loadMigrations, timestampVersion } from '../../electron/core/migrations/files/migration-folder.ts';
import { sectionFromHistory, storedSectionText } from '../../electron/core/migrations/files/stored-section.ts';

describe('parseMigrationFileName', () => {
  it.each([
    ['20251123120000_create_users.sql', { version: '20251123120000', name: 'create_users', part: 'both' }],
    ['0007_add.email.index.up.sql', { version: '0007', name: 'add.email.index', part: 'up' }],
    ['0007-add_index.DOWN.sql', { version: '0007', name: 'add_index', part: 'down' }],
    ['42.sql', { version: '42', name: '', part: 'both' }],
  ])('reads %s', (name, expected) => {
    expect(parseMigrationFileName(name)).toEqual(expected);
  });

  it.each(['README.md', 'create_users.sql', 'v1_users.sql', '001_users.sql.bak'])('ignores %s', (name) => {
    expect(parseMigrationFileName(name)).toBeNull();
  });
});

describe('parseSections', () => {
  it('reads both sections of a single file with their first lines and options', () => {
    const text = '-- a header comment\n\n-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n--   migrate:down\ndrop index i;\n';
    const sections = parseSections('001_i.sql', text, 'both');
    expect(sections.up).toEqual({ sql: 'create index concurrently i on t (a);', file: '001_i.sql', firstLine: 4, transaction: false });
    expect(sections.down).toEqual({ sql: 'drop index i;\n', file: '001_i.sql', firstLine: 6, transaction: true });
  });

  it('accepts the down section first, and an up section alone', () => {
    expect(Object.keys(parseSections('a.sql', '-- migrate:down\ndrop table t;\n-- migrate:up\ncreate table t ();', 'both'))).toEqual(['down', 'up']);
    expect(parseSections('a.sql', '-- migrate:up\ncreate table t ();', 'both').down).toBeUndefined();
  });

  it('reads a whole .up.sql or .down.sql file as its section, with an optional marker for options', () => {
    expect(parseSections('1_a.up.sql', 'create table t ();\n', 'up').up).toMatchObject({ sql: 'create table t ();\n', firstLine: 1, transaction: true });
    expect(parseSections('1_a.up.sql', '-- migrate:up transaction:false\nvacuum;\n', 'up').up).toMatchObject({ sql: 'vacuum;\n', firstLine: 2, transaction: false });
  });

  it('drops a BOM and reads CRLF files', () => {
    const sections = parseSections('a.sql', '\uFEFF-- migrate:up\r\nselect 1;\r\n-- migrate:down\r\nselect 2;\r\n', 'both');
    expect(sections.up!.sql).toBe('select 1;');
    expect(sections.down!.sql).toBe('select 2;\n');
  });

  it.each([
    ['create table t ();', 'both', /^a\.sql, line 1: no "-- migrate:up" line/],
    ['select 1;\n-- migrate:up\nselect 2;', 'both', /^a\.sql, line 1: SQL before the first "-- migrate:" marker/],
    ['-- migrate:up\nselect 1;\n-- migrate:up\nselect 2;', 'both', /^a\.sql, line 3: a second "-- migrate:up" section/],
    ['-- migrate:up transaction:maybe\nselect 1;', 'both', /^a\.sql, line 1: unknown option "transaction:maybe"/],
    ['-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;', 'up', /^a\.sql, line 3: "-- migrate:down" in a \.up\.sql file/],
  ] as const)('refuses %j', (text, part, message) => {
    expect(() => parseSections('a.sql', text, part)).toThrow(message);
  });

  it('gives statements their line in the file', () => {
    const { up } = parseSections('a.sql', '-- migrate:up\ncreate table t (id int);\n\ninsert into t values (1);\n-- migrate:down\n', 'both');
    expect(sectionStatements(up!, 'postgres')).toMatchObject([
      { sql: 'create table t (id int)', line: 2 },
      { sql: 'insert into t values (1)', line: 4 },
    ]);
  });
});

describe('checksumOf', () => {
  it('ignores CRLF, a BOM and trailing blanks, so line endings are never drift', () => {
    const base = checksumOf('create table t (\n  id int\n);');
    expect(checksumOf('\uFEFFcreate table t (\r\n  id int   \r\n);\r\n\r\n')).toBe(base);
    expect(checksumOf('create table t (\n  id int\t\n);\n\n\n')).toBe(base);
  });

  it('sees any other change', () => {
    expect(checksumOf('create table t (id int);')).not.toBe(checksumOf('create table t (id bigint);'));
    expect(checksumOf('select 1;')).not.toBe(checksumOf(' select 1;'));
  });

  it('counts a change in a comment of the up section, as Flyway counts any change', () => {
    expect(checksumOf('-- users, by email\ncreate table users (email text);')).not.toBe(checksumOf('-- users, by e-mail\ncreate table users (email text);'));
    expect(checksumOf('create table users (email text); /* one */')).not.toBe(checksumOf('create table users (email text); /* two */'));
  });

  it('covers the up section only: not the lines above its marker, not the down section', () => {
    const file = (header: string, down: string) => `${header}-- migrate:up\ncreate table t (id int);\n-- migrate:down\n${down}\n`;
    const checksum = (text: string) => checksumOf(parseSections('1_t.sql', text, 'both').up!.sql);
    const base = checksum(file('', 'drop table t;'));
    expect(checksum(file('-- Ticket 42: the t table\n', 'drop table t;'))).toBe(base);
    expect(checksum(file('', '-- fixed after applying\ndrop table if exists t;'))).toBe(base);
  });
});

describe('stored sections', () => {
  it('round-trips a section through the history with its transaction option', () => {
    const section = { sql: 'create index concurrently i on t (a);', file: '1.sql', firstLine: 4, transaction: false };
    const stored = storedSectionText('up', section);
    expect(stored).toBe('-- migrate:up transaction:false\ncreate index concurrently i on t (a);');
    expect(sectionFromHistory('up', '1', stored)).toMatchObject({ sql: section.sql, transaction: false });
    expect(sectionFromHistory('down', '1', null)).toBeUndefined();
  });
});

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => writeFile(join(dir, name), text);

  it('reads both layouts, sorted by version as a number, and skips other files', async () => {
    await write('10_ten.sql', '-- migrate:up\nselect 10;\n-- migrate:down\nselect -10;\n');
    await write('9_nine.up.sql', 'select 9;');
    await write('9_nine.down.sql', 'select -9;');
    await write('2_two.up.sql', 'select 2;');
    await write('notes.txt', 'not a migration');
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name, m.files, m.down?.sql])).toEqual([
      ['2', 'two', ['2_two.up.sql'], undefined],
      ['9', 'nine', ['9_nine.down.sql', '9_nine.up.sql'], 'select -9;'],
      ['10', 'ten', ['10_ten.sql'], 'select -10;\n'],
    ]);
    expect(migrations[0]!.checksum).toBe(checksumOf('select 2;'));
  });

  it.each([
    [['1_a.sql', '001_b.sql'], /Version 001 appears more than once: 001_b\.sql, 1_a\.sql/],
    [['1_a.sql', '1_a.down.sql'], /Version 1 appears more than once/],
    [['1_a.up.sql', '1_b.down.sql'], /must share its \.up\.sql file's name/],
    [['1_a.down.sql'], /1_a\.down\.sql has no matching \.up\.sql file/],
  ])('refuses %j', async (names, message) => {
    for (const name of names) await write(name, /\.(up|down)\.sql$/.test(name) ? 'select 1;' : '-- migrate:up\nselect 1;\n');
    await expect(loadMigrations(dir)).rejects.toThrow(message);
  });

  it('names a folder that does not exist', async () => {
    await expect(loadMigrations(join(dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nope') });
  });

  it('creates a file named with the UTC time, with both sections, and never overwrites', async () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    expect(timestampVersion(now)).toBe('20260102030405');
    const created = await createMigrationFile(join(dir, 'new'), '  Add Users: email! ', now);
    expect(created).toEqual({ file: '20260102030405_add_users_email.sql', version: '20260102030405' });
    const text = await readFile(join(dir, 'new', created.file), 'utf8');
    expect(parseSections(created.file, text, 'both')).toMatchObject({ up: { sql: '\n' }, down: { sql: '\n' } });
    await expect(createMigrationFile(join(dir, 'new'), 'other', now)).rejects.toThrow(/already taken/);
    await expect(createMigrationFile(dir, '!!!', now)).rejects.toThrow(/no letters or digits/);
  });
});
