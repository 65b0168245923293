import type { BrowseRelationKind, TableRef } from '../../../shared/browse.ts';
import { CabinetError } from '../../../shared/errors.ts';
import type { Engine } from '../../../shared/profiles.ts';

/** A browsable relation as the tree addresses it. */
export interface TableAddress {
  database: string;
  /** PostgreSQL schema; null on MySQL. */
  schema: string | null;
  name: string;
}

const POSTGRES_GROUPS = new Set(['tables', 'views', 'materialized-views']);
const MYSQL_GROUPS = new Set(['tables', 'views']);

/**
 * Reads a tree path: `[database, schema, group, name]` on PostgreSQL, `[database, group, name]` on MySQL,
 * where the group is one that holds tables or views. The group only has to be one of those: the relation is
 * found by schema and name, and its real kind is read from the server.
 */
export function parseTablePath(engine: Engine, path: readonly string[]): TableAddress {
  const postgres = engine === 'postgres';
  const groups = postgres ? POSTGRES_GROUPS : MYSQL_GROUPS;
  const length = postgres ? 4 : 3;
  const group = path[length - 2];
  if (path.length !== length || group === undefined || !groups.has(group) || path.some((part) => part === '')) {
    const shape = postgres ? '[database, schema, "tables" | "views" | "materialized-views", name]' : '[database, "tables" | "views", name]';
    throw new CabinetError({ code: 'BAD_INPUT', message: `Only a table or a view can be browsed: expected a tree path ${shape}.` });
  }
  return postgres
    ? { database: path[0]!, schema: path[1]!, name: path[3]! }
    : { database: path[0]!, schema: null, name: path[2]! };
}

export function groupOf(kind: BrowseRelationKind): string {
  if (kind === 'view') return 'views';
  if (kind === 'materialized-view') return 'materialized-views';
  return 'tables';
}

/** The tree path of a relation, so a client can open it (a foreign key's target) in a tab of its own. */
export function tableRef(address: TableAddress, kind: BrowseRelationKind = 'table'): TableRef {
  const path = address.schema === null ? [address.database, groupOf(kind), address.name] : [address.database, address.schema, groupOf(kind), address.name];
  return { database: address.database, schema: address.schema, name: address.name, path };
}

export function notFound(address: TableAddress): CabinetError {
  const name = address.schema === null ? address.name : `${address.schema}.${address.name}`;
  return new CabinetError({
    code: 'NOT_FOUND',
    message: `"${name}" was not found in the database "${address.database}": it may have been dropped or renamed. Refresh the tree.`,
  });
}
