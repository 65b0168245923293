import { useEffect } from 'react';
import type { UiState } from '../../../../shared/ui-state.ts';
import { call } from '../../api/client.ts';
import { useStore } from '../../store/index.ts';

const SAVE_DELAY_MS = 400;
const LOAD_WAIT_MS = 3000;

/**
 * The last run's layout, read from the core before the first paint (so a dark theme never flashes light and
 * tabs do not jump in). An unreachable core gives the defaults after a short wait.
 */
export async function loadUiState(): Promise<void> {
  const fallback = new Promise<UiState>((resolve) => setTimeout(() => resolve({}), LOAD_WAIT_MS));
  const state = await Promise.race([call('ui/load', {}).catch((): UiState => ({})), fallback]);
  useStore.getState().applyUiState(state);
}

/** Keeps the layout: a change to the theme, the sidebar, the tabs or the tree's expansion is saved (debounced). */
export function useUiStateSaving(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSaved = JSON.stringify(useStore.getState().uiStateToSave());
    const save = () => {
      clearTimeout(timer);
      const state = useStore.getState().uiStateToSave();
      const text = JSON.stringify(state);
      if (text === lastSaved) return;
      lastSaved = text;
      void call('ui/save', { state }).catch(() => undefined);
    };
    const unsubscribe = useStore.subscribe((s, before) => {
      if (!s.uiRestored) return;
      if (s.theme === before.theme && s.sidebarWidth === before.sidebarWidth && s.tabs === before.tabs && s.activeTabId === before.activeTabId && s.expanded === before.expanded) return;
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    });
    // A reload or a closed window does not wait for the delay.
    window.addEventListener('pagehide', save);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pagehide', save);
      unsubscribe();
    };
  }, []);
}
