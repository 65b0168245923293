/** The Structure view of a PostgreSQL table, view or materialized view, read from the catalogs. */
import type { ForeignKeyInfo, IndexInfo, KeyConstraint, PartitionInfo, TableStructure, TriggerInfo } from '../../../shared/browse.ts';
import type { DbSession } from '../drivers/driver.ts';
import { flag, number, stringList, text, textOrNull } from './catalog-values.ts';
import { findPostgresRelation, readPostgresColumns } from './meta-postgres.ts';
import { tableRef, type TableAddress } from './table-path.ts';

const FK_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** `conkey`/`confkey` as names, in key order. */
const keyNames = (keys: string, rel: string) =>
  `(select json_agg(a.attname order by k.n) from unnest(${keys}) with ordinality k(attnum, n)
      join pg_attribute a on a.attrelid = ${rel} and a.attnum = k.attnum)`;

async function readConstraints(session: DbSession, oid: string) {
  const r = await session.query(
    `select con.contype, con.conname, ${keyNames('con.conkey', 'con.conrelid')}, pg_get_constraintdef(con.oid, true)
       from pg_constraint con
      where con.conrelid = $1 and con.contype in ('p', 'u', 'c')
      order by con.conname`,
    [oid],
  );
  let primaryKey: KeyConstraint | null = null;
  const uniqueConstraints: KeyConstraint[] = [];
  const checks: TableStructure['checks'] = [];
  for (const row of r.rows) {
    const kind = text(row[0]);
    const constraint = { name: text(row[1]), columns: stringList(row[2]) };
    if (kind === 'p') primaryKey = constraint;
    else if (kind === 'u') uniqueConstraints.push(constraint);
    else checks.push({ name: constraint.name, expression: text(row[3]) });
  }
  return { primaryKey, uniqueConstraints, checks };
}

async function readIndexes(session: DbSession, oid: string): Promise<IndexInfo[]> {
  const r = await session.query(
    `select ci.relname, am.amname, i.indisunique, i.indisprimary, pg_get_expr(i.indpred, i.indrelid), pg_get_indexdef(i.indexrelid),
            (select json_agg(pg_get_indexdef(i.indexrelid, k, true) order by k) from generate_series(1, i.indnkeyatts) k)
       from pg_index i
       join pg_class ci on ci.oid = i.indexrelid
       join pg_am am on am.oid = ci.relam
      where i.indrelid = $1
      order by i.indisprimary desc, ci.relname`,
    [oid],
  );
  return r.rows.map((row) => ({
    name: text(row[0]),
    method: text(row[1]),
    unique: flag(row[2]),
    primary: flag(row[3]),
    predicate: textOrNull(row[4]),
    definition: textOrNull(row[5]),
    columns: stringList(row[6]),
  }));
}

/** Foreign keys out of (`out`) or into (`in`) the table; copies a partitioned table makes per partition are left out. */
async function readForeignKeys(session: DbSession, oid: string, database: string, direction: 'out' | 'in'): Promise<ForeignKeyInfo[]> {
  const r = await session.query(
    `select con.conname, n.nspname, c.relname, ${keyNames('con.conkey', 'con.conrelid')},
            nf.nspname, cf.relname, ${keyNames('con.confkey', 'con.confrelid')}, con.confupdtype, con.confdeltype
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_class cf on cf.oid = con.confrelid join pg_namespace nf on nf.oid = cf.relnamespace
      where con.contype = 'f' and ${direction === 'out' ? 'con.conrelid = $1' : 'con.confrelid = $1 and con.conparentid = 0'}
      order by n.nspname, c.relname, con.conname`,
    [oid],
  );
  return r.rows.map((row) => ({
    name: text(row[0]),
    table: tableRef({ database, schema: text(row[1]), name: text(row[2]) }),
    columns: stringList(row[3]),
    references: tableRef({ database, schema: text(row[4]), name: text(row[5]) }),
    referencedColumns: stringList(row[6]),
    onUpdate: FK_ACTIONS[text(row[7])] ?? text(row[7]),
    onDelete: FK_ACTIONS[text(row[8])] ?? text(row[8]),
  }));
}

/** tgtype bits, as in PostgreSQL's pg_trigger.h. */
const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_EVENTS: [number, string][] = [
  [4, 'INSERT'],
  [8, 'DELETE'],
  [16, 'UPDATE'],
  [32, 'TRUNCATE'],
];
const TRIGGER_INSTEAD = 64;

async function readTriggers(session: DbSession, oid: string): Promise<TriggerInfo[]> {
  const r = await session.query(
    `select t.tgname, t.tgtype, t.tgenabled, pg_get_triggerdef(t.oid, true)
       from pg_trigger t where t.tgrelid = $1 and not t.tgisinternal order by t.tgname`,
    [oid],
  );
  return r.rows.map((row) => {
    const type = number(row[1]);
    return {
      name: text(row[0]),
      timing: type & TRIGGER_INSTEAD ? 'INSTEAD OF' : type & TRIGGER_BEFORE ? 'BEFORE' : 'AFTER',
      events: TRIGGER_EVENTS.filter(([bit]) => type & bit).map(([, name]) => name),
      level: type & TRIGGER_ROW ? 'row' : 'statement',
      enabled: text(row[2]) !== 'D',
      definition: text(row[3]),
    };
  });
}

async function readPartitions(session: DbSession, oid: string, database: string) {
  const r = await session.query(
    `select pg_get_partkeydef($1::oid),
            (select json_agg(json_build_array(n.nspname, c.relname, pg_get_expr(c.relpartbound, c.oid)) order by n.nspname, c.relname)
               from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace
              where i.inhparent = $1::oid),
            (select json_build_array(n.nspname, p.relname, pg_get_expr(c.relpartbound, c.oid))
               from pg_class c join pg_inherits i on i.inhrelid = c.oid
               join pg_class p on p.oid = i.inhparent join pg_namespace n on n.oid = p.relnamespace
              where c.oid = $1::oid and c.relispartition)`,
    [oid],
  );
  const row = r.rows[0] ?? [];
  const entry = ([schema, name, bound]: string[]): PartitionInfo => ({ table: tableRef({ database, schema: schema!, name: name! }), bound: bound ?? '' });
  const children = typeof row[1] === 'string' ? (JSON.parse(row[1]) as string[][]) : [];
  const parent = typeof row[2] === 'string' ? (JSON.parse(row[2]) as string[]) : null;
  return { partitionKey: textOrNull(row[0]), partitions: children.map(entry), partitionOf: parent ? entry(parent) : null };
}

export async function readPostgresStructure(session: DbSession, address: TableAddress): Promise<TableStructure> {
  const relation = await findPostgresRelation(session, address);
  const { oid, kind } = relation;
  const isView = kind === 'view' || kind === 'materialized-view';
  const head = await session.query(
    `select obj_description($1::oid, 'pg_class'), case when $2 then pg_get_viewdef($1::oid, true) end`,
    [oid, isView],
  );
  const columns = (await readPostgresColumns(session, oid)).map(
    ({ name, type, nullable, default: value, generated, generationExpression, comment }): TableStructure['columns'][number] => ({ name, type, nullable, default: value, generated, generationExpression, comment }),
  );
  const constraints = await readConstraints(session, oid);
  const indexes = await readIndexes(session, oid);
  const foreignKeys = await readForeignKeys(session, oid, address.database, 'out');
  const referencedBy = await readForeignKeys(session, oid, address.database, 'in');
  const triggers = await readTriggers(session, oid);
  const partitions = await readPartitions(session, oid, address.database);
  return {
    table: { ...tableRef(address, kind), kind },
    comment: textOrNull(head.rows[0]?.[0]),
    columns,
    ...constraints,
    indexes,
    foreignKeys,
    referencedBy,
    triggers,
    viewDefinition: textOrNull(head.rows[0]?.[1]),
    ...partitions,
  };
}
