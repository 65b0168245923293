import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Workbench } from './features/workbench/Workbench.tsx';
import { loadUiState } from './features/workbench/useUiState.ts';
import { useStore } from './store/index.ts';
import './styles/theme.css';
import './styles/workbench.css';

// The last run's layout first, so the first paint already has its theme, sidebar and tabs.
await loadUiState();
document.documentElement.dataset.theme = useStore.getState().theme;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Workbench />
  </StrictMode>,
);
