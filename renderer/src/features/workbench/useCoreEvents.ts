import { useEffect } from 'react';
import { onEvent, onTransportState } from '../../api/client.ts';
import { useStore } from '../../store/index.ts';
import { pendingCount, usePendingStore } from '../row-editing/pendingStore.ts';

/** Loads what the workbench starts from and follows the core's events for as long as it is shown. */
export function useCoreEvents(): void {
  useEffect(() => {
    const store = useStore.getState();
    void store.loadAppInfo();
    void store.refreshProfiles();
    void store.syncConnections();

    let wasLost = false;
    const offTransport = onTransportState((state) => {
      const s = useStore.getState();
      s.setTransport(state);
      if (state === 'reconnecting') wasLost = true;
      if (state === 'open' && wasLost) {
        // The core may have changed while the socket was down.
        wasLost = false;
        void s.refreshProfiles();
        void s.syncConnections();
      }
    });
    const offStatus = onEvent('connection/status', ({ connectionId, state, message }) => {
      useStore.getState().connectionStatusChanged(connectionId, state, message);
    });
    const offBusy = onEvent('demo/busy', ({ busy, message }) => {
      useStore.getState().setDemoBusy(busy ? message : null);
    });
    const offProgress = onEvent('sessions/progress', (progress) => useStore.getState().resultProgress(progress));
    // Leaving the page with a transaction open in a query tab: the browser asks first.
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const openTransaction = Object.values(useStore.getState().queries).some((q) => q.transaction !== 'idle');
      // Pending edits survive a reload (session storage), but not closing the window.
      const pendingEdits = Object.values(usePendingStore.getState().tabs).some((p) => pendingCount(p) > 0);
      if (openTransaction || pendingEdits) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      offTransport();
      offStatus();
      offBusy();
      offProgress();
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);
}
