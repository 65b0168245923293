/** Kinds of node in the schema tree. Each level loads when it is opened. */
export type TreeNodeKind =
  | 'database'
  | 'schema'
  | 'group'
  | 'table'
  | 'view'
  | 'materialized-view'
  | 'function'
  | 'procedure';

export type TreeGroup = 'tables' | 'views' | 'materialized-views' | 'functions' | 'routines';

/** A node's address: the path from the connection's root, e.g. ['chinook', 'public', 'tables', 'artist']. */
export interface TreeNode {
  kind: TreeNodeKind;
  name: string;
  path: string[];
  /** Groups say which objects they hold. */
  group?: TreeGroup;
  /** Number of children when cheaply known (groups). */
  count?: number;
  /** Function signature or similar, shown after the name. */
  detail?: string;
  hasChildren: boolean;
}
