import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BrowseFilter, BrowseQueryInfo, BrowseTableInfo, BrowseWindow, ForeignKeyLink, RowTotal } from '../../../../shared/browse.ts';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import { isBytes, type CellValue } from '../../../../shared/values.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { DataGrid, type DataGridHandle, type SortKey } from '../../components/data-grid/index.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { RefreshIcon, SearchIcon, Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import type { ObjectTab } from '../workbench/tabsSlice.ts';
import { browseSource, gridRowCount, totalLabel } from './browseSource.ts';
import { FilterBar, toDraft, toFilter, type DraftFilter } from './FilterBar.tsx';
import { ValuePanel, type OpenValue } from './ValuePanel.tsx';
import { qualifiedName } from '../../../../shared/identifiers.ts';
import { ExportDialog } from '../sql-editor/ExportDialog.tsx';
import { tableTarget } from '../row-editing/editableTarget.ts';
import { PreviewDialog } from '../row-editing/PreviewDialog.tsx';
import { useRowEditing } from '../row-editing/useRowEditing.tsx';

interface QueryState {
  sort: SortKey[];
  drafts: DraftFilter[];
  where: string;
}

/**
 * A table's rows: the grid over a browse view in the core. Sort, filters and paging all run on the server;
 * the scrollbar covers the whole table from the planner's estimate, counted exactly on request.
 */
export function DataView({
  tab,
  connectionId,
  engine,
  readOnly = false,
}: {
  tab: ObjectTab;
  connectionId: string;
  engine: 'postgres' | 'mysql';
  readOnly?: boolean;
}) {
  const [info, setInfo] = useState<BrowseTableInfo | null>(null);
  const [openError, setOpenError] = useState<CabinetErrorData | null>(null);
  const [queryError, setQueryError] = useState<CabinetErrorData | null>(null);
  const [gridError, setGridError] = useState<CabinetErrorData | null>(null);
  const [query, setQuery] = useState<QueryState>(() => ({ sort: [], drafts: (tab.filters ?? []).map(toDraft), where: '' }));
  const [queryInfo, setQueryInfo] = useState<BrowseQueryInfo | null>(null);
  const [total, setTotal] = useState<RowTotal>({ rows: null, exact: false });
  const [lastWindow, setLastWindow] = useState<BrowseWindow | null>(null);
  const [generation, setGeneration] = useState(0);
  const [showFilters, setShowFilters] = useState((tab.filters ?? []).length > 0);
  const [showSql, setShowSql] = useState(false);
  const [counting, setCounting] = useState(false);
  const [openValue, setOpenValue] = useState<OpenValue | null>(null);
  const [exporting, setExporting] = useState(false);
  const grid = useRef<DataGridHandle>(null);
  /** Rows known to exist: where the scrollbar ends while the total is unknown. */
  const [seen, setSeen] = useState(0);
  const openObjectTab = useStore((s) => s.openObjectTab);

  // Open the view once per tab and connection; close it when the tab goes.
  useEffect(() => {
    let viewId: string | undefined;
    let current = true;
    call('browse/open', { connectionId, path: tab.path }).then(
      async (opened) => {
        if (!current) {
          void call('browse/close', { viewId: opened.viewId }).catch(() => undefined);
          return;
        }
        viewId = opened.viewId;
        const filters = tab.filters ?? [];
        if (filters.length > 0) {
          const applied = await call('browse/query', { viewId, sort: [], filters }).catch((error: unknown) => {
            setQueryError(toErrorData(error));
            return null;
          });
          if (applied) {
            setQueryInfo(applied);
            setTotal(applied.total);
          }
        } else {
          setTotal(opened.total);
        }
        if (current) setInfo(opened);
      },
      (error: unknown) => current && setOpenError(toErrorData(error)),
    );
    return () => {
      current = false;
      if (viewId) void call('browse/close', { viewId }).catch(() => undefined);
    };
  }, [connectionId, tab.path, tab.filters]);

  const onWindow = useCallback((window: BrowseWindow) => {
    setLastWindow(window);
    setSeen((before) => Math.max(before, window.start + window.rows.length));
    setTotal((before) => (before.rows === window.total.rows && before.exact === window.total.exact ? before : window.total));
    setGridError(null);
  }, []);

  // A new source (a new query: the core's generation moves on) empties the grid's cache; a refresh keeps it.
  const coreGeneration = queryInfo?.generation ?? info?.generation ?? 0;
  const viewId = info?.viewId;
  const source = useMemo(() => (viewId ? browseSource(viewId, coreGeneration, onWindow) : null), [viewId, coreGeneration, onWindow]);

  /** Runs the view's query anew. A new sort or filter starts a new grid at the top; a refresh keeps it. */
  const runQuery = async (next: QueryState, keepGrid = false) => {
    if (!info) return;
    try {
      const applied = await call('browse/query', {
        viewId: info.viewId,
        sort: next.sort.map((k) => ({ column: info.columns[k.column]!.name, direction: k.direction })),
        filters: next.drafts.map(toFilter),
        ...(next.where.trim() ? { where: next.where } : {}),
      });
      setQuery(next);
      setQueryInfo(applied);
      setQueryError(null);
      setTotal(applied.total);
      if (!keepGrid) {
        setSeen(0);
        setGeneration((g) => g + 1);
      }
    } catch (error) {
      // The view keeps its previous query; the message says what was wrong.
      setQueryError(toErrorData(error));
    }
  };

  const refresh = () => runQuery(query, true);

  const target = useMemo(() => (info ? tableTarget(connectionId, engine, tab.path, info, readOnly) : null), [connectionId, engine, tab.path, info, readOnly]);
  const rowCount = gridRowCount(total, seen);
  const editing = useRowEditing({ pendingId: tab.id, target, grid, rowCount: total.exact ? rowCount : undefined, onApplied: () => void refresh() });

  const countRows = async () => {
    if (!info) return;
    setCounting(true);
    try {
      const counted = await call('browse/count', { viewId: info.viewId });
      setTotal(counted.total);
    } catch (error) {
      setQueryError(toErrorData(error));
    } finally {
      setCounting(false);
    }
  };

  const links = useMemo(() => {
    const map = new Map<number, ForeignKeyLink>();
    for (const fk of info?.foreignKeys ?? []) {
      // A single-column key links from its cell; a composite one needs the row's other cells too.
      if (fk.columns.length !== 1) continue;
      const index = info!.columns.findIndex((c) => c.name === fk.columns[0]);
      if (index >= 0) map.set(index, fk);
    }
    return map;
  }, [info]);

  const renderCellExtra = useCallback(
    (_row: number, column: number, value: CellValue) => {
      const fk = links.get(column);
      if (!fk || value === null || isBytes(value)) return null;
      const filters: BrowseFilter[] = [{ column: fk.referencedColumns[0]!, op: '=', value }];
      return (
        <button
          type="button"
          className="fk-link"
          aria-label={`Open ${fk.references.name} where ${fk.referencedColumns[0]} = ${value}`}
          title={`Open the ${fk.references.name} row`}
          onClick={(e) => {
            e.stopPropagation();
            openObjectTab({ profileId: tab.profileId, path: fk.references.path, title: fk.references.name, objectKind: 'table', view: 'data', filters });
          }}
        >
          ↗
        </button>
      );
    },
    [links, openObjectTab, tab.profileId],
  );

  if (openError) return <ErrorMessage error={openError} />;
  if (!info || !source) {
    return (
      <div className="muted-row">
        <Spinner /> Opening {tab.title}…
      </div>
    );
  }

  const statement = lastWindow ?? null;
  const shownSql = queryInfo?.sql ?? info.sql;

  return (
    <div className="data-view" onKeyDown={editing.onKeyDown} onPaste={editing.onPaste}>
      <div className="data-view__toolbar" role="toolbar" aria-label="Table tools">
        <button type="button" className="button button--small" onClick={() => void refresh()} title="Refresh, keeping the scroll position and sort">
          <RefreshIcon size={12} /> Refresh
        </button>
        <button type="button" className="button button--small" aria-pressed={showFilters} onClick={() => setShowFilters((v) => !v)}>
          <SearchIcon size={12} /> Filter{query.drafts.length + (query.where.trim() ? 1 : 0) > 0 ? ` (${query.drafts.length + (query.where.trim() ? 1 : 0)})` : ''}
        </button>
        <button type="button" className="button button--small" aria-pressed={showSql} onClick={() => setShowSql((v) => !v)}>
          SQL
        </button>
        {editing.toolbar}
        <span className="spacer" />
        <span className="data-view__total" aria-label="Row count">
          {totalLabel(total)}
        </span>
        {!total.exact ? (
          <button type="button" className="button button--small" disabled={counting} onClick={() => void countRows()}>
            {counting ? 'Counting…' : 'Count exactly'}
          </button>
        ) : null}
        <button type="button" className="button button--small" onClick={() => setExporting(true)} title="Export the whole table">
          Export…
        </button>
        <span className="data-view__paging" title="How the grid pages this table on the server">
          {info.paging === 'keyset' ? `keyset on ${info.key?.columns.join(', ')}` : 'offset paging (no key)'}
        </span>
      </div>
      {showFilters ? <FilterBar columns={info.columns} engine={engine} initial={query.drafts} initialWhere={query.where} onApply={(drafts, where) => void runQuery({ ...query, drafts, where })} /> : null}
      {queryError ? <ErrorMessage error={queryError} onDismiss={() => setQueryError(null)} /> : null}
      {editing.notice}
      {editing.newRows}
      {gridError ? (
        <div className="data-view__grid-error">
          <ErrorMessage error={gridError} onDismiss={() => setGridError(null)} />
          {statement ? <pre className="mono data-view__sql">{statement.sql}</pre> : null}
        </div>
      ) : null}
      {showSql ? (
        <section className="data-view__sql-panel" aria-label="SQL the grid runs">
          <pre className="mono data-view__sql">{shownSql}</pre>
          {queryInfo && queryInfo.params.length > 0 ? <div className="data-view__params mono">params: {JSON.stringify(queryInfo.params)}</div> : null}
          {statement ? (
            <>
              <div className="data-view__caption">Last window ({statement.elapsedMs} ms):</div>
              <pre className="mono data-view__sql">{statement.sql}</pre>
              {statement.params.length > 0 ? <div className="data-view__params mono">params: {JSON.stringify(statement.params)}</div> : null}
            </>
          ) : null}
        </section>
      ) : null}
      <div className="data-view__body">
        <DataGrid
          key={generation}
          ref={grid}
          ariaLabel={`Rows of ${tab.title}`}
          columns={info.columns}
          rowCount={rowCount}
          source={source}
          sort={query.sort}
          onSortChange={(sort) => void runQuery({ ...query, sort })}
          renderCellExtra={links.size > 0 ? renderCellExtra : undefined}
          overlay={editing.overlay}
          editor={editing.editor}
          onCellOpen={(row, column, value) => {
            const c = info.columns[column]!;
            setOpenValue({ column: c.name, type: c.type, typeClass: c.typeClass, value });
            editing.startEdit(row, column);
          }}
          onError={(error) => setGridError(toErrorData(error))}
          onEndFound={(rows) => setTotal({ rows, exact: true })}
        />
        {openValue ? <ValuePanel open={openValue} onClose={() => setOpenValue(null)} /> : null}
      </div>
      {editing.preview ? <PreviewDialog preview={editing.preview} onClose={editing.closePreview} onApply={() => void editing.apply()} /> : null}
      {exporting ? (
        <ExportDialog
          request={{
            connectionId,
            database: info.table.database,
            sql: `SELECT * FROM ${qualifiedName(engine, info.table.schema ? [info.table.schema, info.table.name] : [info.table.name])}`,
            name: info.table.name,
            table: info.table.schema ? [info.table.schema, info.table.name] : [info.table.name],
          }}
          onClose={() => setExporting(false)}
        />
      ) : null}
    </div>
  );
}
