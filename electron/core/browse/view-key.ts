/**
 * The key of an updatable view: its base table's key, when the engine reports the view updatable, the view
 * reads exactly one table, and every key column is a plain column of the view (under its own name or an
 * alias). Otherwise null: rows of the view cannot be told apart, so they are not updated or deleted.
 */
import type { RowKey } from '../../../shared/browse.ts';
import { qualifiedName } from '../../../shared/identifiers.ts';
import type { DbSession } from '../drivers/driver.ts';
import { flag, text } from './catalog-values.ts';

/** A plan node of PostgreSQL's `EXPLAIN (FORMAT JSON)`, the fields read here. */
export interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Parent Relationship'?: string;
  Output?: string[];
  Plans?: PlanNode[];
}

/** The relations a plan scans for its rows: subplans of expressions (SubPlan, InitPlan) left out. */
export function scannedRelations(node: PlanNode): PlanNode[] {
  if (node['Parent Relationship'] === 'SubPlan' || node['Parent Relationship'] === 'InitPlan') return [];
  return [...(node['Relation Name'] !== undefined ? [node] : []), ...(node.Plans ?? []).flatMap(scannedRelations)];
}

const PG_NAME = String.raw`"(?:[^"]|"")+"|[^".]+`;
const PG_COLUMN_REF = new RegExp(`^(${PG_NAME})\\.(${PG_NAME})$`);
const unquotePg = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part);

/**
 * PostgreSQL. Which base column each view column is comes from the plan of `SELECT * FROM view` (VERBOSE
 * writes each output as `alias.column`), so an alias in the view is followed; an expression is no column.
 */
export async function postgresViewKey(
  session: DbSession,
  viewOid: string,
  viewSqlName: string,
  viewColumns: readonly string[],
  baseKey: (baseOid: string) => Promise<RowKey | null>,
): Promise<RowKey | null> {
  // 4 | 16: UPDATE and DELETE (pg_relation_is_updatable's bits are 1 << CmdType).
  const updatable = await session.query('select pg_relation_is_updatable($1::oid, false) & 20 = 20', [viewOid]);
  if (!flag(updatable.rows[0]?.[0])) return null;
  const explained = await session.query(`EXPLAIN (VERBOSE, FORMAT JSON) SELECT * FROM ${viewSqlName}`);
  const plan = (JSON.parse(text(explained.rows[0]?.[0])) as { Plan: PlanNode }[])[0]!.Plan;
  const scans = scannedRelations(plan);
  const scan = scans[0];
  if (scans.length !== 1 || !scan?.Schema || !scan.Alias) return null;
  const base = await session.query('select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2', [
    scan.Schema,
    scan['Relation Name'],
  ]);
  const key = base.rows[0] ? await baseKey(text(base.rows[0][0])) : null;
  if (!key) return null;
  const shows = new Map<string, string>();
  (plan.Output ?? []).forEach((output, i) => {
    const ref = PG_COLUMN_REF.exec(output);
    if (ref && unquotePg(ref[1]!) === scan.Alias && viewColumns[i] !== undefined) shows.set(unquotePg(ref[2]!), viewColumns[i]);
  });
  const columns = key.columns.map((c) => shows.get(c));
  return columns.every((c) => c !== undefined) ? { ...key, columns } : null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MYSQL_ALIAS = '`((?:[^`]|``)+)`';

/**
 * MySQL/MariaDB. The server keeps a view's definition in one canonical form (`select `db`.`t`.`c` AS `a`,…
 * from `db`.`t` where …`): the view reads one table when its FROM names exactly one, and a key column is
 * shown when it is a whole item of the select list.
 */
export async function mysqlViewKey(
  session: DbSession,
  database: string,
  view: string,
  baseKey: (database: string, table: string) => Promise<RowKey | null>,
): Promise<RowKey | null> {
  const r = await session.query('select IS_UPDATABLE, VIEW_DEFINITION from information_schema.VIEWS where TABLE_SCHEMA = ? and TABLE_NAME = ?', [database, view]);
  if (text(r.rows[0]?.[0]) !== 'YES') return null;
  const definition = text(r.rows[0]?.[1]);
  const from = / from `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`(?: where |$)/s.exec(definition);
  if (!from || definition.indexOf(' from ') !== from.index) return null;
  const [baseDb, baseTable] = [from[1]!.replace(/``/g, '`'), from[2]!.replace(/``/g, '`')];
  const key = await baseKey(baseDb, baseTable);
  if (!key) return null;
  const selectList = definition.slice(0, from.index);
  const columns = key.columns.map((c) => {
    const item = new RegExp(`(?:^select |,)${escapeRegExp(qualifiedName('mysql', [baseDb, baseTable, c]))} AS ${MYSQL_ALIAS}(?=,|$)`).exec(selectList);
    return item?.[1]!.replace(/``/g, '`');
  });
  return columns.every((c) => c !== undefined) ? { ...key, columns } : null;
}
