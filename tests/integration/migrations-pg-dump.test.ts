/**
 * A real pg_dump file as a migration's up section. pg_dump empties the session's search path
 * (`set_config('search_path', '', false)`), sets time-outs and encodings, brackets its output in psql's
 * `\restrict` / `\unrestrict`, and loads data with `COPY ... FROM stdin`. The runner must apply it whole,
 * record it, and leave the next migration a normal session; what it builds must be, object for object, what
 * psql builds from the same file.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrateUp, migrationHistory, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';

const run = promisify(execFile);
const pgEnv = { ...process.env, PGHOST: PG_HOST, PGPORT: String(PG_PORT), PGUSER: 'postgres' };

/** A small application: schemas, types, sequences, functions of both body kinds, triggers, partitions, views, data. */
const SOURCE_SCHEMA = String.raw`
create schema app;
create type public.mood as enum ('calm', 'busy', 'on fire');
create domain public.positive_int as integer check (value > 0);
create sequence public.ticket_seq start with 1000 increment by 7;

create table public.customer (
  id integer generated always as identity primary key,
  name text not null unique,
  mood public.mood not null default 'calm',
  note text,
  name_length integer generated always as (length(name)) stored
);
comment on table public.customer is 'People who buy things; they have "quotes" and ''apostrophes''.';

create table public.orders (
  id bigserial primary key,
  customer_id integer not null references public.customer (id) on delete cascade,
  ticket integer not null default nextval('public.ticket_seq'),
  quantity public.positive_int not null,
  updated_at timestamptz
);
create index orders_customer_idx on public.orders (customer_id, ticket desc);

create table public.measure (
  taken_on date not null,
  sensor text not null,
  value numeric(12, 4)
) partition by range (taken_on);
create table public.measure_2024 partition of public.measure for values from ('2024-01-01') to ('2025-01-01');
create table public.measure_2025 partition of public.measure for values from ('2025-01-01') to ('2026-01-01');
create table public.measure_other partition of public.measure default;
create index measure_sensor_idx on public.measure (sensor);

create function public.touch() returns trigger language plpgsql as $$
begin
  -- a semicolon; inside a comment, and a $ sign
  new.updated_at := '2025-06-01 12:00:00+00';
  return new;
end;
$$;
create trigger orders_touch before insert or update on public.orders for each row execute function public.touch();

create function app.order_total(c integer) returns bigint language sql stable
begin atomic
  select coalesce(sum(quantity), 0) from public.orders where customer_id = c;
end;

create table app.audit (id serial primary key, message text);
create function app.audit_customer() returns trigger language plpgsql as $body$
begin
  insert into app.audit (message) values (format('customer %s: %L', new.id, new.name));
  return new;
end;
$body$;
create trigger customer_audit after insert on public.customer for each row execute function app.audit_customer();

create view public.customer_orders as
  select c.name, count(o.id) as orders, app.order_total(c.id) as total
    from public.customer c left join public.orders o on o.customer_id = c.id
   group by c.id, c.name;
create materialized view app.busy_customers as select name from public.customer where mood = 'busy';
`;

/** Values that COPY's text format has to escape: tabs, newlines, backslashes, quotes, NULL against '', non-ASCII. */
const SOURCE_DATA = String.raw`
insert into public.customer (name, mood, note) values
  ('Ada', 'calm', E'line one\nline two'),
  ('Grace', 'busy', E'tab\there, back\\slash'),
  ('Edsger', 'on fire', NULL),
  ('Zoë ''Z'' Ünal', 'busy', ''),
  ('Clef 𝄞 and € ✓', 'calm', '\.');
insert into public.orders (customer_id, quantity) select id, id * 2 from public.customer;
insert into public.measure values ('2024-03-01', 'a', 1.5), ('2025-07-01', 'b', 2.25), ('2031-01-01', 'c', 3.125);
select setval('public.ticket_seq', 5000);
refresh materialized view app.busy_customers;
`;

/** Every object of the user's schemas as one line of text, and every table's rows: what "the same database" means here. */
const CATALOG = String.raw`
with rels as (
  select c.oid, n.nspname as schema, c.relname as name, c.relkind, c.relispartition
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname in ('public', 'app') and c.relname not like 'cabinet_migrations%' and c.relname <> 'after_dump'
)
select 'relation ' || r.schema || '.' || r.name || ' kind ' || r.relkind::text || ' owner ' || pg_get_userbyid(c.relowner)
       || coalesce(' partition of ' || (select i.inhparent::regclass::text from pg_inherits i where i.inhrelid = r.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid), '')
       || coalesce(' partitioned by ' || pg_get_partkeydef(r.oid), '')
       || coalesce(' comment ' || obj_description(r.oid, 'pg_class'), '')
  from rels r join pg_class c on c.oid = r.oid
union all
select 'column ' || r.schema || '.' || r.name || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || case when a.attnotnull then ' not null' else '' end
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
       || case a.attidentity when 'a' then ' identity always' when 'd' then ' identity by default' else '' end
       || case a.attgenerated when 's' then ' generated' else '' end
  from rels r join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
union all
select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  from pg_constraint where conrelid in (select oid from rels)
union all
select 'index ' || indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid)
  from pg_index where indrelid in (select oid from rels)
union all
select 'function ' || p.oid::regprocedure::text || ' ' || pg_get_functiondef(p.oid)
  from pg_proc p where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace)
union all
select 'trigger ' || tgrelid::regclass::text || ' ' || pg_get_triggerdef(oid) from pg_trigger where not tgisinternal
  and tgrelid in (select oid from rels)
union all
select 'sequence ' || schemaname || '.' || sequencename || ' start ' || start_value || ' by ' || increment_by || ' last ' || coalesce(last_value::text, 'none')
  from pg_sequences where schemaname in ('public', 'app') and sequencename not like 'cabinet_migrations%'
union all
select 'view ' || oid::regclass::text || ' ' || pg_get_viewdef(oid) from rels where relkind in ('v', 'm')
union all
select 'type ' || t.typname || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), format_type(t.typbasetype, t.typtypmod))
  from pg_type t where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd')
order by 1`;

const TABLES = ['public.customer', 'public.orders', 'public.measure_2024', 'public.measure_2025', 'public.measure_other', 'app.audit', 'app.busy_customers'];

async function describeDatabase(db: TestDatabase): Promise<string[]> {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
  await client.connect();
  try {
    // Every name comes out schema-qualified.
    await client.query("set search_path = ''");
    const objects = (await client.query(CATALOG)).rows.map((row: Record<string, string>) => Object.values(row)[0]!);
    for (const table of TABLES) {
      const rows = await client.query<{ r: string }>(`select t::text as r from ${table} t order by 1`);
      objects.push(`rows ${table}: ${rows.rows.map((r) => r.r).join(' | ')}`);
    }
    return objects;
  } finally {
    await client.end();
  }
}

/** pg_dump of the user's objects, without the parts that differ between any two dumps (the \restrict key). */
async function redump(db: TestDatabase): Promise<string> {
  const { stdout } = await run('pg_dump', ['-T', 'public.cabinet_migrations*', '-T', 'public.after_dump', db.name], { env: pgEnv, maxBuffer: 64 << 20 });
  return stdout.replace(/^\\(un)?restrict \S+$/gm, '');
}

describe('a pg_dump file as a migration', () => {
  const databases: TestDatabase[] = [];
  let scratch: string;
  let dump: string;
  let source: TestDatabase;

  const freshDatabase = async (prefix: string) => {
    const db = await createPostgresDatabase(prefix);
    databases.push(db);
    return db;
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'cabinet-pg-dump-'));
    source = await freshDatabase('cabinet_dump_src');
    await source.exec(SOURCE_SCHEMA);
    await source.exec(SOURCE_DATA);
    const dumpFile = join(scratch, 'dump.sql');
    // Plain pg_dump, as a person makes a baseline: schema and data (COPY ... FROM stdin), owners, comments.
    await run('pg_dump', ['--file', dumpFile, source.name], { env: pgEnv });
    dump = await readFile(dumpFile, 'utf8');
  });

  afterAll(async () => {
    for (const db of databases) await db.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('is the kind of file real projects start from', () => {
    expect(dump).toContain("SELECT pg_catalog.set_config('search_path', '', false);");
    expect(dump).toMatch(/^\\restrict /m);
    expect(dump).toMatch(/^COPY public\.customer .* FROM stdin;$/m);
    expect(dump).toContain('BEGIN ATOMIC');
    expect(dump).toContain('ATTACH PARTITION public.measure_2024');
  });

  describe.each([
    ['in one transaction', ''],
    ['statement by statement (transaction:false)', ' transaction:false'],
  ])('applied %s', (_, options) => {
    it('builds what psql builds from the same file, records it, and leaves the next migration a normal session', async () => {
      const dir = await mkdtemp(join(scratch, 'migrations-'));
      await writeFile(join(dir, '001_baseline.sql'), `-- migrate:up${options}\n${dump}\n-- migrate:down\ndrop schema app cascade;\n`);
      // Unqualified, as migrations are written: it must land in public, with the session as it connected.
      await writeFile(join(dir, '002_after_dump.sql'), '-- migrate:up\ncreate table after_dump (id int, made_by text default current_user);\ninsert into after_dump (id) values (1);\n');

      const viaRunner = await freshDatabase('cabinet_dump_runner');
      const report = await migrateUp({ params: viaRunner.params, dir, lockTimeoutMs: 5_000 });
      expect(report.failure).toBeUndefined();
      expect(report.steps.map((s) => `${s.version}:${s.result}`)).toEqual(['001:applied', '002:applied']);

      const viaPsql = await freshDatabase('cabinet_dump_psql');
      await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', viaPsql.name, '-f', join(scratch, 'dump.sql')], { env: pgEnv });

      const expected = await describeDatabase(viaPsql);
      expect(expected.some((line) => line.startsWith('trigger public.orders CREATE TRIGGER orders_touch'))).toBe(true);
      expect(expected.some((line) => line.startsWith('relation public.measure_2024 kind r owner postgres partition of public.measure FOR VALUES'))).toBe(true);
      expect(expected.some((line) => line.startsWith('function app.order_total(integer)') && line.includes('BEGIN ATOMIC'))).toBe(true);
      expect(expected).toContain('sequence public.ticket_seq start 1000 by 7 last 5000');
      expect(expected.find((line) => line.startsWith('rows public.customer:'))).toContain('Clef 𝄞 and € ✓');
      expect(await describeDatabase(viaRunner)).toEqual(expected);
      expect(await redump(viaRunner)).toEqual(await redump(viaPsql));

      const history = await migrationHistory({ params: viaRunner.params });
      expect(history.filter((e) => e.status === 'applied').map((e) => e.version)).toEqual(['001', '002']);
      expect(history.every((e) => e.dbUser === 'postgres')).toBe(true);
      expect((await migrationStatus({ params: viaRunner.params, dir })).rows.map((r) => r.status)).toEqual(['applied', 'applied']);
      const after = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: viaRunner.name });
      await after.connect();
      try {
        const placed = await after.query("select table_schema from information_schema.tables where table_name in ('after_dump', 'cabinet_migrations') order by table_name");
        expect(placed.rows.map((r: { table_schema: string }) => r.table_schema)).toEqual(['public', 'public']);
        expect((await after.query('select made_by from public.after_dump')).rows).toEqual([{ made_by: 'postgres' }]);
      } finally {
        await after.end();
      }
    });
  });

  it('prints the COPY data in a dry run as psql reads it', async () => {
    const dir = await mkdtemp(join(scratch, 'dry-'));
    await writeFile(join(dir, '001_baseline.sql'), `-- migrate:up\n${dump}`);
    const target = await freshDatabase('cabinet_dump_dry');
    const report = await migrateUp({ params: target.params, dir, dryRun: true });
    const copy = report.statements.find((s) => s.sql.startsWith('COPY public.customer '));
    expect(copy?.sql).toMatch(/FROM stdin;\n1\tAda\tcalm\tline one\\nline two\n[\s\S]*\n\\\.$/);
    // psql's \restrict lines are passed over (the history row keeps the file as it was, with them).
    expect(report.statements.filter((s) => s.kind === 'migration').some((s) => s.sql.includes('\\restrict'))).toBe(false);
  });
});
