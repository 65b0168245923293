/**
 * Row editing through the core, on both real servers: values written and read back exactly, composite keys and
 * strange identifiers, key edits, conflicts from a second connection (everything rolled back), constraint
 * errors named by change and column, and the refusals (read-only, no key, generated columns, views).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api.ts';
import type { ApplyResult, ChangeSet } from '../../shared/edits.ts';
import type { CabinetErrorData } from '../../shared/errors.ts';
import type { CellValue } from '../../shared/values.ts';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { connect } from '../../electron/core/connections/connector.ts';
import { createCore, type Core, type CoreClient } from '../../electron/core/core.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';

const ONE_MB = 'é'.repeat(300_000) + 'x\n\t\'"\\'.repeat(80_000);
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('hex');
const bytes = (hex: string) => ({ kind: 'bytes' as const, hex, length: hex.length / 2 });

const ODD_TABLE = 'Odd "Tab" `x` é';
const ODD_K1 = 'K 1';
const ODD_K2 = 'Ké`"y';

const SCHEMA = {
  postgres: `
    create type mood as enum ('sad', 'happy', 'very "happy"');
    create table vals (id int primary key, b bigint, n numeric, ts timestamp(6), tx text, bin bytea, j json, jb jsonb, arr text[], m mood);
    insert into vals (id) values (1);
    create table "Odd ""Tab"" \`x\` é" ("K 1" int, "Ké\`""y" text, "Mixed Case" text, primary key ("K 1", "Ké\`""y"));
    insert into "Odd ""Tab"" \`x\` é" values (1, 'a', 'one'), (2, 'b', 'two');
    create table parent (id int primary key);
    insert into parent values (1), (2);
    create table child (id int primary key, pid int references parent (id), code text unique, qty int check (qty > 0), nm text not null);
    insert into child values (1, 1, 'c1', 1, 'n1'), (2, 2, 'c2', 2, 'n2');
    create table nokey (a int, b text);
    create table gen (id int generated always as identity primary key, a int, doubled int generated always as (a * 2) stored, d text default 'dflt');
    insert into gen (a) values (5);
    create view v_upd as select id, a, d from gen;
    create view v_ro as select count(*) as c from gen;`,
  mysql: `
    create table vals (id int primary key, b bigint, u bigint unsigned, n decimal(40,20), ts datetime(6), tx longtext, bin longblob, j json);
    insert into vals (id) values (1);
    create table \`Odd "Tab" \`\`x\`\` é\` (\`K 1\` int, \`Ké\`\`"y\` varchar(50), \`Mixed Case\` text, primary key (\`K 1\`, \`Ké\`\`"y\`));
    insert into \`Odd "Tab" \`\`x\`\` é\` values (1, 'a', 'one'), (2, 'b', 'two');
    create table parent (id int primary key) engine=InnoDB;
    insert into parent values (1), (2);
    create table child (id int primary key, pid int, code varchar(20) unique, qty int, nm varchar(20) not null,
      constraint child_qty check (qty > 0), constraint child_pid foreign key (pid) references parent (id)) engine=InnoDB;
    insert into child values (1, 1, 'c1', 1, 'n1'), (2, 2, 'c2', 2, 'n2');
    create table nokey (a int, b text);
    create table gen (id int auto_increment primary key, a int, doubled int as (a * 2) stored, d varchar(10) default 'dflt');
    insert into gen (a) values (5);
    create view v_upd as select id, a, d from gen;
    create view v_ro as select count(*) as c from gen;`,
} as const;

describe.each(['postgres', 'mysql'] as const)('row edits on %s', (engine) => {
  const pg = engine === 'postgres';
  let dir: string;
  let core: Core;
  let db: TestDatabase;
  let client: CoreClient;
  let connectionId: string;
  let nextId = 1;

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>, as = client): Promise<MethodOutput<M>> => {
    const response = await as.call(nextId++, method, input);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.value as MethodOutput<M>;
  };
  const refusal = async (method: string, input: unknown, as = client): Promise<CabinetErrorData> => {
    const response = await as.call(nextId++, method, input);
    if (response.ok) throw new Error(`${method} answered ${JSON.stringify(response.value).slice(0, 300)}`);
    return response.error;
  };
  const path = (table: string, group = 'tables') => (pg ? [db.name, 'public', group, table] : [db.name, group, table]);
  const apply = (table: string, changes: ChangeSet, group?: string) => call('edits/apply', { connectionId, path: path(table, group), changes });
  const q = (name: string) => (pg ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``);
  /** A separate session reading what the database holds. */
  const truth = async (sql: string, params: unknown[] = []): Promise<CellValue[][]> => {
    const session = await connect({ params: db.params }, { applicationName: 'edits test' });
    try {
      return (await session.query(sql, params)).rows;
    } finally {
      await session.close();
    }
  };
  const applied = (result: ApplyResult) => {
    if (result.status !== 'applied') throw new Error(`not applied: ${JSON.stringify(result).slice(0, 500)}`);
    return result;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-edits-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    db = pg ? await createPostgresDatabase('cabinet_edits') : await createMysqlDatabase('cabinet_edits');
    await db.exec(SCHEMA[engine]);
    client = core.connectClient(() => undefined);
    const profile = await call('profiles/save', { profile: { name: 'Edits', ...db.params } });
    ({ connectionId } = await call('connections/open', { profileId: profile.id }));
  });
  afterAll(async () => {
    await client?.close();
    await core?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const VALUES: Record<string, string | ReturnType<typeof bytes>> = {
    b: '9223372036854775807',
    n: '12345678901234567890.12345678901234567890',
    ts: '2024-02-29 23:59:59.123456',
    tx: ONE_MB,
    bin: bytes(ALL_BYTES),
    j: '{"a": [1, [2, [3, "x"]]], "b": null}',
    ...(pg ? { jb: '{"a": [1, [2, [3, "x"]]], "b": null}', arr: '{a,"b c",NULL,"\\"q\\""}', m: 'very "happy"' } : { u: '18446744073709551615' }),
  };
  const columns = Object.keys(VALUES);

  it('writes every value exactly, checks NULL-safely, and reads it back byte for byte', async () => {
    const nulls = Object.fromEntries(columns.map((c) => [c, null]));
    const result = applied(await apply('vals', { updates: [{ key: { id: '1' }, set: VALUES, expected: nulls }] }));
    const readBack = await truth(`select ${columns.map(q).join(', ')} from vals where id = 1`);
    expect(readBack[0]).toEqual(columns.map((c) => VALUES[c]));
    const row = result.rows[0]!.values!;
    expect(columns.map((c) => row[result.columns.indexOf(c)])).toEqual(columns.map((c) => VALUES[c]));
    // The values just written are what the user now sees: expected again, they match (json, bytes, arrays, 1 MB).
    const low = { b: '-9223372036854775808', ...(pg ? {} : { u: '0' }) };
    applied(await apply('vals', { updates: [{ key: { id: '1' }, set: low, expected: VALUES }] }));
    expect((await truth(`select ${Object.keys(low).map(q).join(', ')} from vals where id = 1`))[0]).toEqual(Object.values(low));
  });

  it("keeps '', NULL and 'NULL' apart, and takes defaults on insert", async () => {
    const result = applied(
      await apply('vals', {
        inserts: [{ values: { id: '10', tx: '' } }, { values: { id: '11', tx: null } }, { values: { id: '12', tx: 'NULL', b: { default: true } } }],
      }),
    );
    expect(result.rows.map((r) => r.values?.[result.columns.indexOf('tx')])).toEqual(['', null, 'NULL']);
    expect(await truth('select id, tx from vals where id >= 10 order by id')).toEqual([['10', ''], ['11', null], ['12', 'NULL']]);
  });

  it('edits composite keys of a table with odd identifiers, including a key column', async () => {
    const preview = await call('edits/preview', {
      connectionId,
      path: path(ODD_TABLE),
      changes: { updates: [{ key: { [ODD_K1]: '1', [ODD_K2]: 'a' }, set: { [ODD_K2]: 'a2', 'Mixed Case': 'uno' }, expected: { [ODD_K2]: 'a', 'Mixed Case': 'one' } }] },
    });
    expect(preview.statements).toHaveLength(1);
    expect(preview.statements[0]!.params).toEqual(['a2', 'uno', '1', 'a', 'one']);
    expect(preview.statements[0]!.sql).toContain(q(ODD_TABLE));
    const result = applied(
      await apply(ODD_TABLE, {
        updates: [{ key: { [ODD_K1]: '1', [ODD_K2]: 'a' }, set: { [ODD_K2]: 'a2', 'Mixed Case': 'uno' }, expected: { [ODD_K2]: 'a', 'Mixed Case': 'one' } }],
        deletes: [{ key: { [ODD_K1]: '2', [ODD_K2]: 'b' } }],
        inserts: [{ values: { [ODD_K1]: '3', [ODD_K2]: 'ç', 'Mixed Case': 'three' } }],
      }),
    );
    expect(result.rows.map((r) => r.values)).toEqual([['1', 'a2', 'uno'], ['3', 'ç', 'three']]);
    expect(await truth(`select * from ${q(ODD_TABLE)} order by 1`)).toEqual([['1', 'a2', 'uno'], ['3', 'ç', 'three']]);
  });

  it('reports a conflict on update and on delete, with the current values, and writes nothing', async () => {
    // The user read child 1 (qty 1) and child 2; a second connection changes one and deletes the other.
    await db.exec('update child set qty = 7 where id = 1');
    await db.exec(`insert into child values (3, 1, 'c3', 3, 'n3')`);
    await db.exec('delete from child where id = 3');
    const result = await apply('child', {
      updates: [
        { key: { id: '2' }, set: { nm: 'changed' }, expected: { nm: 'n2' } },
        { key: { id: '1' }, set: { qty: '9' }, expected: { qty: '1' } },
      ],
      deletes: [{ key: { id: '3' } }],
    });
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') return;
    expect(result.conflicts).toEqual([
      { change: { kind: 'delete', index: 0 }, expected: { id: '3' }, current: null },
      { change: { kind: 'update', index: 1 }, expected: { id: '1', qty: '1' }, current: { id: '1', pid: '1', code: 'c1', qty: '7', nm: 'n1' } },
    ]);
    expect(await truth('select id, nm, qty from child order by id')).toEqual([['1', 'n1', '7'], ['2', 'n2', '2']]);
  });

  it('reports constraint errors with the change and the column, and writes nothing', async () => {
    const expectFailure = async (changes: ChangeSet, change: unknown, column: string) => {
      const result = await apply('child', changes);
      expect(result).toMatchObject({ status: 'failed', change, column, message: expect.any(String) });
    };
    const ok = { key: { id: '2' }, set: { nm: 'fine' }, expected: {} };
    await expectFailure({ updates: [ok, { key: { id: '1' }, set: { code: 'c2' }, expected: {} }] }, { kind: 'update', index: 1 }, 'code');
    await expectFailure({ updates: [ok, { key: { id: '1' }, set: { pid: '99' }, expected: {} }] }, { kind: 'update', index: 1 }, 'pid');
    await expectFailure({ updates: [ok, { key: { id: '1' }, set: { qty: '0' }, expected: {} }] }, { kind: 'update', index: 1 }, 'qty');
    await expectFailure({ updates: [ok], inserts: [{ values: { id: '5', nm: null } }] }, { kind: 'insert', index: 0 }, 'nm');
    await expectFailure({ updates: [ok], inserts: [{ values: { id: '1', nm: 'dup' } }] }, { kind: 'insert', index: 0 }, 'id');
    // A parent still referred to.
    const parent = await apply('parent', { deletes: [{ key: { id: '1' } }] });
    expect(parent).toMatchObject({ status: 'failed', change: { kind: 'delete', index: 0 }, column: 'id' });
    expect(await truth('select nm from child where id = 2')).toEqual([['n2']]);
  });

  it('refuses a read-only connection in the core, before any SQL', async () => {
    const profile = await call('profiles/save', { profile: { name: 'Read-only', ...db.params, readOnly: true } });
    const { connectionId: readOnlyId } = await call('connections/open', { profileId: profile.id });
    const error = await refusal('edits/apply', { connectionId: readOnlyId, path: path('nokey'), changes: { inserts: [{ values: { a: '1' } }] } });
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('read-only') });
    expect(await truth('select count(*) from nokey')).toEqual([['0']]);
  });

  it('inserts into a table without a key, and refuses to update or delete there', async () => {
    applied(await apply('nokey', { inserts: [{ values: { a: '1', b: 'x' } }] }));
    expect(await truth('select a, b from nokey')).toEqual([['1', 'x']]);
    const error = await refusal('edits/apply', { connectionId, path: path('nokey'), changes: { updates: [{ key: { a: '1' }, set: { b: 'y' }, expected: {} }] } });
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no primary key/) });
    expect(error.message).not.toContain('\n');
  });

  it('refuses to write a generated column, and reads generated values back', async () => {
    const error = await refusal('edits/apply', { connectionId, path: path('gen'), changes: { updates: [{ key: { id: '1' }, set: { doubled: '3' }, expected: {} }] } });
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"doubled"') });
    if (pg) {
      const identity = await refusal('edits/apply', { connectionId, path: path('gen'), changes: { inserts: [{ values: { id: '7', a: '1' } }] } });
      expect(identity).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('identity') });
    }
    const result = applied(await apply('gen', { inserts: [{ values: { a: '21' } }], updates: [{ key: { id: '1' }, set: { a: '6' }, expected: { a: '5' } }] }));
    expect(result.rows.map((r) => r.values)).toEqual([['1', '6', '12', 'dflt'], ['2', '21', '42', 'dflt']]);
  });

  it('inserts through an updatable view and refuses a view that is not', async () => {
    applied(await apply('v_upd', { inserts: [{ values: { a: '100' } }] }, 'views'));
    expect(await truth('select a, doubled from gen where a = 100')).toEqual([['100', '200']]);
    const error = await refusal('edits/apply', { connectionId, path: path('v_ro', 'views'), changes: { inserts: [{ values: { c: '1' } }] } });
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('view') });
  });

  it('answers unknown connections and tables without INTERNAL', async () => {
    expect(await refusal('edits/apply', { connectionId: 'nope', path: path('vals'), changes: {} })).toMatchObject({ code: 'NOT_CONNECTED' });
    expect(await refusal('edits/preview', { connectionId, path: path('missing'), changes: {} })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal('edits/apply', { connectionId, path: path('vals'), changes: { updates: [{ key: { nope: '1' }, set: { b: '1' }, expected: {} }] } })).toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
