import type { TreeNode } from '../../../../shared/tree.ts';
import type { OpenConnection } from '../connections/connectionsSlice.ts';
import { treeKey, type ChildrenState } from './treeSlice.ts';

/** One visible row of the tree: the connection itself (node null) or one of its objects. */
export interface FlatRow {
  key: string;
  profileId: string;
  node: TreeNode | null;
  name: string;
  level: number;
  setSize: number;
  posInSet: number;
  expandable: boolean;
  expanded: boolean;
  /** The state of this row's own children: loading spinner, error and retry. */
  children: ChildrenState | undefined;
}

export interface FlattenInput {
  roots: { profileId: string; name: string; connection: OpenConnection }[];
  children: Record<string, ChildrenState>;
  expanded: Record<string, true>;
  filter: string;
}

/**
 * Flattens the expanded part of the tree into rows, in order. With a filter, a row stays when its
 * name matches or a loaded descendant's does; groups holding matches open by themselves, and below
 * a match everything shows as it is expanded.
 */
export function flattenTree({ roots, children, expanded, filter }: FlattenInput): FlatRow[] {
  const needle = filter.trim().toLowerCase();
  const rows: FlatRow[] = [];
  const containsMatch = new Map<string, boolean>();

  // Whether a loaded descendant of `key` matches; memoised so each node is looked at once.
  const descendantMatches = (profileId: string, key: string): boolean => {
    const known = containsMatch.get(key);
    if (known !== undefined) return known;
    const nodes = children[key]?.nodes;
    let found = false;
    if (nodes) {
      for (const node of nodes) {
        if (node.name.toLowerCase().includes(needle) || descendantMatches(profileId, treeKey(profileId, node.path))) {
          found = true;
          break;
        }
      }
    }
    containsMatch.set(key, found);
    return found;
  };

  const visit = (profileId: string, parentKey: string, level: number, filtering: boolean) => {
    const state = children[parentKey];
    if (!state?.nodes) return;
    let nodes = state.nodes;
    let matchesSelf: boolean[] | null = null;
    if (filtering) {
      const kept: TreeNode[] = [];
      matchesSelf = [];
      for (const node of nodes) {
        const self = node.name.toLowerCase().includes(needle);
        if (self || descendantMatches(profileId, treeKey(profileId, node.path))) {
          kept.push(node);
          matchesSelf.push(self);
        }
      }
      nodes = kept;
    }
    const setSize = nodes.length;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const key = treeKey(profileId, node.path);
      const self = matchesSelf ? matchesSelf[i]! : true;
      const autoOpen = filtering && !self;
      const isExpanded = node.hasChildren && (expanded[key] === true || autoOpen);
      rows.push({
        key,
        profileId,
        node,
        name: node.name,
        level,
        setSize,
        posInSet: i + 1,
        expandable: node.hasChildren,
        expanded: isExpanded,
        children: children[key],
      });
      if (isExpanded) visit(profileId, key, level + 1, filtering && !self);
    }
  };

  roots.forEach((root, i) => {
    const key = treeKey(root.profileId, []);
    const isExpanded = expanded[key] === true || (needle !== '' && descendantMatches(root.profileId, key));
    rows.push({
      key,
      profileId: root.profileId,
      node: null,
      name: root.name,
      level: 1,
      setSize: roots.length,
      posInSet: i + 1,
      expandable: true,
      expanded: isExpanded,
      children: children[key],
    });
    if (isExpanded) visit(root.profileId, key, 2, needle !== '');
  });
  return rows;
}
