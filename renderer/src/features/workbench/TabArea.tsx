import { CloseIcon, DatabaseIcon, FunctionIcon, QueryIcon, TableIcon, ViewIcon } from '../../components/Icons.tsx';
import { DEMO_PROFILE_ID, type Profile } from '../../../../shared/profiles.ts';
import { useStore } from '../../store/index.ts';
import { DefinitionView } from '../definitions/DefinitionView.tsx';
import { MigrationsView } from '../migrations/MigrationsView.tsx';
import { QueryTabView } from '../sql-editor/QueryTabView.tsx';
import { TableBrowser } from '../table-browser/TableBrowser.tsx';
import type { DefinitionTab, MigrationsTab, ObjectTab, QueryTab, Tab } from './tabsSlice.ts';

/** A tab's title; when another open tab has the same title from another connection, the connection is added. */
export function tabLabel(tab: Tab, tabs: Tab[], profiles: Profile[]): string {
  const collides = tabs.some((t) => t.id !== tab.id && t.title === tab.title && t.profileId !== tab.profileId);
  if (!collides) return tab.title;
  const connection = profiles.find((p) => p.id === tab.profileId)?.name ?? 'connection';
  return `${tab.title} (${connection})`;
}

/** Where a tab's object lives: connection › database › schema › name. */
export function tabTooltip(tab: Tab, profiles: Profile[]): string {
  const connection = profiles.find((p) => p.id === tab.profileId)?.name ?? 'connection';
  if (tab.kind === 'query') return [connection, tab.database ?? '', tab.title].filter(Boolean).join(' › ');
  if (tab.kind === 'migrations') return [connection, tab.title].join(' › ');
  // Paths: [database, schema, group, name] on PostgreSQL, [database, group, name] on MySQL.
  const owners = tab.path.length >= 4 ? [tab.path[0]!, tab.path[1]!] : [tab.path[0]!];
  return [connection, ...owners, tab.title].join(' › ');
}

export function TabArea() {
  const tabs = useStore((s) => s.tabs);
  const profiles = useStore((s) => s.profiles);
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
          const label = tabLabel(tab, tabs, profiles);
          return (
            <div
              key={tab.id}
              className={`tab${selected ? ' is-active' : ''}`}
              role="tab"
              aria-selected={selected}
              aria-controls="tab-panel"
              tabIndex={selected ? 0 : -1}
              title={tabTooltip(tab, profiles)}
              onClick={() => activateTab(tab.id)}
              onAuxClick={(e) => e.button === 1 && closeTab(tab.id)}
              onKeyDown={(e) => {
                const index = tabs.indexOf(tab);
                if (e.key === 'ArrowRight' && tabs[index + 1]) activateTab(tabs[index + 1]!.id);
                if (e.key === 'ArrowLeft' && tabs[index - 1]) activateTab(tabs[index - 1]!.id);
              }}
            >
              <TabIcon tab={tab} />
              <span className="tab__title">{label}</span>
              <button
                type="button"
                className="tab__close"
                aria-label={`Close ${label}`}
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
      <div className="tab-panel" id="tab-panel" role="tabpanel" aria-label={active ? tabLabel(active, tabs, profiles) : undefined}>
        {active ? <TabContent key={active.id} tab={active} /> : null}
      </div>
    </div>
  );
}

function TabIcon({ tab }: { tab: Tab }) {
  if (tab.kind === 'query' || tab.kind === 'migrations') return <QueryIcon className="node-icon node-icon--query" />;
  if (tab.kind === 'definition') return <FunctionIcon className="node-icon node-icon--function" />;
  return tab.objectKind === 'table' ? <TableIcon className="node-icon node-icon--table" /> : <ViewIcon className="node-icon node-icon--view" />;
}

function TabContent({ tab }: { tab: Tab }) {
  if (tab.kind === 'query') return <QueryTabContent tab={tab} />;
  if (tab.kind === 'migrations') return <MigrationsTabContent tab={tab} />;
  return <ObjectTabContent tab={tab} />;
}

function QueryTabContent({ tab }: { tab: QueryTab }) {
  const connected = useStore((s) => tab.profileId in s.connections);
  const name = useStore((s) => s.profiles.find((p) => p.id === tab.profileId)?.name ?? 'this connection');
  return <div className="object-panel object-panel--query">{connected ? <QueryTabView tab={tab} /> : <NotConnected profileId={tab.profileId} name={name} />}</div>;
}

function MigrationsTabContent({ tab }: { tab: MigrationsTab }) {
  const connected = useStore((s) => tab.profileId in s.connections);
  const name = useStore((s) => s.profiles.find((p) => p.id === tab.profileId)?.name ?? 'this connection');
  return (
    <div className="object-panel object-panel--migrations">
      <header className="object-panel__header">
        <TabIcon tab={tab} />
        <h1>Migrations</h1>
        <span className="muted">{name}</span>
      </header>
      {connected ? <MigrationsView tab={tab} /> : <NotConnected profileId={tab.profileId} name={name} />}
    </div>
  );
}

function ObjectTabContent({ tab }: { tab: ObjectTab | DefinitionTab }) {
  const profiles = useStore((s) => s.profiles);
  const connected = useStore((s) => tab.profileId in s.connections);
  const profile = profiles.find((p) => p.id === tab.profileId);
  return (
    <div className="object-panel">
      <header className="object-panel__header">
        <TabIcon tab={tab} />
        <h1>{tab.title}</h1>
        {tab.kind === 'object' && tab.filters?.length ? (
          <span className="object-panel__kind">{tab.filters.map((f) => ('value' in f ? `${f.column} ${f.op} ${f.value}` : f.column)).join(', ')}</span>
        ) : null}
        <span className="object-panel__kind">{tab.objectKind.replace('-', ' ')}</span>
      </header>
      <nav className="breadcrumbs" aria-label="Path">
        {tabTooltip(tab, profiles)
          .split(' › ')
          .map((part, i) => (
            <span key={i} className="breadcrumbs__part">
              {part}
            </span>
          ))}
      </nav>
      {!connected ? (
        <NotConnected profileId={tab.profileId} name={profile?.name ?? 'this connection'} />
      ) : tab.kind === 'definition' ? (
        <DefinitionView tab={tab} />
      ) : (
        <TableBrowser tab={tab} />
      )}
    </div>
  );
}

function NotConnected({ profileId, name }: { profileId: string; name: string }) {
  const openConnection = useStore((s) => s.openConnection);
  const connecting = useStore((s) => s.connecting[profileId] ?? false);
  return (
    <div className="placeholder-card">
      <p>Connect to {name} to see this.</p>
      <button type="button" className="button button--primary" disabled={connecting} onClick={() => void openConnection(profileId)}>
        Connect
      </button>
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
          <li>Ctrl+Shift+P lists every action.</li>
        </ul>
      </div>
    </div>
  );
}
