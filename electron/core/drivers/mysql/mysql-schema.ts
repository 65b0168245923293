import { COLUMNS_SEGMENT, INDEXES_SEGMENT, type TreeGroup, type TreeMark, type TreeNode, type TreeNodeKind } from '../../../../shared/tree.ts';
import { quoteMysqlIdent } from './mysql-driver.ts';
import type { DbSession } from '../driver.ts';

const GROUPS: { group: TreeGroup; name: string; kind: TreeNodeKind }[] = [
  { group: 'tables', name: 'Tables', kind: 'table' },
  { group: 'views', name: 'Views', kind: 'view' },
  { group: 'routines', name: 'Routines', kind: 'function' },
];

const HIDDEN_DATABASES = ['information_schema', 'performance_schema'];
const text = (v: unknown) => String(v);

/** One level of a MySQL/MariaDB tree: databases, then groups, then names (never all columns up front). */
export async function listMysqlChildren(session: DbSession, path: string[]): Promise<TreeNode[]> {
  if (path.length === 0) {
    const r = await session.query(
      'select schema_name from information_schema.schemata where schema_name not in (?, ?) order by schema_name',
      HIDDEN_DATABASES,
    );
    return r.rows.map(([name]) => ({ kind: 'database', name: text(name), path: [text(name)], hasChildren: true }));
  }
  const [database, groupName] = path as [string, TreeGroup | undefined];
  if (path.length === 1) {
    const r = await session.query(
      `select
         (select count(*) from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'),
         (select count(*) from information_schema.tables where table_schema = ? and table_type = 'VIEW'),
         (select count(*) from information_schema.routines where routine_schema = ?)`,
      [database, database, database],
    );
    const counts = r.rows[0] ?? [];
    return GROUPS.map((g, i) => ({
      kind: 'group',
      group: g.group,
      name: g.name,
      path: [database, g.group],
      count: Number(counts[i] ?? 0),
      hasChildren: Number(counts[i] ?? 0) > 0,
    }));
  }
  if (path.length === 2 && groupName === 'routines') {
    const r = await session.query(
      `select routine_name, routine_type from information_schema.routines where routine_schema = ? order by routine_name`,
      [database],
    );
    return r.rows.map(([name, type]) => ({
      kind: type === 'PROCEDURE' ? 'procedure' : 'function',
      name: text(name),
      detail: text(type).toLowerCase(),
      path: [database, groupName, text(name)],
      hasChildren: false,
    }));
  }
  if (path.length === 2 && (groupName === 'tables' || groupName === 'views')) {
    const r = await session.query(
      `select table_name from information_schema.tables where table_schema = ? and table_type = ? order by table_name`,
      [database, groupName === 'tables' ? 'BASE TABLE' : 'VIEW'],
    );
    return r.rows.map(([name]) => ({
      kind: groupName === 'tables' ? 'table' : 'view',
      name: text(name),
      path: [database, groupName, text(name)],
      hasChildren: true,
    }));
  }
  if (path.length === 3 && (groupName === 'tables' || groupName === 'views')) return listColumns(session, path);
  if (path.length === 4 && path[3] === INDEXES_SEGMENT) return listIndexes(session, path);
  return [];
}

async function listColumns(session: DbSession, path: string[]): Promise<TreeNode[]> {
  const [database, groupName, table] = path as [string, string, string];
  const r = await session.query(
    `select column_name, column_type, is_nullable, column_key from information_schema.columns
      where table_schema = ? and table_name = ? order by ordinal_position`,
    [database, table],
  );
  const nodes: TreeNode[] = r.rows.map(([name, type, nullable, key]) => {
    const marks: TreeMark[] = [];
    if (key === 'PRI') marks.push('primary-key');
    if (nullable === 'NO') marks.push('not-null');
    return { kind: 'column', name: text(name), detail: text(type), marks, path: [...path, COLUMNS_SEGMENT, text(name)], hasChildren: false };
  });
  if (groupName === 'tables') {
    const count = await session.query(
      'select count(distinct index_name) from information_schema.statistics where table_schema = ? and table_name = ?',
      [database, table],
    );
    const indexes = Number(count.rows[0]?.[0] ?? 0);
    nodes.push({ kind: 'group', group: 'indexes', name: 'Indexes', count: indexes, path: [...path, INDEXES_SEGMENT], hasChildren: indexes > 0 });
  }
  return nodes;
}

async function listIndexes(session: DbSession, path: string[]): Promise<TreeNode[]> {
  const [database, , table] = path as [string, string, string];
  const r = await session.query(
    `select index_name, min(non_unique), min(index_type),
            group_concat(column_name order by seq_in_index separator ', ')
       from information_schema.statistics
      where table_schema = ? and table_name = ?
      group by index_name
      order by index_name = 'PRIMARY' desc, index_name`,
    [database, table],
  );
  return r.rows.map(([name, nonUnique, method, columns]) => {
    const marks: TreeMark[] = name === 'PRIMARY' ? ['primary-key'] : Number(nonUnique) === 0 ? ['unique'] : [];
    return {
      kind: 'index',
      name: text(name),
      detail: `${text(method).toLowerCase()} (${text(columns)})`,
      marks,
      path: [...path.slice(0, 4), text(name)],
      hasChildren: false,
    };
  });
}

/** The source of a function or procedure, as the server shows it (`SHOW CREATE …`). */
export async function mysqlDefinition(session: DbSession, path: string[]): Promise<string | undefined> {
  const [database, group, name] = path;
  if (path.length !== 3 || group !== 'routines' || !database || !name) return undefined;
  const kind = await session.query('select routine_type from information_schema.routines where routine_schema = ? and routine_name = ?', [database, name]);
  const type = kind.rows[0]?.[0];
  if (type !== 'FUNCTION' && type !== 'PROCEDURE') return undefined;
  const r = await session.query(`show create ${type.toLowerCase()} ${quoteMysqlIdent(database)}.${quoteMysqlIdent(name)}`);
  const column = r.columns.findIndex((c) => /^create (function|procedure)$/i.test(c.name));
  const value = r.rows[0]?.[column];
  // Without the privilege to see the body, MySQL answers NULL.
  return typeof value === 'string' ? value : undefined;
}
