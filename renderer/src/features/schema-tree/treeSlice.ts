import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { TreeNode } from '../../../../shared/tree.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import type { SliceCreator } from '../../store/types.ts';

/** The children of one node, as far as they are known. */
export type ChildrenState =
  | { status: 'loading'; nodes?: TreeNode[] }
  | { status: 'loaded'; nodes: TreeNode[] }
  | { status: 'error'; error: CabinetErrorData; nodes?: TreeNode[] };

const SEP = '\u001f';

/** A node's key in the tree state: its profile and its path. The connection itself is path []. */
export function treeKey(profileId: string, path: readonly string[]): string {
  return [profileId, ...path].join(SEP);
}

/** The path a key was made from (the inverse of treeKey, without the profile). */
export function pathOfKey(key: string): string[] {
  return key.split(SEP).slice(1);
}

const inFlight = new Map<string, Promise<TreeNode[] | null>>();

export interface TreeSlice {
  /** Children by parent key; only nodes someone opened are here. */
  children: Record<string, ChildrenState>;
  expanded: Record<string, true>;
  selectedKey: string | null;
  /** A row to scroll into view once it is rendered (a newly connected server's root). */
  revealKey: string | null;
  filter: string;
  /** Counts schema changes made outside the tree (a migration ran) per profile: open tables read theirs again. */
  schemaGeneration: Record<string, number>;

  loadChildren(profileId: string, path: string[], force?: boolean): Promise<TreeNode[] | null>;
  setExpanded(profileId: string, path: string[], expanded: boolean): void;
  toggleExpanded(profileId: string, path: string[]): void;
  selectNode(key: string | null): void;
  setFilter(filter: string): void;
  /**
   * Reads a node's children again (F5, the menu, the row's button), and the children of every node expanded
   * below it that still exists, so expansion and selection below it are kept.
   */
  refreshNode(profileId: string, path: string[]): Promise<void>;
  /** Something changed the schema (a migration, a seed): the tree and the open tables of the profile read it again. */
  schemaChanged(profileId: string): void;
  /** Expanded paths of one profile, to keep between runs. */
  expandedPaths(profileId: string): string[][];
  /** Opens saved expanded paths again after connecting (parents first). */
  restoreExpanded(profileId: string, paths: string[][]): Promise<void>;
  /** After connecting: opens the profile's database, its default schema and its tables. */
  revealDefault(profileId: string): Promise<void>;
  forgetTree(profileId: string): void;
}

export const createTreeSlice: SliceCreator<TreeSlice> = (set, get) => ({
  children: {},
  expanded: {},
  selectedKey: null,
  revealKey: null,
  filter: '',
  schemaGeneration: {},

  loadChildren(profileId, path, force = false) {
    const key = treeKey(profileId, path);
    const current = get().children[key];
    // One request per node at a time: a second caller waits for the first one's answer.
    const pending = inFlight.get(key);
    if (pending && !force) return pending;
    if (current && !force && current.status === 'loaded') return Promise.resolve(current.nodes);
    const connection = get().connections[profileId];
    if (!connection) return Promise.resolve(null);
    set((s) => ({ children: { ...s.children, [key]: { status: 'loading', ...(current?.nodes ? { nodes: current.nodes } : {}) } } }));
    let request: Promise<TreeNode[] | null> | undefined = undefined;
    request = (async () => {
      try {
        const { nodes } = await call('schema/children', { connectionId: connection.info.connectionId, path });
        // The connection may have closed (or been reopened) while the answer travelled.
        if (get().connections[profileId]?.info.connectionId !== connection.info.connectionId) return null;
        set((s) => ({ children: { ...s.children, [key]: { status: 'loaded', nodes } } }));
        return nodes;
      } catch (error) {
        if (get().connections[profileId]?.info.connectionId !== connection.info.connectionId) return null;
        set((s) => ({ children: { ...s.children, [key]: { status: 'error', error: toErrorData(error) } } }));
        return null;
      } finally {
        if (inFlight.get(key) === request) inFlight.delete(key);
      }
    })();
    inFlight.set(key, request);
    return request;
  },

  setExpanded(profileId, path, expanded) {
    const key = treeKey(profileId, path);
    if (expanded) {
      if (!get().expanded[key]) set((s) => ({ expanded: { ...s.expanded, [key]: true } }));
      void get().loadChildren(profileId, path);
    } else if (get().expanded[key]) {
      set((s) => {
        const next = { ...s.expanded };
        delete next[key];
        return { expanded: next };
      });
    }
  },

  toggleExpanded(profileId, path) {
    get().setExpanded(profileId, path, !get().expanded[treeKey(profileId, path)]);
  },

  selectNode(key) {
    if (get().selectedKey !== key) set({ selectedKey: key });
  },

  setFilter(filter) {
    set({ filter });
  },

  async refreshNode(profileId, path) {
    const key = treeKey(profileId, path);
    await get().loadChildren(profileId, path, true);
    const below = Object.keys(get().expanded)
      .filter((k) => k !== key && k.startsWith(key + SEP))
      .sort((a, b) => a.length - b.length);
    for (const child of below) {
      const childPath = pathOfKey(child);
      const parent = get().children[treeKey(profileId, childPath.slice(0, -1))];
      // A node that is gone after the refresh is no longer expanded; one that is still there is read again.
      const stillThere = parent?.nodes?.some((n) => treeKey(profileId, n.path) === child);
      if (stillThere) await get().loadChildren(profileId, childPath, true);
      else if (parent?.status === 'loaded' || !parent) get().setExpanded(profileId, childPath, false);
    }
  },

  schemaChanged(profileId) {
    set((s) => ({ schemaGeneration: { ...s.schemaGeneration, [profileId]: (s.schemaGeneration[profileId] ?? 0) + 1 } }));
    void get().refreshNode(profileId, []);
  },

  expandedPaths(profileId) {
    const prefix = profileId + SEP;
    return Object.keys(get().expanded)
      .filter((k) => k === profileId || k.startsWith(prefix))
      .map(pathOfKey);
  },

  async restoreExpanded(profileId, paths) {
    const ordered = [...paths].sort((a, b) => a.length - b.length);
    for (const path of ordered) {
      get().setExpanded(profileId, path, true);
      await get().loadChildren(profileId, path);
    }
  },

  async revealDefault(profileId) {
    const { setExpanded, loadChildren } = get();
    set({ selectedKey: treeKey(profileId, []), revealKey: treeKey(profileId, []) });
    // A tree the person had opened before (kept between runs) opens as it was.
    const saved = get().savedExpanded[profileId];
    if (saved && saved.length > 0) {
      await get().restoreExpanded(profileId, saved);
      return;
    }
    setExpanded(profileId, [], true);
    const databases = await loadChildren(profileId, []);
    const wanted = get().connections[profileId]?.info.database;
    const database = databases?.find((n) => n.name === wanted) ?? (databases?.length === 1 ? databases[0] : undefined);
    if (!database?.hasChildren) return;
    setExpanded(profileId, database.path, true);
    let level = await loadChildren(profileId, database.path);
    const schema = level?.find((n) => n.kind === 'schema' && n.name === 'public') ?? level?.find((n) => n.kind === 'schema');
    if (schema) {
      setExpanded(profileId, schema.path, true);
      level = await loadChildren(profileId, schema.path);
    }
    const tables = level?.find((n) => n.kind === 'group' && n.group === 'tables');
    if (tables?.hasChildren) setExpanded(profileId, tables.path, true);
  },

  forgetTree(profileId) {
    const prefix = profileId + SEP;
    const keep = <T,>(record: Record<string, T>) =>
      Object.fromEntries(Object.entries(record).filter(([k]) => k !== profileId && !k.startsWith(prefix)));
    set((s) => ({
      children: keep(s.children),
      expanded: keep(s.expanded) as Record<string, true>,
      selectedKey: s.selectedKey && (s.selectedKey === profileId || s.selectedKey.startsWith(prefix)) ? null : s.selectedKey,
    }));
  },
});
