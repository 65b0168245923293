import { useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { isMenuKey } from '../../components/ContextMenu.tsx';
import {
  ChevronIcon,
  ColumnIcon,
  DatabaseIcon,
  FolderIcon,
  FunctionIcon,
  IndexIcon,
  KeyIcon,
  QueryIcon,
  RefreshIcon,
  SchemaIcon,
  SearchIcon,
  Spinner,
  TableIcon,
  ViewIcon,
  WarningIcon,
} from '../../components/Icons.tsx';
import { EngineBadge } from '../../components/EngineBadge.tsx';
import { useStore } from '../../store/index.ts';
import type { OpenConnection } from '../connections/connectionsSlice.ts';
import { profileColor } from '../connections/profileColors.ts';
import { connectionMenu, newQuery, nodeMenu, openNode } from '../commands/actions.ts';
import { flattenTree, type FlatRow } from './flattenTree.ts';

/** Fixed row height: the tree renders only the rows inside the viewport. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 10;

export function SchemaTreePanel() {
  const filter = useStore((s) => s.filter);
  const setFilter = useStore((s) => s.setFilter);
  const hasConnections = useStore((s) => Object.keys(s.connections).length > 0);

  return (
    <section className="sidebar-section explorer" aria-labelledby="explorer-heading">
      <div className="section-header">
        <h2 id="explorer-heading">Explorer</h2>
        {hasConnections ? (
          <button type="button" className="button button--small" title="A query tab for the selected connection (Ctrl+T)" onClick={() => newQuery()}>
            <QueryIcon size={12} /> New query
          </button>
        ) : null}
      </div>
      <div className="filter-box">
        <SearchIcon />
        <label htmlFor="tree-filter" className="sr-only">
          Filter
        </label>
        <input
          id="tree-filter"
          type="search"
          placeholder="Filter objects"
          spellCheck={false}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setFilter('');
          }}
        />
      </div>
      {hasConnections ? <SchemaTree /> : <p className="explorer__empty">Connect to a database to browse its schemas and tables.</p>}
    </section>
  );
}

function SchemaTree() {
  const profiles = useStore((s) => s.profiles);
  const connections = useStore((s) => s.connections);
  const children = useStore((s) => s.children);
  const expanded = useStore((s) => s.expanded);
  const filter = useStore((s) => s.filter);
  const selectedKey = useStore((s) => s.selectedKey);
  const selectNode = useStore((s) => s.selectNode);
  const setExpanded = useStore((s) => s.setExpanded);
  const loadChildren = useStore((s) => s.loadChildren);
  const refreshNode = useStore((s) => s.refreshNode);
  const setActiveProfile = useStore((s) => s.setActiveProfile);
  const openMenu = useStore((s) => s.openMenu);
  const revealKey = useStore((s) => s.revealKey);

  // Typing stays responsive with 20,000 tables: the filter applies at a lower priority.
  const deferredFilter = useDeferredValue(filter);

  const roots = useMemo(() => {
    const order = new Map(profiles.map((p, i) => [p.id, i]));
    return Object.entries(connections)
      .sort(([a], [b]) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9))
      .map(([profileId, connection]) => ({
        profileId,
        connection,
        name: profiles.find((p) => p.id === profileId)?.name ?? connection.info.name,
      }));
  }, [profiles, connections]);

  const rows = useMemo(
    () => flattenTree({ roots, children, expanded, filter: deferredFilter }),
    [roots, children, expanded, deferredFilter],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(400);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const selectedIndex = selectedKey ? rows.findIndex((r) => r.key === selectedKey) : -1;
  const [keyboardMove, setKeyboardMove] = useState(0);

  // Keeps the row the keyboard moved to inside the viewport.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || selectedIndex < 0 || keyboardMove === 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only after a keyboard move
  }, [keyboardMove]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + OVERSCAN);

  // A newly connected server's root is scrolled into view (it may open below thousands of rows).
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || !revealKey) return;
    const index = rows.findIndex((r) => r.key === revealKey);
    if (index < 0) return;
    element.scrollTop = Math.max(0, index * ROW_HEIGHT - ROW_HEIGHT);
    useStore.setState({ revealKey: null });
  }, [revealKey, rows]);

  const open = (row: FlatRow) => {
    if (row.node && !row.node.hasChildren) openNode(row.profileId, row.node);
    else if (row.node && ['table', 'view', 'materialized-view'].includes(row.node.kind)) openNode(row.profileId, row.node);
    else if (row.expandable) setExpanded(row.profileId, row.node?.path ?? [], !row.expanded);
  };

  const showMenu = (row: FlatRow, x: number, y: number) => {
    const store = useStore.getState();
    const entries = row.node ? nodeMenu(store, row.profileId, row.node) : connectionMenu(store, row.profileId);
    openMenu({ x, y, label: `Actions for ${row.name}`, entries });
  };

  const select = (row: FlatRow) => {
    selectNode(row.key);
    setActiveProfile(row.profileId);
  };

  const move = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (!row) return;
    select(row);
    setKeyboardMove((n) => n + 1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = selectedIndex >= 0 ? rows[selectedIndex] : undefined;
    const page = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(selectedIndex + 1);
        break;
      case 'ArrowUp':
        move(selectedIndex < 0 ? 0 : selectedIndex - 1);
        break;
      case 'PageDown':
        move(selectedIndex + page);
        break;
      case 'PageUp':
        move(selectedIndex - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!row) move(0);
        else if (row.expandable && !row.expanded) setExpanded(row.profileId, row.node?.path ?? [], true);
        else if (row.expanded && rows[selectedIndex + 1]?.level === row.level + 1) move(selectedIndex + 1);
        break;
      case 'ArrowLeft':
        if (!row) break;
        if (row.expanded) setExpanded(row.profileId, row.node?.path ?? [], false);
        else {
          for (let i = selectedIndex - 1; i >= 0; i--) {
            if (rows[i]!.level === row.level - 1) {
              move(i);
              break;
            }
          }
        }
        break;
      case 'Enter':
        if (row) open(row);
        break;
      default:
        if (isMenuKey(e) && row) {
          const box = document.getElementById(rowId(selectedIndex))?.getBoundingClientRect();
          showMenu(row, (box?.left ?? 0) + 24, (box?.bottom ?? 0) - 2);
          break;
        }
        return;
    }
    e.preventDefault();
  };

  const rowId = (index: number) => `tree-row-${index}`;

  return (
    <div
      ref={scrollRef}
      className="tree"
      role="tree"
      aria-label="Database objects"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= first && selectedIndex < last ? rowId(selectedIndex) : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="tree__spacer" role="presentation" style={{ height: rows.length * ROW_HEIGHT }}>
        {rows.slice(first, last).map((row, i) => {
          const index = first + i;
          return (
            <TreeRow
              key={row.key}
              id={rowId(index)}
              row={row}
              top={index * ROW_HEIGHT}
              selected={index === selectedIndex}
              connection={row.node ? undefined : roots.find((r) => r.profileId === row.profileId)?.connection}
              onSelect={() => select(row)}
              onToggle={() => setExpanded(row.profileId, row.node?.path ?? [], !row.expanded)}
              onOpen={() => open(row)}
              onRetry={() => void loadChildren(row.profileId, row.node?.path ?? [], true)}
              onRefresh={() => void refreshNode(row.profileId, row.node?.path ?? [])}
              onMenu={(x, y) => {
                select(row);
                showMenu(row, x, y);
              }}
            />
          );
        })}
      </div>
      {deferredFilter.trim() !== '' && rows.length === roots.length ? (
        <p className="tree__no-match">No loaded object matches “{deferredFilter}”.</p>
      ) : null}
    </div>
  );
}

function NodeIcon({ row }: { row: FlatRow }) {
  const kind = row.node?.kind;
  switch (kind) {
    case undefined:
      return <DatabaseIcon className="node-icon node-icon--connection" />;
    case 'database':
      return <DatabaseIcon className="node-icon node-icon--database" />;
    case 'schema':
      return <SchemaIcon className="node-icon node-icon--schema" />;
    case 'group':
      return <FolderIcon className="node-icon node-icon--group" />;
    case 'table':
      return <TableIcon className="node-icon node-icon--table" />;
    case 'view':
    case 'materialized-view':
      return <ViewIcon className="node-icon node-icon--view" />;
    case 'function':
    case 'procedure':
      return <FunctionIcon className="node-icon node-icon--function" />;
    case 'column':
      return row.node?.marks?.includes('primary-key') ? <KeyIcon className="node-icon node-icon--key" /> : <ColumnIcon className="node-icon node-icon--column" />;
    case 'index':
      return <IndexIcon className="node-icon node-icon--index" />;
  }
}

function TreeRow({
  id,
  row,
  top,
  selected,
  connection,
  onSelect,
  onToggle,
  onOpen,
  onRetry,
  onRefresh,
  onMenu,
}: {
  id: string;
  row: FlatRow;
  top: number;
  selected: boolean;
  connection: OpenConnection | undefined;
  onSelect: () => void;
  onToggle: () => void;
  onOpen: () => void;
  onRetry: () => void;
  onRefresh: () => void;
  onMenu: (x: number, y: number) => void;
}) {
  const profile = useStore((s) => (row.node ? undefined : s.profiles.find((p) => p.id === row.profileId)));
  const state = row.children;
  const loading = row.expanded && state?.status === 'loading';
  const error = state?.status === 'error' ? state.error : null;
  const node = row.node;

  return (
    <div
      id={id}
      role="treeitem"
      aria-label={row.name}
      aria-level={row.level}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={selected}
      aria-busy={loading || undefined}
      className={`tree-row${selected ? ' is-selected' : ''}${node ? ` tree-row--${node.kind}` : ' tree-row--connection'}`}
      style={{ top, height: ROW_HEIGHT, paddingLeft: 4 + (row.level - 1) * 14 }}
      onClick={onSelect}
      onDoubleClick={onOpen}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(e.clientX, e.clientY);
      }}
    >
      <span
        className={`tree-row__chevron${row.expandable ? '' : ' is-hidden'}${row.expanded ? ' is-open' : ''}`}
        onClick={(e) => {
          e.stopPropagation();
          onSelect();
          if (row.expandable) onToggle();
        }}
        onDoubleClick={(e) => e.stopPropagation()}
        aria-hidden="true"
      >
        <ChevronIcon size={12} />
      </span>
      {profile ? (
        <span className="color-dot color-dot--small" style={{ background: profileColor(profile) }} aria-hidden="true" />
      ) : (
        <NodeIcon row={row} />
      )}
      <span className="tree-row__name">{row.name}</span>
      {node?.kind === 'group' && node.count !== undefined ? (
        <span className="tree-row__count" aria-hidden="true">
          {node.count.toLocaleString()}
        </span>
      ) : null}
      {node?.detail ? (
        <span className="tree-row__detail" aria-hidden="true">
          {node.detail}
        </span>
      ) : null}
      {node?.marks?.includes('not-null') ? (
        <span className="tree-row__mark" title="not null" aria-hidden="true">
          NN
        </span>
      ) : null}
      {node?.marks?.includes('unique') ? (
        <span className="tree-row__mark" title="unique" aria-hidden="true">
          U
        </span>
      ) : null}
      {row.expandable && (!node || node.kind !== 'table' || row.expanded) && !loading ? (
        <button
          type="button"
          className="icon-button tree-row__refresh"
          tabIndex={-1}
          aria-label={`Refresh ${row.name}`}
          title="Refresh (F5)"
          onClick={(e) => {
            e.stopPropagation();
            onSelect();
            onRefresh();
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          <RefreshIcon size={12} />
        </button>
      ) : null}
      {!node && connection ? (
        connection.status === 'lost' ? (
          <span className="tree-row__lost" aria-hidden="true">
            lost
          </span>
        ) : (
          <EngineBadge engine={connection.info.engine} />
        )
      ) : null}
      {loading ? <Spinner size={10} /> : null}
      {error ? (
        <span className="tree-row__error" title={error.detail ? `${error.message}\n${error.detail}` : error.message}>
          <WarningIcon size={12} />
          <span className="tree-row__error-text">{error.message}</span>
          <button
            type="button"
            className="link-button"
            onClick={(e) => {
              e.stopPropagation();
              onRetry();
            }}
          >
            Retry
          </button>
        </span>
      ) : null}
    </div>
  );
}
