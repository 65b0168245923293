import { useEffect } from 'react';
import { useStore } from '../../store/index.ts';
import { newQuery, refreshSelected } from './actions.ts';

/**
 * The workbench's keyboard shortcuts, wherever the focus is: Ctrl+Shift+P (palette), Ctrl+T (new query), F5 (refresh the selected
 * node), Ctrl+W (close tab), Ctrl+Tab / Ctrl+PageDown and Ctrl+Shift+Tab / Ctrl+PageUp (switch tabs).
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const store = useStore.getState();
      const ctrl = e.ctrlKey || e.metaKey;
      let handled = true;
      if (ctrl && e.shiftKey && e.key.toLowerCase() === 'p') store.setPaletteOpen(!store.paletteOpen);
      else if (ctrl && !e.shiftKey && e.key.toLowerCase() === 't') newQuery();
      else if (e.key === 'F5' && !ctrl && !e.shiftKey) refreshSelected();
      else if (ctrl && !e.shiftKey && e.key.toLowerCase() === 'w') {
        if (store.activeTabId) store.closeTab(store.activeTabId);
      } else if (ctrl && (e.key === 'PageDown' || (e.key === 'Tab' && !e.shiftKey))) store.cycleTab(1);
      else if (ctrl && (e.key === 'PageUp' || (e.key === 'Tab' && e.shiftKey))) store.cycleTab(-1);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
