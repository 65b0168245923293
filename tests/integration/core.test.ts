import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { RpcEvent } from '../../shared/rpc.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';

describe('the core, called as the renderer calls it', () => {
  let dir: string;
  let core: Core;
  let client: CoreClient;
  let pgDb: TestDatabase;
  let myDb: TestDatabase;
  const events: RpcEvent[] = [];
  let nextId = 1;

  async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const response = await client.call(nextId++, method, input);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.value as MethodOutput<M>;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-core-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    client = core.connectClient((e) => events.push(e));
    [pgDb, myDb] = await Promise.all([createPostgresDatabase(), createMysqlDatabase()]);
    await pgDb.exec('create table "a""b" (id int); create table artists (id int)');
    await myDb.exec('create table albums (id int)');
  });
  afterAll(async () => {
    await core.close();
    await Promise.all([pgDb.drop(), myDb.drop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the demo first, and opens it onto the Chinook tables', async () => {
    const profiles = await call('profiles/list', {});
    expect(profiles[0]).toMatchObject({ id: 'demo', name: 'Demo (embedded PostgreSQL)', builtIn: true, password: 'none' });
    const conn = await call('connections/open', { profileId: 'demo' });
    expect(conn.serverVersion).toMatch(/^PostgreSQL \d+/);
    const [database] = (await call('schema/children', { connectionId: conn.connectionId, path: [] })).nodes;
    const schemas = (await call('schema/children', { connectionId: conn.connectionId, path: database!.path })).nodes;
    expect(schemas.map((s) => s.name)).toContain('public');
    const tables = (await call('schema/children', { connectionId: conn.connectionId, path: [database!.name, 'public', 'tables'] })).nodes;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['artist', 'album', 'track', 'invoice', 'customer']));
    await call('connections/close', { connectionId: conn.connectionId });
  });

  it('runs migrations on the demo while the tree is browsed: the single backend never deadlocks the app', async () => {
    const conn = await call('connections/open', { profileId: 'demo' });
    // The demo comes with the samples attached and their first half applied.
    const dir = (await call('profiles/list', {})).find((p) => p.id === 'demo')!.migrationsDir!;
    const tables = ['postgres', 'public', 'tables'];
    const [report, browsed] = await Promise.all([
      call('migrations/up', { connectionId: conn.connectionId, dir }),
      (async () => {
        const seen: string[][] = [];
        for (let i = 0; i < 20; i++) seen.push((await call('schema/children', { connectionId: conn.connectionId, path: tables })).nodes.map((n) => n.name));
        return seen;
      })(),
    ]);
    expect(report.steps).toHaveLength(6);
    expect(report.steps.every((s) => s.result === 'applied')).toBe(true);
    expect(browsed).toHaveLength(20);
    const after = (await call('schema/children', { connectionId: conn.connectionId, path: tables })).nodes.map((n) => n.name);
    expect(after).toEqual(expect.arrayContaining(['artist', 'users', 'posts', 'cabinet_migrations']));
    await call('migrations/down', { connectionId: conn.connectionId, dir, to: '0' });
    await call('connections/close', { connectionId: conn.connectionId });
  });

  it('saves a profile with its password in memory only, never in the file', async () => {
    const saved = await call('profiles/save', {
      profile: { name: 'Local PG', ...pgDb.params },
      password: 'typed-secret-123',
    });
    expect(saved.password).toBe('session');
    const file = await readFile(join(dir, 'profiles.json'), 'utf8');
    expect(file).toContain('Local PG');
    expect(file).not.toContain('typed-secret-123');

    // A new core on the same folder (an app restart) has the profile but must ask for the password.
    const restarted = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    const other = restarted.connectClient(() => undefined);
    const r = await other.call(1, 'profiles/list', {});
    expect(r.ok && (r.value as { id: string; password: string }[]).find((p) => p.id === saved.id)?.password).toBe('ask');
    const open = await other.call(2, 'connections/open', { profileId: saved.id });
    expect(open).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
    await restarted.close();
  });

  it('edits, duplicates and deletes profiles; the demo cannot be deleted', async () => {
    const saved = await call('profiles/save', { profile: { name: 'Maria', ...myDb.params } });
    expect(saved.password).toBe('none');
    const edited = await call('profiles/save', { id: saved.id, profile: { ...myDb.params, name: 'Maria (edited)' } });
    expect(edited).toMatchObject({ id: saved.id, name: 'Maria (edited)' });
    const copy = await call('profiles/duplicate', { id: saved.id });
    expect(copy).toMatchObject({ name: 'Maria (edited) (copy)', host: myDb.params.host });
    expect(copy.id).not.toBe(saved.id);
    await call('profiles/delete', { id: copy.id });
    const names = (await call('profiles/list', {})).map((p) => p.name);
    expect(names).toContain('Maria (edited)');
    expect(names).not.toContain('Maria (edited) (copy)');
    await expect(call('profiles/delete', { id: 'demo' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('tests a connection: the server version, or a clear reason', async () => {
    const ok = await call('connections/test', { params: myDb.params, password: '' });
    expect(ok.serverVersion).toMatch(/^(MariaDB|MySQL) /);
    await expect(call('connections/test', { params: myDb.params, password: 'wrong' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(call('connections/test', { params: { ...pgDb.params, port: 1 } })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });

  it('reports a lost connection and reconnects on the next action', async () => {
    const saved = await call('profiles/save', { profile: { name: 'Lossy', ...pgDb.params } });
    const conn = await call('connections/open', { profileId: saved.id });
    const before = await call('schema/children', { connectionId: conn.connectionId, path: [pgDb.name, 'public', 'tables'] });
    expect(before.nodes.map((n) => n.name)).toEqual(['a"b', 'artists']);

    const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'Cabinet'", [pgDb.name]);
    await admin.end();
    await expect.poll(() => events.some((e) => e.event === 'connection/status' && e.payload.state === 'lost' && e.payload.connectionId === conn.connectionId)).toBe(true);

    const after = await call('schema/children', { connectionId: conn.connectionId, path: [pgDb.name, 'public', 'tables'] });
    expect(after.nodes.map((n) => n.name)).toEqual(['a"b', 'artists']);
    await call('connections/close', { connectionId: conn.connectionId });
  });

  it('answers unknown methods and bad input as data', async () => {
    expect(await client.call(1, 'nope/nothing', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await client.call(2, 'profiles/list', 'x')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await client.call(3, 'schema/children', { connectionId: 'gone', path: [] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_CONNECTED' },
    });
  });
});
