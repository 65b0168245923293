/** What completion asks of the live schema, and an adapter over the schema tree's `children` calls. */
import type { Engine } from '../../../../../shared/profiles.ts';
import type { TreeGroup, TreeNode } from '../../../../../shared/tree.ts';

export type CatalogTableKind = 'table' | 'view' | 'materialized-view';

export interface CatalogTable {
  name: string;
  kind: CatalogTableKind;
}

export interface CatalogColumn {
  name: string;
  /** The type as the server writes it (`integer`, `varchar(120)`); '' when unknown. */
  type: string;
}

export interface CatalogFunction {
  name: string;
  /** Its arguments or kind, shown beside the name. */
  detail?: string;
}

/**
 * The live schema, read lazily: completion asks only for what the statement at hand needs, and the
 * implementation is expected to cache. "Schema" is a PostgreSQL schema or a MySQL database.
 * A method may reject; completion then goes on without that part.
 */
export interface SchemaCatalog {
  schemas(): Promise<string[]>;
  tables(schema: string): Promise<CatalogTable[]>;
  /** The columns of a table, view or materialized view, in order; [] when there is no such table. */
  columns(schema: string, table: string): Promise<CatalogColumn[]>;
  functions?(schema: string): Promise<CatalogFunction[]>;
}

export type ListChildren = (path: string[]) => Promise<TreeNode[]>;

export interface TreeSchemaCatalogOptions {
  engine: Engine;
  /** The tree's `children` call (the core's `schema/children`) for this connection. */
  listChildren: ListChildren;
  /** PostgreSQL: the database the editor's session is connected to (the tree's first path segment). */
  database?: string;
}

const POSTGRES_TABLE_GROUPS: TreeGroup[] = ['tables', 'views', 'materialized-views'];
const MYSQL_TABLE_GROUPS: TreeGroup[] = ['tables', 'views'];
const TABLE_KINDS = new Set<string>(['table', 'view', 'materialized-view']);

/**
 * A SchemaCatalog over the schema tree. Paths, as the drivers lay them out:
 * - PostgreSQL: `[db]` → schemas; `[db, schema, 'tables' | 'views' | 'materialized-views']` → relations;
 *   `[db, schema, group, table]` → the columns (then an indexes group); `[db, schema, 'functions']`.
 * - MySQL: `[]` → databases; `[db, 'tables' | 'views']` → relations; `[db, group, table]` → the columns;
 *   `[db, 'routines']`.
 * Every path is read once: answers are cached, and a request already on its way is shared. A failed request
 * is forgotten, so the next completion asks again.
 */
export class TreeSchemaCatalog implements SchemaCatalog {
  private readonly cache = new Map<string, Promise<TreeNode[]>>();
  private readonly engine: Engine;
  private readonly listChildren: ListChildren;
  private readonly database: string;

  constructor(options: TreeSchemaCatalogOptions) {
    this.engine = options.engine;
    this.listChildren = options.listChildren;
    this.database = options.database ?? '';
    if (this.engine === 'postgres' && this.database === '') throw new Error('TreeSchemaCatalog: PostgreSQL needs the database name');
  }

  /** Forgets cached answers: all of them, or those at and below `path` (after DDL, or a tree refresh). */
  invalidate(path?: string[]): void {
    if (!path || path.length === 0) {
      this.cache.clear();
      return;
    }
    const prefix = key(path);
    for (const k of [...this.cache.keys()]) if (k === prefix || k.startsWith(prefix + SEP)) this.cache.delete(k);
  }

  async schemas(): Promise<string[]> {
    const nodes = await this.children(this.engine === 'postgres' ? [this.database] : []);
    const kind = this.engine === 'postgres' ? 'schema' : 'database';
    return nodes.filter((n) => n.kind === kind).map((n) => n.name);
  }

  async tables(schema: string): Promise<CatalogTable[]> {
    const groups = this.engine === 'postgres' ? POSTGRES_TABLE_GROUPS : MYSQL_TABLE_GROUPS;
    const lists = await Promise.all(groups.map((group) => this.children(this.groupPath(schema, group)).catch(() => [] as TreeNode[])));
    const out: CatalogTable[] = [];
    for (const list of lists) {
      for (const node of list) if (TABLE_KINDS.has(node.kind)) out.push({ name: node.name, kind: node.kind as CatalogTableKind });
    }
    return out;
  }

  async columns(schema: string, table: string): Promise<CatalogColumn[]> {
    const node = await this.tableNode(schema, table);
    if (!node) return [];
    const children = await this.children(node.path);
    return children.filter((n) => n.kind === 'column').map((n) => ({ name: n.name, type: n.detail ?? '' }));
  }

  async functions(schema: string): Promise<CatalogFunction[]> {
    const nodes = await this.children(this.groupPath(schema, this.engine === 'postgres' ? 'functions' : 'routines'));
    const seen = new Set<string>();
    const out: CatalogFunction[] = [];
    for (const n of nodes) {
      if (n.kind !== 'function' || seen.has(n.name)) continue;
      seen.add(n.name);
      out.push(n.detail === undefined ? { name: n.name } : { name: n.name, detail: n.detail });
    }
    return out;
  }

  private groupPath(schema: string, group: TreeGroup): string[] {
    return this.engine === 'postgres' ? [this.database, schema, group] : [schema, group];
  }

  /** The table's node (its path says which group it is in); falls back to the path of a plain table. */
  private async tableNode(schema: string, table: string): Promise<Pick<TreeNode, 'path'> | undefined> {
    const groups = this.engine === 'postgres' ? POSTGRES_TABLE_GROUPS : MYSQL_TABLE_GROUPS;
    const lists = await Promise.all(groups.map((group) => this.children(this.groupPath(schema, group)).catch(() => [] as TreeNode[])));
    for (let i = 0; i < groups.length; i++) {
      const found = lists[i]!.find((n) => n.name === table && TABLE_KINDS.has(n.kind));
      if (found) return { path: found.path.length > 0 ? found.path : [...this.groupPath(schema, groups[i]!), table] };
    }
    return undefined;
  }

  private children(path: string[]): Promise<TreeNode[]> {
    const k = key(path);
    const cached = this.cache.get(k);
    if (cached) return cached;
    const request = Promise.resolve()
      .then(() => this.listChildren(path))
      .catch((error: unknown) => {
        if (this.cache.get(k) === request) this.cache.delete(k);
        throw error;
      });
    this.cache.set(k, request);
    return request;
  }
}

const SEP = '\u0000';
const key = (path: readonly string[]) => path.join(SEP);
