import type { TransportState } from '../../api/client.ts';
import type { SliceCreator } from '../../store/types.ts';

export type Theme = 'light' | 'dark';

const THEME_KEY = 'cabinet.theme';

function initialTheme(): Theme {
  const stored = localStorage.getItem(THEME_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export interface UiSlice {
  theme: Theme;
  transport: TransportState;
  /** The demo's message while one of its connections holds the others back. */
  demoBusy: string | null;
  toggleTheme(): void;
  setTransport(state: TransportState): void;
  setDemoBusy(message: string | null): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  theme: initialTheme(),
  transport: 'connecting',
  demoBusy: null,

  toggleTheme() {
    const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },

  setTransport(transport) {
    set({ transport });
  },

  setDemoBusy(demoBusy) {
    set({ demoBusy });
  },
});
