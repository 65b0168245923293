/**
 * The allowed values of enum and set columns, as `browse/open` gives them to the grid's editors: in declared
 * order, quotes and commas inside a label kept, through a PostgreSQL domain too; absent for other columns.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

const SCHEMA = {
  postgres: `
    create type mood as enum ('sad', 'it''s, "fine"', 'happy');
    alter type mood add value 'meh' before 'happy';
    create domain good_mood as mood check (value <> 'sad');
    create table feelings (id int primary key, m mood, g good_mood, ms mood[], t text);`,
  mysql: `
    create table feelings (id int primary key, m enum('sad', 'it''s, "fine"', 'back\\\\slash', 'happy'), s set('a', 'b''c', 'd e'), t text);`,
} as const;

describe.each(['postgres', 'mysql'] as const)('enum values on %s', (engine) => {
  let dir: string;
  let core: Core;
  let db: TestDatabase;
  let client: CoreClient;
  let nextId = 1;

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const response = await client.call(nextId++, method, input);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.value as MethodOutput<M>;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-enum-values-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    db = engine === 'postgres' ? await createPostgresDatabase('cabinet_enum_values') : await createMysqlDatabase('cabinet_enum_values');
    await db.exec(SCHEMA[engine]);
    client = core.connectClient(() => undefined);
  });
  afterAll(async () => {
    await core?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists each enum column’s labels in declared order, and none for other columns', async () => {
    const profile = await call('profiles/save', { profile: { name: 'Enums', ...db.params } });
    const { connectionId } = await call('connections/open', { profileId: profile.id });
    const path = engine === 'postgres' ? [db.name, 'public', 'tables', 'feelings'] : [db.name, 'tables', 'feelings'];
    const info = await call('browse/open', { connectionId, path });
    const allowed = Object.fromEntries(info.columns.map((c) => [c.name, c.allowedValues]));
    if (engine === 'postgres') {
      expect(allowed).toEqual({ id: undefined, m: ['sad', 'it\'s, "fine"', 'meh', 'happy'], g: ['sad', 'it\'s, "fine"', 'meh', 'happy'], ms: undefined, t: undefined });
    } else {
      expect(allowed).toEqual({ id: undefined, m: ['sad', 'it\'s, "fine"', 'back\\slash', 'happy'], s: ['a', "b'c", 'd e'], t: undefined });
    }
  });
});
