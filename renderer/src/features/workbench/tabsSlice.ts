import type { TreeNodeKind } from '../../../../shared/tree.ts';
import type { SliceCreator } from '../../store/types.ts';

export interface ObjectTab {
  id: string;
  kind: 'object';
  title: string;
  profileId: string;
  path: string[];
  objectKind: TreeNodeKind;
}

export type Tab = ObjectTab;

export interface TabsSlice {
  tabs: Tab[];
  activeTabId: string | null;
  openObjectTab(tab: Omit<ObjectTab, 'id' | 'kind'>): void;
  activateTab(id: string): void;
  closeTab(id: string): void;
}

export const createTabsSlice: SliceCreator<TabsSlice> = (set, get) => ({
  tabs: [],
  activeTabId: null,

  openObjectTab(tab) {
    const id = `object:${tab.profileId}:${tab.path.join('/')}`;
    if (!get().tabs.some((t) => t.id === id)) {
      set((s) => ({ tabs: [...s.tabs, { ...tab, id, kind: 'object' }] }));
    }
    set({ activeTabId: id });
    get().setActiveProfile(tab.profileId);
  },

  activateTab(id) {
    const tab = get().tabs.find((t) => t.id === id);
    if (!tab) return;
    set({ activeTabId: id });
    get().setActiveProfile(tab.profileId);
  },

  closeTab(id) {
    set((s) => {
      const index = s.tabs.findIndex((t) => t.id === id);
      if (index < 0) return s;
      const tabs = s.tabs.filter((t) => t.id !== id);
      const activeTabId = s.activeTabId === id ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? null) : s.activeTabId;
      return { tabs, activeTabId };
    });
  },
});
