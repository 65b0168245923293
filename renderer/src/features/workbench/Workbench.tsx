import { useEffect, useRef } from 'react';
import { ContextMenu } from '../../components/ContextMenu.tsx';
import { SunMoonIcon } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import { ConnectionForm } from '../connections/ConnectionForm.tsx';
import { ConnectionList } from '../connections/ConnectionList.tsx';
import { PasswordPrompt } from '../connections/PasswordPrompt.tsx';
import { SchemaTreePanel } from '../schema-tree/SchemaTree.tsx';
import { Banners } from './Banners.tsx';
import { StatusBar } from './StatusBar.tsx';
import { TabArea } from './TabArea.tsx';
import { CommandPalette } from '../commands/CommandPalette.tsx';
import { CloseQueryDialog } from '../sql-editor/CloseQueryDialog.tsx';
import { SavedQueriesPanel } from '../sql-editor/SavedQueries.tsx';
import { useShortcuts } from '../commands/useShortcuts.ts';
import { useCoreEvents } from './useCoreEvents.ts';
import { useUiStateSaving } from './useUiState.ts';

const clampWidth = (x: number) => Math.max(200, Math.min(640, x));

export function Workbench() {
  useCoreEvents();
  useUiStateSaving();
  useShortcuts();
  const theme = useStore((s) => s.theme);
  const toggleTheme = useStore((s) => s.toggleTheme);
  const sidebarWidth = useStore((s) => s.sidebarWidth);
  const setSidebarWidth = useStore((s) => s.setSidebarWidth);
  const menu = useStore((s) => s.menu);
  const closeMenu = useStore((s) => s.closeMenu);
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
        <SavedQueriesPanel />
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
            setSidebarWidth(clampWidth(e.clientX));
          }}
          onPointerUp={(e) => {
            dragging.current = false;
            e.currentTarget.releasePointerCapture(e.pointerId);
          }}
        />
      </aside>
      <main className="workbench__main">
        <Banners />
        <TabArea />
      </main>
      <StatusBar />
      <ConnectionForm />
      <PasswordPrompt />
      <CommandPalette />
      <CloseQueryDialog />
      {menu ? <ContextMenu request={menu} onClose={closeMenu} /> : null}
    </div>
  );
}
