/**
 * Every action a person can take on a connection, a tree node or the workbench, in one place: the context
 * menus, the command palette and the keyboard shortcuts all read these, so each action has one meaning.
 */
import { qualifiedName } from '../../../../shared/identifiers.ts';
import type { TreeNode } from '../../../../shared/tree.ts';
import type { MenuEntry, MenuItem } from '../../components/ContextMenu.tsx';
import { useStore, type Store } from '../../store/index.ts';
import { pathOfKey, treeKey } from '../schema-tree/treeSlice.ts';
import { copyText } from './clipboard.ts';

const OPENABLE = new Set(['table', 'view', 'materialized-view']);
const ROUTINES = new Set(['function', 'procedure']);

export const SHORTCUTS = {
  palette: 'Ctrl+Shift+P',
  newQuery: 'Ctrl+T',
  refresh: 'F5',
  closeTab: 'Ctrl+W',
  nextTab: 'Ctrl+Tab',
  previousTab: 'Ctrl+Shift+Tab',
  open: 'Enter',
} as const;

/** The names of a node's path that form its qualified name: schema and object on PostgreSQL, database and object on MySQL. */
function qualifiedParts(node: TreeNode, engine: 'postgres' | 'mysql'): string[] {
  const [database, second] = node.path;
  switch (node.kind) {
    case 'database':
      return [node.name];
    case 'schema':
      return [node.name];
    case 'column':
    case 'index': {
      // [...table path, 'columns' | 'indexes', name]
      const tablePath = node.path.slice(0, -2);
      const table = tablePath[tablePath.length - 1]!;
      const owner = engine === 'postgres' ? tablePath[1]! : tablePath[0]!;
      return node.kind === 'column' ? [owner, table, node.name] : [owner, node.name];
    }
    default:
      return engine === 'postgres' ? [second!, node.name] : [database!, node.name];
  }
}

export function openNode(profileId: string, node: TreeNode, view: 'data' | 'structure' = 'data'): void {
  const store = useStore.getState();
  if (OPENABLE.has(node.kind)) {
    store.openObjectTab({ profileId, path: node.path, title: node.name, objectKind: node.kind as 'table', view });
  } else if (ROUTINES.has(node.kind)) {
    store.openDefinitionTab({ profileId, path: node.path, title: node.name, objectKind: node.kind as 'function' });
  } else if (node.hasChildren) {
    store.setExpanded(profileId, node.path, true);
  }
}

/**
 * A new query tab for the connection selected in the tree (or the active one), on the database of the
 * selected node when it is another than the connection's own.
 */
export function newQuery(profileId?: string, node?: TreeNode | null): void {
  const store = useStore.getState();
  const selected = profileId ? { profileId, node: node ?? null } : (selectedNode(store) ?? (store.activeProfileId ? { profileId: store.activeProfileId, node: null } : undefined));
  if (!selected || !(selected.profileId in store.connections)) return;
  const database = selected.node?.path[0];
  const own = store.connections[selected.profileId]!.info.database;
  store.openQueryTab(selected.profileId, database && database !== own ? database : undefined);
}

/** The menu of a saved connection (in the list) or of its root in the tree. */
export function connectionMenu(store: Store, profileId: string): MenuEntry[] {
  const profile = store.profiles.find((p) => p.id === profileId);
  if (!profile) return [];
  const connected = profileId in store.connections;
  const entries: MenuEntry[] = [
    connected
      ? { label: 'Disconnect', run: () => void store.closeConnection(profileId) }
      : { label: 'Connect', run: () => void store.openConnection(profileId) },
    { label: 'Edit…', disabled: profile.builtIn === true, run: () => store.openForm({ mode: 'edit', profileId }) },
    { label: 'Refresh', shortcut: SHORTCUTS.refresh, disabled: !connected, run: () => void store.refreshNode(profileId, []) },
    { label: 'New query', shortcut: SHORTCUTS.newQuery, disabled: !connected, run: () => newQuery(profileId) },
    { label: 'Migrations', disabled: !connected, run: () => store.openMigrationsTab(profileId) },
    'separator',
    { label: 'Copy name', run: () => void copyText(profile.name) },
  ];
  return entries;
}

/** The menu of a node in the tree. */
export function nodeMenu(store: Store, profileId: string, node: TreeNode): MenuEntry[] {
  const engine = store.connections[profileId]?.info.engine ?? 'postgres';
  const entries: MenuEntry[] = [];
  if (OPENABLE.has(node.kind)) {
    entries.push(
      { label: 'Open data', shortcut: SHORTCUTS.open, run: () => openNode(profileId, node, 'data') },
      { label: 'Open structure', run: () => openNode(profileId, node, 'structure') },
    );
  } else if (ROUTINES.has(node.kind)) {
    entries.push({ label: 'Open definition', shortcut: SHORTCUTS.open, run: () => openNode(profileId, node) });
  } else if (node.hasChildren) {
    entries.push({ label: 'Open', shortcut: SHORTCUTS.open, run: () => openNode(profileId, node) });
  }
  if (node.hasChildren) entries.push({ label: 'Refresh', shortcut: SHORTCUTS.refresh, run: () => void store.refreshNode(profileId, node.path) });
  entries.push({ label: 'New query', shortcut: SHORTCUTS.newQuery, run: () => newQuery(profileId, node) });
  if (entries.length > 0) entries.push('separator');
  entries.push({ label: 'Copy name', run: () => void copyText(node.name) });
  if (node.kind !== 'group') {
    entries.push({ label: 'Copy qualified name', run: () => void copyText(qualifiedName(engine, qualifiedParts(node, engine))) });
  }
  return entries;
}

/** The node selected in the tree, if any: its profile and node (null for a connection's root). */
export function selectedNode(store: Store): { profileId: string; node: TreeNode | null } | undefined {
  const key = store.selectedKey;
  if (!key) return undefined;
  for (const profileId of Object.keys(store.connections)) {
    if (key === treeKey(profileId, [])) return { profileId, node: null };
    for (const state of Object.values(store.children)) {
      const node = state.nodes?.find((n) => treeKey(profileId, n.path) === key);
      if (node) return { profileId, node };
    }
  }
  return undefined;
}

export interface Command extends MenuItem {
  id: string;
}

/** Every action, for the command palette: the workbench's own, then those of the selected node. */
export function allCommands(store: Store): Command[] {
  const tabs = store.tabs;
  const commands: Command[] = [
    { id: 'new-connection', label: 'New connection…', run: () => store.openForm({ mode: 'new' }) },
    { id: 'new-query', label: 'New query', shortcut: SHORTCUTS.newQuery, disabled: Object.keys(store.connections).length === 0, run: () => newQuery() },
    { id: 'refresh', label: 'Refresh the selected node', shortcut: SHORTCUTS.refresh, disabled: !store.selectedKey, run: () => refreshSelected() },
    { id: 'close-tab', label: 'Close tab', shortcut: SHORTCUTS.closeTab, disabled: !store.activeTabId, run: () => store.activeTabId && store.closeTab(store.activeTabId) },
    { id: 'next-tab', label: 'Next tab', shortcut: SHORTCUTS.nextTab, disabled: tabs.length < 2, run: () => store.cycleTab(1) },
    { id: 'previous-tab', label: 'Previous tab', shortcut: SHORTCUTS.previousTab, disabled: tabs.length < 2, run: () => store.cycleTab(-1) },
    {
      id: 'migrations',
      label: 'Migrations',
      disabled: !store.activeProfileId || !(store.activeProfileId in store.connections),
      run: () => store.activeProfileId && store.openMigrationsTab(store.activeProfileId),
    },
    { id: 'toggle-theme', label: 'Toggle light and dark theme', run: () => store.toggleTheme() },
    { id: 'open-demo', label: 'Open the demo database', disabled: 'demo' in store.connections, run: () => void store.openConnection('demo') },
  ];
  const selected = selectedNode(store);
  if (selected) {
    const entries = selected.node ? nodeMenu(store, selected.profileId, selected.node) : connectionMenu(store, selected.profileId);
    const subject = selected.node?.name ?? store.profiles.find((p) => p.id === selected.profileId)?.name ?? '';
    for (const entry of entries) {
      if (entry === 'separator' || entry.label === 'Refresh' || entry.label === 'New query') continue;
      commands.push({ ...entry, id: `node:${entry.label}`, label: `${entry.label.replace(/…$/, '')}: ${subject}` });
    }
  }
  return commands;
}

export function refreshSelected(): void {
  const store = useStore.getState();
  const selected = selectedNode(store);
  if (!selected) return;
  if (!selected.node) void store.refreshNode(selected.profileId, []);
  else if (selected.node.hasChildren) void store.refreshNode(selected.profileId, selected.node.path);
  else {
    // A leaf refreshes the level it is in.
    const parentKey = Object.keys(store.children).find((key) => store.children[key]!.nodes?.includes(selected.node!));
    if (parentKey) void store.refreshNode(selected.profileId, pathOfKey(parentKey));
  }
}
