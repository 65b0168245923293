import { CloseIcon, DatabaseIcon, TableIcon, ViewIcon } from '../../components/Icons.tsx';
import { DEMO_PROFILE_ID } from '../../../../shared/profiles.ts';
import { useStore } from '../../store/index.ts';
import type { ObjectTab } from './tabsSlice.ts';

export function TabArea() {
  const tabs = useStore((s) => s.tabs);
  const activeTabId = useStore((s) => s.activeTabId);
  const activateTab = useStore((s) => s.activateTab);
  const closeTab = useStore((s) => s.closeTab);
  const active = tabs.find((t) => t.id === activeTabId);

  if (tabs.length === 0) return <Welcome />;

  return (
    <div className="tab-area">
      <div className="tab-strip" role="tablist" aria-label="Open tabs">
        {tabs.map((tab) => {
          const selected = tab.id === activeTabId;
          return (
            <div
              key={tab.id}
              className={`tab${selected ? ' is-active' : ''}`}
              role="tab"
              aria-selected={selected}
              aria-controls="tab-panel"
              tabIndex={selected ? 0 : -1}
              title={tab.path.join(' › ')}
              onClick={() => activateTab(tab.id)}
              onAuxClick={(e) => e.button === 1 && closeTab(tab.id)}
              onKeyDown={(e) => {
                const index = tabs.indexOf(tab);
                if (e.key === 'ArrowRight' && tabs[index + 1]) activateTab(tabs[index + 1]!.id);
                if (e.key === 'ArrowLeft' && tabs[index - 1]) activateTab(tabs[index - 1]!.id);
              }}
            >
              {tab.objectKind === 'table' ? <TableIcon className="node-icon node-icon--table" /> : <ViewIcon className="node-icon node-icon--view" />}
              <span className="tab__title">{tab.title}</span>
              <button
                type="button"
                className="tab__close"
                aria-label={`Close ${tab.title}`}
                tabIndex={-1}
                onClick={(e) => {
                  e.stopPropagation();
                  closeTab(tab.id);
                }}
              >
                <CloseIcon size={11} />
              </button>
            </div>
          );
        })}
      </div>
      <div className="tab-panel" id="tab-panel" role="tabpanel" aria-label={active?.title}>
        {active ? <ObjectPlaceholder tab={active} /> : null}
      </div>
    </div>
  );
}

function ObjectPlaceholder({ tab }: { tab: ObjectTab }) {
  const profile = useStore((s) => s.profiles.find((p) => p.id === tab.profileId));
  return (
    <div className="object-panel">
      <header className="object-panel__header">
        {tab.objectKind === 'table' ? <TableIcon size={18} className="node-icon node-icon--table" /> : <ViewIcon size={18} className="node-icon node-icon--view" />}
        <h1>{tab.title}</h1>
        <span className="object-panel__kind">{tab.objectKind.replace('-', ' ')}</span>
      </header>
      <nav className="breadcrumbs" aria-label="Path">
        {[profile?.name ?? 'connection', ...tab.path].map((part, i) => (
          <span key={i} className="breadcrumbs__part">
            {part}
          </span>
        ))}
      </nav>
      <div className="placeholder-card">
        <p>Table browsing arrives in a later version.</p>
        <p className="placeholder-card__path mono">{tab.path.join('.')}</p>
      </div>
    </div>
  );
}

function Welcome() {
  const demoConnected = useStore((s) => DEMO_PROFILE_ID in s.connections);
  const demoExists = useStore((s) => s.profiles.some((p) => p.id === DEMO_PROFILE_ID));
  const openConnection = useStore((s) => s.openConnection);
  const connecting = useStore((s) => s.connecting[DEMO_PROFILE_ID] ?? false);
  const openForm = useStore((s) => s.openForm);

  return (
    <div className="welcome">
      <div className="welcome__card">
        <DatabaseIcon size={40} className="welcome__logo" />
        <h1>Cabinet</h1>
        <p>A workbench for PostgreSQL and MySQL/MariaDB.</p>
        <div className="welcome__actions">
          {demoExists && !demoConnected ? (
            <button type="button" className="button button--primary" disabled={connecting} onClick={() => void openConnection(DEMO_PROFILE_ID)}>
              Open the demo database
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => openForm({ mode: 'new' })}>
            Add a connection…
          </button>
        </div>
        <ul className="welcome__tips">
          <li>Double-click a connection to open it.</li>
          <li>Paste a DATABASE_URL into a new connection to fill the form.</li>
          <li>Double-click a table in the explorer to open it.</li>
        </ul>
      </div>
    </div>
  );
}
