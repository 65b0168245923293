/**
 * The browse methods called as the renderer calls them, through the core's router: inputs checked at the
 * door, views owned by the client that opened them and closed with it or with their connection, and the
 * embedded demo's Chinook browsed like any server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { CabinetErrorData } from '../../shared/errors.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { BROWSE_APPLICATION_NAME } from '../../electron/core/browse/session-pool.ts';
import { createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { truth } from './browse-fixture.ts';

describe('browse methods through the core', () => {
  let dir: string;
  let core: Core;
  let db: TestDatabase;
  let nextId = 1;

  const call = async <M extends MethodName>(client: CoreClient, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const response = await client.call(nextId++, method, input);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.value as MethodOutput<M>;
  };
  const refusal = async (client: CoreClient, method: string, input: unknown): Promise<CabinetErrorData> => {
    const response = await client.call(nextId++, method, input);
    if (response.ok) throw new Error(`${method} answered`);
    return response.error;
  };
  const browseSessions = async () =>
    Number((await truth(db, 'select count(*) from pg_stat_activity where application_name = $1 and datname = $2', [BROWSE_APPLICATION_NAME, db.name]))[0]![0]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-browse-core-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    db = await createPostgresDatabase('cabinet_browse_core');
    await db.exec(`create table people (id int primary key, name text, born date, score numeric); insert into people select g, 'p' || g, null, g / 3.0 from generate_series(1, 50) g;`);
  });
  afterAll(async () => {
    await core?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function connected(client: CoreClient) {
    const profile = await call(client, 'profiles/save', { profile: { name: 'Browse test', ...db.params } });
    return call(client, 'connections/open', { profileId: profile.id });
  }

  it('opens, queries, reads, counts and closes a view', async () => {
    const client = core.connectClient(() => undefined);
    const { connectionId } = await connected(client);
    const info = await call(client, 'browse/open', { connectionId, path: [db.name, 'public', 'tables', 'people'] });
    expect(info).toMatchObject({ key: { columns: ['id'] }, total: { rows: 50, exact: true }, generation: 0 });
    const query = await call(client, 'browse/query', { viewId: info.viewId, sort: [{ column: 'name', direction: 'desc' }], filters: [{ column: 'id', op: '<=', value: '20' }] });
    expect(query).toMatchObject({ generation: 1, params: ['20'], sql: expect.stringContaining('ORDER BY "name" DESC, "id" DESC') });
    const window = await call(client, 'browse/rows', { viewId: info.viewId, start: 0, count: 3 });
    expect(window).toMatchObject({ generation: 1, start: 0 });
    expect(window.rows.map((r) => r.slice(0, 2))).toEqual([['9', 'p9'], ['8', 'p8'], ['7', 'p7']]);
    expect(window.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(await call(client, 'browse/count', { viewId: info.viewId })).toMatchObject({ total: { rows: 20, exact: true } });
    expect(await call(client, 'browse/close', { viewId: info.viewId })).toEqual({});
    expect(await refusal(client, 'browse/rows', { viewId: info.viewId, start: 0, count: 3 })).toMatchObject({ code: 'NOT_FOUND' });
    await client.close();
  });

  it('checks inputs at the door: bounds, operators, their values, unknown fields', async () => {
    const client = core.connectClient(() => undefined);
    expect(await refusal(client, 'browse/rows', { viewId: 'v', start: -1, count: 10 })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('start') });
    expect(await refusal(client, 'browse/rows', { viewId: 'v', start: 0, count: 5000 })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('count') });
    expect(await refusal(client, 'browse/query', { viewId: 'v', sort: [], filters: [{ column: 'a', op: 'regexp', value: 'x' }] })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await refusal(client, 'browse/query', { viewId: 'v', sort: [], filters: [{ column: 'a', op: 'between', values: ['1'] }] })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await refusal(client, 'browse/query', { viewId: 'v', sort: [], filters: [{ column: 'a', op: 'is-null', value: 'x' }] })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await refusal(client, 'browse/open', { connectionId: 'c', path: [], extra: 1 })).toMatchObject({ code: 'BAD_INPUT' });
    expect(await refusal(client, 'browse/rows', { viewId: 'unknown', start: 0, count: 1 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(client, 'browse/open', { connectionId: 'unknown', path: ['a', 'b', 'tables', 'c'] })).toMatchObject({ code: 'NOT_CONNECTED' });
    await client.close();
  });

  it('answers odd but well-formed queries on a live view with a proper error, never INTERNAL, and keeps reading', async () => {
    const client = core.connectClient(() => undefined);
    const { connectionId } = await connected(client);
    const { viewId } = await call(client, 'browse/open', { connectionId, path: [db.name, 'public', 'tables', 'people'] });
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '\u0000', "'", '%', '1e400', '-0', '2024-02-30', 'NaN', '9'.repeat(40), ') or (1=1', '$1', '?'));
    const column = fc.constantFrom('id', 'name', 'born', 'score', '__proto__', 'ID');
    const filter = fc.oneof(
      fc.record({ column, op: fc.constantFrom('=', '<>', '<', '<=', '>', '>=', 'contains', 'like', 'ilike'), value: text }),
      fc.record({ column, op: fc.constant('in'), values: fc.array(text, { minLength: 1, maxLength: 3 }) }),
      fc.record({ column, op: fc.constant('between'), values: fc.tuple(text, text) }),
      fc.record({ column, op: fc.constantFrom('is-null', 'is-not-null') }),
    );
    const input = fc.record({
      sort: fc.array(fc.record({ column, direction: fc.constantFrom('asc', 'desc') }), { maxLength: 3 }),
      filters: fc.array(filter, { maxLength: 3 }),
      where: fc.option(fc.oneof(text, fc.constantFrom('id > 3', 'name like', '1=1; select 1', '/* open', 'id in (select id from people)')), { nil: undefined }),
      start: fc.integer({ min: 0, max: 100 }),
    });
    for (const sample of fc.sample(input, { numRuns: 150, seed: 7 })) {
      const { start, ...query } = sample;
      for (const [method, body] of [
        ['browse/query', { viewId, ...query }],
        ['browse/rows', { viewId, start, count: 20 }],
      ] as const) {
        const response = await client.call(nextId++, method, body);
        if (!response.ok) expect(response.error.code, `${method} ${JSON.stringify(body)}: ${response.error.message}`).not.toBe('INTERNAL');
      }
    }
    await call(client, 'browse/query', { viewId, sort: [], filters: [] });
    expect((await call(client, 'browse/rows', { viewId, start: 0, count: 5 })).rows).toHaveLength(5);
    await client.close();
  });

  it('keeps a view to its client, and closes it (and its reads) when the client goes', async () => {
    const owner = core.connectClient(() => undefined);
    const other = core.connectClient(() => undefined);
    const { connectionId } = await connected(owner);
    const { viewId } = await call(owner, 'browse/open', { connectionId, path: [db.name, 'public', 'tables', 'people'] });
    expect(await refusal(other, 'browse/rows', { viewId, start: 0, count: 3 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(other, 'browse/close', { viewId })).toMatchObject({ code: 'NOT_FOUND' });
    await call(owner, 'browse/rows', { viewId, start: 0, count: 3 });
    await owner.close();
    expect(await refusal(other, 'browse/rows', { viewId, start: 0, count: 3 })).toMatchObject({ code: 'NOT_FOUND' });
    await other.close();
  });

  it('closes its sessions with the connection', async () => {
    const client = core.connectClient(() => undefined);
    const before = await browseSessions();
    const { connectionId } = await connected(client);
    const { viewId } = await call(client, 'browse/open', { connectionId, path: [db.name, 'public', 'tables', 'people'] });
    await call(client, 'browse/rows', { viewId, start: 0, count: 3 });
    expect(await browseSessions()).toBeGreaterThan(before);
    await call(client, 'connections/close', { connectionId });
    expect(await refusal(client, 'browse/rows', { viewId, start: 0, count: 3 })).toMatchObject({ code: 'NOT_FOUND' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await browseSessions()).toBe(before);
    await client.close();
  });

  it('browses Chinook in the embedded demo', async () => {
    const client = core.connectClient(() => undefined);
    const conn = await call(client, 'connections/open', { profileId: 'demo' });
    const [database] = (await call(client, 'schema/children', { connectionId: conn.connectionId, path: [] })).nodes;
    const info = await call(client, 'browse/open', { connectionId: conn.connectionId, path: [database!.name, 'public', 'tables', 'track'] });
    expect(info).toMatchObject({ key: { columns: ['track_id'] }, paging: 'keyset' });
    expect(info.foreignKeys.map((f) => f.references.name).sort()).toEqual(['album', 'genre', 'media_type']);
    await call(client, 'browse/query', { viewId: info.viewId, sort: [{ column: 'milliseconds', direction: 'desc' }], filters: [] });
    const first = await call(client, 'browse/rows', { viewId: info.viewId, start: 0, count: 100 });
    const next = await call(client, 'browse/rows', { viewId: info.viewId, start: 100, count: 100 });
    expect(first.rows).toHaveLength(100);
    expect(Number(next.rows[0]![6])).toBeLessThanOrEqual(Number(first.rows[99]![6]));
    const end = await call(client, 'browse/rows', { viewId: info.viewId, start: 3503 - 10, count: 10 });
    expect(end).toMatchObject({ atEnd: true, total: { rows: 3503, exact: true } });
    const structure = await call(client, 'browse/structure', { connectionId: conn.connectionId, path: [database!.name, 'public', 'tables', 'track'] });
    expect(structure.referencedBy.map((f) => f.table.name)).toEqual(['invoice_line', 'playlist_track']);
    await client.close();
  });
});
