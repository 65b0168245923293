import type { TreeGroup, TreeNode, TreeNodeKind } from '../../../../shared/tree.ts';
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
      hasChildren: false,
    }));
  }
  return [];
}
