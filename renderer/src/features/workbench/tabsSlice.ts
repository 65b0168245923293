import type { BrowseFilter } from '../../../../shared/browse.ts';
import type { SavedTab } from '../../../../shared/ui-state.ts';
import type { SliceCreator } from '../../store/types.ts';
import { pendingCount, usePendingStore } from '../row-editing/pendingStore.ts';

/** A table, view or materialized view: its data or its structure. */
export interface ObjectTab {
  id: string;
  kind: 'object';
  title: string;
  profileId: string;
  path: string[];
  objectKind: 'table' | 'view' | 'materialized-view';
  view: 'data' | 'structure';
  /** Filters the tab opens with (a foreign-key link opens the referenced row this way). */
  filters?: BrowseFilter[];
}

/** The source of a function or procedure, read-only. */
export interface DefinitionTab {
  id: string;
  kind: 'definition';
  title: string;
  profileId: string;
  path: string[];
  objectKind: 'function' | 'procedure';
}

/** A SQL editor with its own session on the connection (and database). Its text is kept as a draft. */
export interface QueryTab {
  id: string;
  kind: 'query';
  title: string;
  profileId: string;
  /** The database the session opens on; the connection's own when absent. */
  database?: string;
  path: string[];
}

/** The migrations timeline of a connection's attached folder: one per connection. */
export interface MigrationsTab {
  id: string;
  kind: 'migrations';
  title: string;
  profileId: string;
  path: string[];
}

export type Tab = ObjectTab | DefinitionTab | QueryTab | MigrationsTab;

export interface TabsSlice {
  tabs: Tab[];
  activeTabId: string | null;
  openObjectTab(tab: Omit<ObjectTab, 'id' | 'kind'>): void;
  openDefinitionTab(tab: Omit<DefinitionTab, 'id' | 'kind'>): void;
  /** A new query tab ("Query 3") on a connection, and a database where one is given. */
  openQueryTab(profileId: string, database?: string): string;
  /** The Migrations view of a connection (focused when already open). */
  openMigrationsTab(profileId: string): void;
  setTabView(id: string, view: ObjectTab['view']): void;
  activateTab(id: string): void;
  /** Closes a tab; a query tab with an open transaction first asks whether to commit or roll back. */
  closeTab(id: string): void;
  /** Takes a tab away, with nothing asked (what closeTab ends with). */
  removeTab(id: string): void;
  /** Moves to the next (1) or previous (-1) tab, wrapping around. */
  cycleTab(step: 1 | -1): void;
  /** Tabs as they were last run (kept through the core). */
  restoreTabs(tabs: SavedTab[], activeTabId: string | null | undefined): void;
}

const tabId = (kind: Tab['kind'], profileId: string, path: string[]) => `${kind}:${profileId}:${path.join('/')}`;

export const createTabsSlice: SliceCreator<TabsSlice> = (set, get) => {
  const add = (tab: Tab) => {
    const existing = get().tabs.find((t) => t.id === tab.id);
    if (!existing) set((s) => ({ tabs: [...s.tabs, tab] }));
    else if (tab.kind === 'object' && existing.kind === 'object' && existing.view !== tab.view) get().setTabView(tab.id, tab.view);
    set({ activeTabId: tab.id });
    get().setActiveProfile(tab.profileId);
  };

  return {
    tabs: [],
    activeTabId: null,

    openObjectTab(tab) {
      const filtered = tab.filters && tab.filters.length > 0 ? `?${JSON.stringify(tab.filters)}` : '';
      add({ ...tab, id: tabId('object', tab.profileId, tab.path) + filtered, kind: 'object' });
    },

    openDefinitionTab(tab) {
      add({ ...tab, id: tabId('definition', tab.profileId, tab.path), kind: 'definition' });
    },

    openQueryTab(profileId, database) {
      const used = new Set(get().tabs.filter((t) => t.kind === 'query').map((t) => t.title));
      let n = 1;
      while (used.has(`Query ${n}`)) n++;
      const id = `query-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      add({ id, kind: 'query', title: `Query ${n}`, profileId, path: database ? [database] : [], ...(database ? { database } : {}) });
      return id;
    },

    openMigrationsTab(profileId) {
      add({ id: tabId('migrations', profileId, []), kind: 'migrations', title: 'Migrations', profileId, path: [] });
    },

    setTabView(id, view) {
      set((s) => ({ tabs: s.tabs.map((t) => (t.id === id && t.kind === 'object' ? { ...t, view } : t)) }));
    },

    activateTab(id) {
      const tab = get().tabs.find((t) => t.id === id);
      if (!tab) return;
      set({ activeTabId: id });
      get().setActiveProfile(tab.profileId);
    },

    closeTab(id) {
      const tab = get().tabs.find((t) => t.id === id);
      if (tab?.kind === 'query') {
        const state = get().queries[id];
        if (state && state.transaction !== 'idle') set({ closingQuery: id });
        else void get().finishQueryTab(id);
        return;
      }
      // A table tab with edits not yet applied asks before they are dropped.
      const pending = pendingCount(usePendingStore.getState().tabs[id]);
      if (pending > 0 && !window.confirm(`${tab?.title ?? 'This tab'} has ${pending} pending change${pending === 1 ? '' : 's'} not applied. Close it and discard them?`)) return;
      if (pending > 0) usePendingStore.getState().discard(id);
      get().removeTab(id);
    },

    removeTab(id) {
      set((s) => {
        const index = s.tabs.findIndex((t) => t.id === id);
        if (index < 0) return s;
        const tabs = s.tabs.filter((t) => t.id !== id);
        const activeTabId = s.activeTabId === id ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? null) : s.activeTabId;
        return { tabs, activeTabId };
      });
    },

    cycleTab(step) {
      const { tabs, activeTabId } = get();
      if (tabs.length === 0) return;
      const index = tabs.findIndex((t) => t.id === activeTabId);
      const next = tabs[(index + step + tabs.length) % tabs.length]!;
      get().activateTab(next.id);
    },

    restoreTabs(saved, activeTabId) {
      const tabs: Tab[] = saved.map((t): Tab =>
        t.kind === 'migrations'
          ? { id: t.id, kind: 'migrations', title: t.title, profileId: t.profileId, path: [] }
          : t.kind === 'query'
          ? { id: t.id, kind: 'query', title: t.title, profileId: t.profileId, path: t.path, ...(t.database ? { database: t.database } : {}) }
          : t.kind === 'object'
          ? {
              id: t.id,
              kind: 'object',
              title: t.title,
              profileId: t.profileId,
              path: t.path,
              objectKind: t.objectKind as ObjectTab['objectKind'],
              view: t.view ?? 'data',
              ...(t.filters ? { filters: t.filters } : {}),
            }
          : { id: t.id, kind: 'definition', title: t.title, profileId: t.profileId, path: t.path, objectKind: t.objectKind as DefinitionTab['objectKind'] },
      );
      set({ tabs, activeTabId: tabs.some((t) => t.id === activeTabId) ? activeTabId! : (tabs[0]?.id ?? null) });
    },
  };
};
