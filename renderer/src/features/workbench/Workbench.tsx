import { useEffect, useRef, useState } from 'react';
import { SunMoonIcon } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import { ConnectionForm } from '../connections/ConnectionForm.tsx';
import { ConnectionList } from '../connections/ConnectionList.tsx';
import { PasswordPrompt } from '../connections/PasswordPrompt.tsx';
import { SchemaTreePanel } from '../schema-tree/SchemaTree.tsx';
import { Banners } from './Banners.tsx';
import { StatusBar } from './StatusBar.tsx';
import { TabArea } from './TabArea.tsx';
import { useCoreEvents } from './useCoreEvents.ts';

const SIDEBAR_KEY = 'cabinet.sidebarWidth';

export function Workbench() {
  useCoreEvents();
  const theme = useStore((s) => s.theme);
  const toggleTheme = useStore((s) => s.toggleTheme);
  const [sidebarWidth, setSidebarWidth] = useState(() => Number(localStorage.getItem(SIDEBAR_KEY)) || 300);
  const dragging = useRef(false);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  return (
    <div className="workbench" style={{ gridTemplateColumns: `${sidebarWidth}px 1fr` }}>
      <aside className="sidebar" aria-label="Sidebar">
        <div className="sidebar__brand">
          <span className="brand">Cabinet</span>
          <button type="button" className="icon-button" aria-label="Toggle theme" title="Toggle theme" onClick={toggleTheme}>
            <SunMoonIcon />
          </button>
        </div>
        <ConnectionList />
        <SchemaTreePanel />
        <div
          className="sidebar__resizer"
          role="separator"
          aria-orientation="vertical"
          aria-label="Resize sidebar"
          aria-valuenow={sidebarWidth}
          onPointerDown={(e) => {
            dragging.current = true;
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            if (!dragging.current) return;
            setSidebarWidth(Math.max(200, Math.min(640, e.clientX)));
          }}
          onPointerUp={(e) => {
            dragging.current = false;
            e.currentTarget.releasePointerCapture(e.pointerId);
            localStorage.setItem(SIDEBAR_KEY, String(Math.max(200, Math.min(640, e.clientX))));
          }}
        />
      </aside>
      <main className="main">
        <Banners />
        <TabArea />
      </main>
      <StatusBar />
      <ConnectionForm />
      <PasswordPrompt />
    </div>
  );
}
