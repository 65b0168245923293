import { COLUMNS_SEGMENT, INDEXES_SEGMENT, type TreeGroup, type TreeMark, type TreeNode, type TreeNodeKind } from '../../../../shared/tree.ts';
import type { DbSession } from '../driver.ts';

const GROUPS: { group: TreeGroup; name: string; kind: TreeNodeKind }[] = [
  { group: 'tables', name: 'Tables', kind: 'table' },
  { group: 'views', name: 'Views', kind: 'view' },
  { group: 'materialized-views', name: 'Materialized views', kind: 'materialized-view' },
  { group: 'functions', name: 'Functions', kind: 'function' },
];

const RELKINDS: Partial<Record<TreeGroup, string[]>> = {
  tables: ['r', 'p'],
  views: ['v'],
  'materialized-views': ['m'],
};

const text = (v: unknown) => String(v);

/**
 * Reads one level of the tree. Each call is one small catalog query: names only, never the columns of
 * every table, so a schema of 20,000 tables opens in one round trip.
 * The session is connected to the database named by path[0].
 */
export async function listPostgresChildren(session: DbSession, path: string[]): Promise<TreeNode[]> {
  if (path.length === 0) {
    const r = await session.query(
      'select datname from pg_database where datallowconn and not datistemplate order by datname',
    );
    return r.rows.map(([name]) => ({ kind: 'database', name: text(name), path: [text(name)], hasChildren: true }));
  }
  const [database, schema, groupName] = path as [string, string | undefined, TreeGroup | undefined];
  if (path.length === 1) {
    const r = await session.query(
      `select nspname from pg_namespace
        where nspname <> 'information_schema' and nspname not like 'pg\\_%'
        order by nspname = 'public' desc, nspname`,
    );
    return r.rows.map(([name]) => ({ kind: 'schema', name: text(name), path: [database, text(name)], hasChildren: true }));
  }
  if (path.length === 2) {
    const r = await session.query(
      `select
         (select count(*) from pg_class c where c.relnamespace = n.oid and c.relkind in ('r','p')),
         (select count(*) from pg_class c where c.relnamespace = n.oid and c.relkind = 'v'),
         (select count(*) from pg_class c where c.relnamespace = n.oid and c.relkind = 'm'),
         (select count(*) from pg_proc p where p.pronamespace = n.oid)
       from pg_namespace n where n.nspname = $1`,
      [schema],
    );
    const counts = r.rows[0] ?? [];
    return GROUPS.map((g, i) => ({
      kind: 'group',
      group: g.group,
      name: g.name,
      path: [database, schema!, g.group],
      count: Number(counts[i] ?? 0),
      hasChildren: Number(counts[i] ?? 0) > 0,
    }));
  }
  if (path.length === 3 && groupName) {
    const group = GROUPS.find((g) => g.group === groupName);
    if (!group) return [];
    if (groupName === 'functions') {
      const r = await session.query(
        `select p.proname, pg_get_function_identity_arguments(p.oid), p.prokind
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = $1
          order by p.proname, 2`,
        [schema],
      );
      return r.rows.map(([name, args, prokind]) => ({
        kind: prokind === 'p' ? 'procedure' : 'function',
        name: text(name),
        detail: `(${text(args)})`,
        path: [database, schema!, groupName, `${text(name)}(${text(args)})`],
        hasChildren: false,
      }));
    }
    const r = await session.query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind = any($2::"char"[])
        order by c.relname`,
      [schema, RELKINDS[groupName]],
    );
    return r.rows.map(([name]) => ({
      kind: group.kind,
      name: text(name),
      path: [database, schema!, groupName, text(name)],
      hasChildren: true,
    }));
  }
  if (path.length === 4 && groupName && RELKINDS[groupName]) return listColumns(session, path);
  if (path.length === 5 && path[4] === INDEXES_SEGMENT) return listIndexes(session, path);
  return [];
}

/** A table's (or view's) columns, then, for tables and materialized views, a group with its indexes. */
async function listColumns(session: DbSession, path: string[]): Promise<TreeNode[]> {
  const [, schema, , table] = path as [string, string, string, string];
  const r = await session.query(
    `select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
            exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary and a.attnum = any(i.indkey)),
            c.relkind,
            (select count(*) from pg_index i where i.indrelid = c.oid)
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = $1 and c.relname = $2
      order by a.attnum`,
    [schema, table],
  );
  const nodes: TreeNode[] = r.rows.map(([name, type, notNull, primary]) => {
    const marks: TreeMark[] = [];
    if (primary === 'true') marks.push('primary-key');
    if (notNull === 'true') marks.push('not-null');
    return { kind: 'column', name: text(name), detail: text(type), marks, path: [...path, COLUMNS_SEGMENT, text(name)], hasChildren: false };
  });
  const [, , , , relkind, indexCount] = r.rows[0] ?? [];
  if (relkind === 'r' || relkind === 'p' || relkind === 'm') {
    nodes.push({
      kind: 'group',
      group: 'indexes',
      name: 'Indexes',
      count: Number(indexCount ?? 0),
      path: [...path, INDEXES_SEGMENT],
      hasChildren: Number(indexCount ?? 0) > 0,
    });
  }
  return nodes;
}

async function listIndexes(session: DbSession, path: string[]): Promise<TreeNode[]> {
  const [, schema, , table] = path as [string, string, string, string];
  const r = await session.query(
    `select ic.relname, i.indisprimary, i.indisunique, am.amname,
            (select string_agg(pg_get_indexdef(i.indexrelid, k, true), ', ' order by k)
               from generate_series(1, i.indnkeyatts) k)
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_class c on c.oid = i.indrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_am am on am.oid = ic.relam
      where n.nspname = $1 and c.relname = $2
      order by i.indisprimary desc, ic.relname`,
    [schema, table],
  );
  return r.rows.map(([name, primary, unique, method, columns]) => {
    const marks: TreeMark[] = primary === 'true' ? ['primary-key'] : unique === 'true' ? ['unique'] : [];
    return {
      kind: 'index',
      name: text(name),
      detail: `${text(method)} (${text(columns)})`,
      marks,
      path: [...path.slice(0, 5), text(name)],
      hasChildren: false,
    };
  });
}

/** The source of a function or procedure, as `CREATE OR REPLACE` text. */
export async function postgresDefinition(session: DbSession, path: string[]): Promise<string | undefined> {
  const [, schema, group, signature] = path;
  if (path.length !== 4 || group !== 'functions') return undefined;
  const r = await session.query(
    `select pg_get_functiondef(p.oid)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = $1 and p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' = $2`,
    [schema, signature],
  );
  const row = r.rows[0];
  return row ? text(row[0]) : undefined;
}
