import { useStore } from '../../store/index.ts';
import type { ObjectTab } from '../workbench/tabsSlice.ts';
import { DataView } from './DataView.tsx';
import { StructureView } from './StructureView.tsx';

/** A table, view or materialized view: its Data and its Structure, one tab bar above both. */
export function TableBrowser({ tab }: { tab: ObjectTab }) {
  const connection = useStore((s) => s.connections[tab.profileId]);
  const setTabView = useStore((s) => s.setTabView);
  // A migration changed the schema: both views open again (new columns, or a table that is gone, say so).
  const generation = useStore((s) => s.schemaGeneration[tab.profileId] ?? 0);
  if (!connection) return null;
  const views = [
    ['data', 'Data'],
    ['structure', 'Structure'],
  ] as const;
  return (
    <div className="table-browser">
      <div className="view-switch" role="tablist" aria-label={`Views of ${tab.title}`}>
        {views.map(([view, label]) => (
          <button
            key={view}
            type="button"
            role="tab"
            id={`view-${view}`}
            aria-selected={tab.view === view}
            aria-controls={`view-panel-${view}`}
            className={`view-switch__tab${tab.view === view ? ' is-active' : ''}`}
            onClick={() => setTabView(tab.id, view)}
          >
            {label}
          </button>
        ))}
      </div>
      {/* Both stay mounted: switching views keeps the grid's scroll position and the browse view open. */}
      <div id="view-panel-data" role="tabpanel" aria-labelledby="view-data" className="table-browser__panel" hidden={tab.view !== 'data'}>
        <DataView key={generation} tab={tab} connectionId={connection.info.connectionId} engine={connection.info.engine} readOnly={connection.info.readOnly} />
      </div>
      <div id="view-panel-structure" role="tabpanel" aria-labelledby="view-structure" className="table-browser__panel" hidden={tab.view !== 'structure'}>
        {tab.view === 'structure' ? <StructureView key={generation} connectionId={connection.info.connectionId} path={tab.path} title={tab.title} /> : null}
      </div>
    </div>
  );
}
