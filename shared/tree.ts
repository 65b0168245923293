/** Kinds of node in the schema tree. Each level loads when it is opened. */
export type TreeNodeKind =
  | 'database'
  | 'schema'
  | 'group'
  | 'table'
  | 'view'
  | 'materialized-view'
  | 'function'
  | 'procedure'
  | 'column'
  | 'index';

export type TreeGroup = 'tables' | 'views' | 'materialized-views' | 'functions' | 'routines' | 'indexes';

/** Marks shown beside a column or an index. */
export type TreeMark = 'primary-key' | 'not-null' | 'unique';

/** The path segment under a table or view that holds its indexes; columns sit under 'columns'. */
export const INDEXES_SEGMENT = 'indexes';
export const COLUMNS_SEGMENT = 'columns';

/** A node's address: the path from the connection's root, e.g. ['chinook', 'public', 'tables', 'artist']. */
export interface TreeNode {
  kind: TreeNodeKind;
  name: string;
  path: string[];
  /** Groups say which objects they hold. */
  group?: TreeGroup;
  /** Number of children when cheaply known (groups). */
  count?: number;
  /** Function signature, a column's type or an index's columns, shown after the name. */
  detail?: string;
  marks?: TreeMark[];
  hasChildren: boolean;
}
