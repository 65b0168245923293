import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Workbench } from './features/workbench/Workbench.tsx';
import { useStore } from './store/index.ts';
import './styles/theme.css';
import './styles/workbench.css';

// Set before the first paint so a dark theme never flashes light.
document.documentElement.dataset.theme = useStore.getState().theme;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Workbench />
  </StrictMode>,
);
