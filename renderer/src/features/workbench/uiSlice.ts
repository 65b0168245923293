import type { UiState } from '../../../../shared/ui-state.ts';
import type { TransportState } from '../../api/client.ts';
import type { MenuRequest } from '../../components/ContextMenu.tsx';
import type { SliceCreator } from '../../store/types.ts';

export type Theme = 'light' | 'dark';

const systemTheme = (): Theme => (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

export const DEFAULT_SIDEBAR_WIDTH = 300;

export interface UiSlice {
  theme: Theme;
  sidebarWidth: number;
  transport: TransportState;
  /** The demo's message while one of its connections holds the others back. */
  demoBusy: string | null;
  /** The open context menu, if any. */
  menu: MenuRequest | null;
  paletteOpen: boolean;
  /** Expanded tree paths per profile from the last run, used when that profile connects. */
  savedExpanded: Record<string, string[][]>;
  /** True once the last run's layout has been applied; nothing is saved before, so it cannot be overwritten. */
  uiRestored: boolean;
  toggleTheme(): void;
  setSidebarWidth(width: number): void;
  setTransport(state: TransportState): void;
  setDemoBusy(message: string | null): void;
  openMenu(menu: MenuRequest): void;
  closeMenu(): void;
  setPaletteOpen(open: boolean): void;
  /** Applies the layout kept by the core (theme, sidebar, tabs, tree). */
  applyUiState(state: UiState): void;
  /** The layout to keep, as the core stores it. */
  uiStateToSave(): UiState;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  theme: systemTheme(),
  sidebarWidth: DEFAULT_SIDEBAR_WIDTH,
  transport: 'connecting',
  demoBusy: null,
  menu: null,
  paletteOpen: false,
  savedExpanded: {},
  uiRestored: false,

  toggleTheme() {
    set({ theme: get().theme === 'dark' ? 'light' : 'dark' });
  },

  setSidebarWidth(sidebarWidth) {
    set({ sidebarWidth });
  },

  setTransport(transport) {
    set({ transport });
  },

  setDemoBusy(demoBusy) {
    set({ demoBusy });
  },

  openMenu(menu) {
    set({ menu });
  },

  closeMenu() {
    if (get().menu) set({ menu: null });
  },

  setPaletteOpen(paletteOpen) {
    set({ paletteOpen });
  },

  applyUiState(state) {
    set({
      ...(state.theme ? { theme: state.theme } : {}),
      ...(state.sidebarWidth ? { sidebarWidth: state.sidebarWidth } : {}),
      savedExpanded: state.expanded ?? {},
      uiRestored: true,
    });
    if (state.tabs) get().restoreTabs(state.tabs, state.activeTabId);
  },

  uiStateToSave() {
    const s = get();
    // Profiles that are not connected keep the expansion they had when last connected.
    const expanded: Record<string, string[][]> = { ...s.savedExpanded };
    for (const profileId of Object.keys(s.connections)) expanded[profileId] = s.expandedPaths(profileId);
    for (const profileId of Object.keys(expanded)) if (!s.profiles.some((p) => p.id === profileId)) delete expanded[profileId];
    return {
      theme: s.theme,
      sidebarWidth: Math.round(s.sidebarWidth),
      tabs: s.tabs.map((t) => ({
        id: t.id,
        kind: t.kind,
        title: t.title,
        profileId: t.profileId,
        path: t.path,
        ...(t.kind === 'object' || t.kind === 'definition' ? { objectKind: t.objectKind } : t.kind === 'query' && t.database ? { database: t.database } : {}),
        ...(t.kind === 'object' ? { view: t.view, ...(t.filters ? { filters: t.filters } : {}) } : {}),
      })),
      activeTabId: s.activeTabId,
      expanded,
    };
  },
});
