/**
 * DataGrid: the grid of table browsing, query results and row editing. It renders rows it reads from
 * an abstract row source, by blocks, and only the rows and columns on screen.
 *
 * Props:
 * - `columns` ({name, type}[]), `rowCount` (may be an estimate, up to tens of millions), `source`
 *   (`getRows(start, count, signal)` → CellValue[][], fewer rows at the end of the data). A new `source`
 *   object means new data (new sort or filter): the cache starts empty. Keep it stable otherwise.
 * - `sort` + `onSortChange`: header click cycles asc → desc → none, Shift+click adds a sort key. The
 *   grid never sorts rows itself; without `onSortChange` headers do not sort.
 * - `onCellOpen(row, column, value)`: double-click or Enter on a loaded cell (e.g. a side panel).
 * - `renderCellExtra(row, column, value)`: a small element after a cell's text (a foreign-key link);
 *   return null for none. Keep it stable (useCallback): rows are memoised on it.
 * - `onSelectionChange`, `onError` (a block could not be read, or a copy failed), `onEndFound(rowCount)` (the data ended
 *   before `rowCount`: an estimate was too high), `ariaLabel`, `rowHeight` (24), `blockSize` (200).
 * Columns in callbacks and `sort` are source indices (positions in `columns`), whatever the order
 * the user dragged them into.
 *
 * - `overlay(row, column)`: a pending value shown instead of the loaded one, marked (`is-pending is-edited`…).
 *   Keep it stable until the overlays change: rows are memoised on it.
 * - `editor`: an element (an inline editor) placed over the cell `{ row, column }` (source index).
 * Handle (`ref`): `scrollToRow(index, align?)`, `refresh()` (re-read the rows on screen, keeping the
 * scroll position, sort and selection), `getSelection()`, `selectionText(options)` (async: TSV, CSV,
 * JSON or SQL INSERT; rows not loaded are read through the source), `copySelection(options)`, `focus()`, `rowValues(row)` (a loaded row's cells, or undefined).
 */
import {
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type MouseEvent as ReactMouseEvent,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { flushSync } from 'react-dom';
import type { CellValue } from '../../../../shared/values.ts';
import { BlockCache, type RowSource } from './blockCache.ts';
import { cellDisplay } from './cellDisplay.ts';
import { buildLayout, clampWidth, columnAt, defaultColumnWidth, moveColumn, scrollLeftForColumn } from './columnLayout.ts';
import { formatRange, formatRows, type CopyColumn, type CopyOptions } from './copyFormats.ts';
import { clampCell, moveSelection, rangeOf, type CellPosition, type SelectionState } from './gridNavigation.ts';
import { GridHeader } from './GridHeader.tsx';
import { GridBody, RowNumbers, type CellOverlay, type RenderCellExtra } from './GridRows.tsx';
import { pageRows, virtualTopForRow, type RowAlign } from './scrollMapping.ts';
import { nextSort, type SortKey } from './sortState.ts';
import { useGridKeyboard } from './useGridKeyboard.ts';
import { useVirtualScroll } from './useVirtualScroll.ts';
import './data-grid.css';

export interface DataGridColumn {
  name: string;
  /** The engine's type name, shown under the name. */
  type: string;
}

export interface GridSelection {
  /** The active cell: row index and source column index. */
  row: number;
  column: number;
  /** Selected rows, inclusive. */
  top: number;
  bottom: number;
  /** Selected columns as source indices, in the order they are shown. */
  columns: number[];
}

export interface DataGridHandle {
  scrollToRow(index: number, align?: RowAlign): void;
  refresh(): void;
  getSelection(): GridSelection | null;
  selectionText(options?: CopyOptions): Promise<string>;
  copySelection(options?: CopyOptions): Promise<void>;
  focus(): void;
  rowValues(row: number): readonly CellValue[] | undefined;
}

export interface GridEditor {
  row: number;
  /** Source index. */
  column: number;
  node: ReactNode;
}

export interface DataGridProps {
  columns: readonly DataGridColumn[];
  rowCount: number;
  source: RowSource;
  sort?: readonly SortKey[];
  onSortChange?: (sort: SortKey[]) => void;
  onCellOpen?: (row: number, column: number, value: CellValue) => void;
  renderCellExtra?: RenderCellExtra;
  overlay?: CellOverlay;
  editor?: GridEditor | null;
  onSelectionChange?: (selection: GridSelection | null) => void;
  onError?: (error: unknown) => void;
  onEndFound?: (rowCount: number) => void;
  ariaLabel?: string;
  rowHeight?: number;
  blockSize?: number;
  className?: string;
  ref?: Ref<DataGridHandle>;
}

export const HEADER_HEIGHT = 30;
/** A copy larger than this is refused: export is the tool for it. */
export const MAX_COPY_ROWS = 100_000;
const NO_SORT: readonly SortKey[] = [];
const NUMERIC_TYPE = /^(tinyint|smallint|mediumint|int|integer|bigint|int[248]|numeric|decimal|dec|real|float[48]?|double|money|(small|big)?serial)\b/i;

interface ColumnState {
  key: string;
  widths: number[];
  order: number[];
}

/**
 * A count of the cache changes the rows show: it moves when blocks arrive, in the next animation frame, before
 * that frame paints. Not at once: while scrolling, the frame's scroll render reads the cache anyway, so a block
 * arriving between two frames (or a parent re-rendering on it) costs no render and no layout of its own.
 */
function useBlockArrivals(cache: BlockCache): number {
  const [arrivals, setArrivals] = useState(0);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = cache.subscribe(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        flushSync(() => setArrivals((n) => n + 1));
      });
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [cache]);
  return arrivals;
}

function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

export function DataGrid({
  columns,
  rowCount: rowCountProp,
  source,
  sort = NO_SORT,
  onSortChange,
  onCellOpen,
  renderCellExtra,
  overlay,
  editor,
  onSelectionChange,
  onError,
  onEndFound,
  ariaLabel,
  rowHeight = 24,
  blockSize,
  className,
  ref,
}: DataGridProps) {
  const rowCount = Math.max(0, Math.floor(rowCountProp));
  const gridId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // ---- rows ----
  const cache = useMemo(() => new BlockCache({ source, blockSize }), [source, blockSize]);
  useEffect(() => () => cache.abortAll(), [cache]);
  useEffect(() => cache.setEvents({ onError, onEndFound }), [cache, onError, onEndFound]);
  const arrivals = useBlockArrivals(cache);

  // ---- columns ----
  const columnsKey = useMemo(() => columns.map((c) => `${c.name}\u0000${c.type}`).join('\u0001'), [columns]);
  const defaults = useMemo<ColumnState>(
    () => ({ key: columnsKey, widths: columns.map(defaultColumnWidth), order: columns.map((_, i) => i) }),
    [columns, columnsKey],
  );
  const [columnState, setColumnState] = useState<ColumnState | null>(null);
  const columnLayoutState = columnState && columnState.key === columnsKey ? columnState : defaults;
  const layout = useMemo(() => buildLayout(columnLayoutState.order, columnLayoutState.widths), [columnLayoutState]);
  const numeric = useMemo(() => columns.map((c) => NUMERIC_TYPE.test(c.type)), [columns]);
  const rowHeaderWidth = Math.max(44, Math.round(String(rowCount).length * 7.5 + 20));

  // ---- scrolling ----
  const scroll = useVirtualScroll(scrollerRef, { rowCount, rowHeight, headerHeight: HEADER_HEIGHT, rowHeaderWidth, layout });
  const { scrollTo, offsets } = scroll;
  const { first, end } = scroll.visible;
  useEffect(() => {
    const margin = Math.ceil((end - first) / 2) + 10;
    cache.want(Math.max(0, first - margin), Math.min(rowCount, end + margin));
  }, [cache, first, end, rowCount]);

  // ---- selection ----
  const [selectionState, setSelection] = useState<SelectionState | null>(null);
  const dimensions = useMemo(
    () => ({ rows: rowCount, cols: columns.length, page: pageRows(scroll.bodyHeight, rowHeight) }),
    [rowCount, columns.length, scroll.bodyHeight, rowHeight],
  );
  const selection = useMemo(
    () =>
      selectionState && rowCount > 0 && columns.length > 0
        ? { anchor: clampCell(selectionState.anchor, dimensions), active: clampCell(selectionState.active, dimensions) }
        : null,
    [selectionState, rowCount, columns.length, dimensions],
  );
  const range = selection ? rangeOf(selection) : null;

  const publicSelection = useCallback(
    (s: SelectionState | null): GridSelection | null => {
      if (!s) return null;
      const r = rangeOf(s);
      return {
        row: s.active.row,
        column: layout.order[s.active.col]!,
        top: r.top,
        bottom: r.bottom,
        columns: layout.order.slice(r.left, r.right + 1),
      };
    },
    [layout],
  );

  useEffect(() => {
    onSelectionChange?.(publicSelection(selection));
  }, [selection, publicSelection, onSelectionChange]);

  const reveal = useCallback(
    (cell: CellPosition) => {
      const now = offsets();
      scrollTo({
        virtualTop: virtualTopForRow(cell.row, 'nearest', now.virtualTop, rowHeight, now.bodyHeight, rowCount),
        scrollLeft: scrollLeftForColumn(layout, cell.col, now.scrollLeft, now.bodyWidth),
      });
    },
    [scrollTo, offsets, rowHeight, rowCount, layout],
  );

  const open = useCallback(
    (cell: CellPosition) => {
      const column = layout.order[cell.col];
      const row = cache.row(cell.row);
      if (column === undefined || !row || !onCellOpen) return;
      onCellOpen(cell.row, column, row[column] ?? null);
    },
    [cache, layout, onCellOpen],
  );

  const firstVisible = useMemo(
    () => ({ row: Math.min(Math.max(0, rowCount - 1), Math.ceil(scroll.virtualTop / rowHeight)), col: scroll.visible.colStart }),
    [rowCount, scroll.virtualTop, rowHeight, scroll.visible.colStart],
  );
  const onKeyDown = useGridKeyboard({ selection, setSelection, dimensions, firstVisible, reveal, open });

  // ---- mouse selection (click, Shift+click, drag with auto-scroll at the edges) ----
  const drag = useRef<{ anchor: CellPosition; x: number; y: number; frame: number } | null>(null);

  const cellAt = useCallback(
    (clientX: number, clientY: number): CellPosition => {
      const rect = bodyRef.current!.getBoundingClientRect();
      const now = offsets();
      const row = Math.floor((clientY - rect.top + now.virtualTop) / rowHeight);
      const col = columnAt(layout, clientX - rect.left + now.scrollLeft);
      return clampCell({ row, col }, dimensions);
    },
    [offsets, rowHeight, layout, dimensions],
  );

  /** While a drag selection is outside the body, scroll towards the pointer, faster the farther out. */
  const autoScroll = () => {
    const state = drag.current;
    const body = bodyRef.current;
    if (!state || !body) return;
    const rect = body.getBoundingClientRect();
    const step = (outside: number) => Math.sign(outside) * Math.min(rowHeight * 4, Math.abs(outside) / 2);
    const dy = state.y < rect.top ? step(state.y - rect.top) : state.y > rect.bottom ? step(state.y - rect.bottom) : 0;
    const dx = state.x < rect.left ? step(state.x - rect.left) : state.x > rect.right ? step(state.x - rect.right) : 0;
    if (dx || dy) {
      const now = offsets();
      scrollTo({ virtualTop: now.virtualTop + dy, scrollLeft: now.scrollLeft + dx }, true);
      setSelection({ anchor: state.anchor, active: cellAt(state.x, state.y) });
    }
  };

  const onBodyPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if ((event.target as HTMLElement).closest('button, a, input, textarea, select')) return;
    if (event.button !== 0 && event.button !== 2) return;
    if (rowCount === 0 || columns.length === 0) return;
    const cell = cellAt(event.clientX, event.clientY);
    if (event.button === 2) {
      // A right-click inside the range keeps it (for a context menu).
      if (range && cell.row >= range.top && cell.row <= range.bottom && cell.col >= range.left && cell.col <= range.right) return;
      setSelection(moveSelection(selection, cell, false));
      return;
    }
    const next = moveSelection(selection, cell, event.shiftKey);
    setSelection(next);
    event.currentTarget.setPointerCapture(event.pointerId);
    const state = { anchor: next.anchor, x: event.clientX, y: event.clientY, frame: 0 };
    const tick = () => {
      autoScroll();
      if (drag.current === state) state.frame = requestAnimationFrame(tick);
    };
    drag.current = state;
    state.frame = requestAnimationFrame(tick);
  };

  const onBodyPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const state = drag.current;
    if (!state) return;
    state.x = event.clientX;
    state.y = event.clientY;
    const cell = cellAt(event.clientX, event.clientY);
    if (!selection || cell.row !== selection.active.row || cell.col !== selection.active.col) {
      setSelection({ anchor: state.anchor, active: cell });
    }
  };

  const endDrag = () => {
    if (drag.current) cancelAnimationFrame(drag.current.frame);
    drag.current = null;
  };
  useEffect(() => endDrag, []);

  // ---- copy ----
  const copyRange = useCallback(
    (s: SelectionState) => {
      const r = rangeOf(s);
      return { top: r.top, bottom: Math.min(r.bottom, rowCount - 1), columns: layout.order.slice(r.left, r.right + 1) };
    },
    [layout, rowCount],
  );

  const selectionText = useCallback(
    async (options: CopyOptions = { format: 'tsv' }): Promise<string> => {
      if (!selection) return '';
      const r = copyRange(selection);
      if (r.bottom - r.top + 1 > MAX_COPY_ROWS) {
        throw new Error(`The selection has ${(r.bottom - r.top + 1).toLocaleString()} rows; copy takes at most ${MAX_COPY_ROWS.toLocaleString()}. Export the table instead.`);
      }
      return formatRange(cache.read, columns as readonly CopyColumn[], r, options);
    },
    [selection, copyRange, cache, columns],
  );

  const copySelection = useCallback(
    async (options?: CopyOptions) => {
      await navigator.clipboard.writeText(await selectionText(options));
    },
    [selectionText],
  );

  const onCopy = (event: ClipboardEvent<HTMLDivElement>) => {
    if (!selection) return;
    event.preventDefault();
    const r = copyRange(selection);
    if (r.bottom >= r.top && cache.hasRows(r.top, r.bottom)) {
      // Everything is loaded: write synchronously through the event, which needs no clipboard permission.
      const rows = cache.loadedRows(r.top, r.bottom - r.top + 1).map((row) => r.columns.map((c) => row[c] ?? null));
      event.clipboardData.setData('text/plain', formatRows(r.columns.map((c) => columns[c]!), rows, { format: 'tsv' }));
      return;
    }
    copySelection().catch((error: unknown) => onError?.(error));
  };

  // Chromium only runs the copy command (and fires `copy`) without a text selection if `beforecopy`
  // is cancelled; React has no synthetic event for it.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const enableCopy = (event: Event) => event.preventDefault();
    root.addEventListener('beforecopy', enableCopy);
    return () => root.removeEventListener('beforecopy', enableCopy);
  }, []);

  // ---- header ----
  const updateColumns = useCallback(
    (change: (state: ColumnState) => ColumnState) => {
      setColumnState((previous) => change(previous && previous.key === columnsKey ? previous : defaults));
    },
    [columnsKey, defaults],
  );

  const onResize = useCallback(
    (column: number, width: number) =>
      updateColumns((state) => {
        const widths = [...state.widths];
        widths[column] = width;
        return { ...state, widths };
      }),
    [updateColumns],
  );

  const onMove = useCallback(
    (from: number, to: number) => {
      const order = moveColumn(layout.order, from, to);
      updateColumns((state) => ({ ...state, order }));
      // The selection follows its columns to their new places.
      const place = (col: number) => order.indexOf(layout.order[col]!);
      setSelection((s) =>
        s ? { anchor: { ...s.anchor, col: place(s.anchor.col) }, active: { ...s.active, col: place(s.active.col) } } : s,
      );
    },
    [layout, updateColumns],
  );

  const onSortClick = useCallback(
    (column: number, additive: boolean) => onSortChange?.(nextSort(sort, column, additive)),
    [onSortChange, sort],
  );

  const renderWindow = scroll.window;
  const renderedRows = useRef({ start: 0, end: 0 });
  useEffect(() => {
    renderedRows.current = { start: renderWindow.rowStart, end: renderWindow.rowEnd };
  });
  const onAutoFit = useCallback(
    (column: number) => {
      const root = rootRef.current;
      const context = document.createElement('canvas').getContext('2d');
      const info = columns[column];
      if (!root || !context || !info) return;
      const style = getComputedStyle(root);
      context.font = `${style.fontSize} ${style.fontFamily}`;
      let width = context.measureText(info.name).width + context.measureText(info.type).width * 0.85 + 44;
      // The values on screen decide: reading others would mean fetching them.
      for (let row = renderedRows.current.start; row < renderedRows.current.end; row++) {
        const cells = cache.row(row);
        if (cells) width = Math.max(width, context.measureText(cellDisplay(cells[column] ?? null).text).width + 22);
      }
      onResize(column, clampWidth(Math.min(width, 640)));
    },
    [columns, cache, onResize],
  );

  // ---- handle ----
  useImperativeHandle(
    ref,
    () => ({
      scrollToRow(index: number, align: RowAlign = 'start') {
        const now = offsets();
        scrollTo({ virtualTop: virtualTopForRow(index, align, now.virtualTop, rowHeight, now.bodyHeight, rowCount) });
      },
      refresh: () => cache.refresh(),
      getSelection: () => publicSelection(selection),
      selectionText,
      copySelection,
      focus: () => rootRef.current?.focus(),
      rowValues: (row: number) => cache.row(row) ?? undefined,
    }),
    [scrollTo, offsets, rowHeight, rowCount, cache, publicSelection, selection, selectionText, copySelection],
  );

  /** A press in the grid focuses the grid itself (its keyboard), never the scroll container, and selects no text. */
  const keepFocus = (event: ReactMouseEvent) => {
    if ((event.target as HTMLElement).closest('button, a, input, textarea, select')) return;
    event.preventDefault();
    rootRef.current?.focus({ preventScroll: true });
  };

  // ---- render ----
  const { rowStart, rowEnd, colStart, colEnd, offset: offsetY } = renderWindow;
  const activeId = `${gridId}-active`;
  const active = selection?.active ?? null;

  let failure: unknown = null;
  for (let row = first; row < end && failure === null; row++) {
    if (cache.rowStatus(row) === 'error') failure = cache.rowError(row);
  }
  const editorDisplay = editor ? layout.order.indexOf(editor.column) : -1;
  const editorNode =
    editor && editorDisplay >= 0 ? (
      <div
        className="dg-editor"
        style={{ top: (editor.row - rowStart) * rowHeight, left: layout.offsets[editorDisplay], width: layout.widths[editorDisplay], minHeight: rowHeight }}
      >
        {editor.node}
      </div>
    ) : null;
  const activeRendered =
    !!active && active.row >= rowStart && active.row < rowEnd && active.col >= colStart && active.col < colEnd && cache.rowStatus(active.row) === 'loaded';

  return (
    <div
      ref={rootRef}
      className={`dg${className ? ` ${className}` : ''}`}
      role="grid"
      aria-label={ariaLabel}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered ? activeId : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onCopy={onCopy}
    >
      <div ref={scrollerRef} className="dg-scroller" tabIndex={-1}>
        <div className="dg-canvas" style={{ width: rowHeaderWidth + layout.total, height: HEADER_HEIGHT + scroll.spacerHeight }}>
          <div className="dg-viewport" style={{ width: scroll.width, height: scroll.height }}>
            <div className="dg-header" role="rowgroup" style={{ left: rowHeaderWidth, height: HEADER_HEIGHT }} onMouseDown={keepFocus}>
              <GridHeader
                columns={columns}
                layout={layout}
                colStart={colStart}
                colEnd={colEnd}
                sort={sort}
                sortable={!!onSortChange}
                scrollLeft={scroll.scrollLeft}
                height={HEADER_HEIGHT}
                onSortClick={onSortClick}
                onResize={onResize}
                onAutoFit={onAutoFit}
                onMove={onMove}
              />
            </div>
            <div className="dg-corner" style={{ width: rowHeaderWidth, height: HEADER_HEIGHT }} aria-hidden="true" />
            <div className="dg-rownums" style={{ top: HEADER_HEIGHT, width: rowHeaderWidth }} aria-hidden="true">
              <div className="dg-layer" style={{ transform: `translate3d(0, ${offsetY}px, 0)` }}>
                <RowNumbers
                  rowStart={rowStart}
                  rowEnd={rowEnd}
                  rowHeight={rowHeight}
                  activeRow={active ? active.row : -1}
                  selTop={range ? range.top : -1}
                  selBottom={range ? range.bottom : -1}
                  approximate={cache.approximateRows()}
                  arrivals={arrivals}
                />
              </div>
            </div>
            <div
              ref={bodyRef}
              className="dg-body"
              role="rowgroup"
              style={{ top: HEADER_HEIGHT, left: rowHeaderWidth }}
              onMouseDown={keepFocus}
              onPointerDown={onBodyPointerDown}
              onPointerMove={onBodyPointerMove}
              onPointerUp={endDrag}
              onPointerCancel={endDrag}
              onLostPointerCapture={endDrag}
              onDoubleClick={(e) => {
                if (!(e.target as HTMLElement).closest('button, a, input, textarea, select')) open(cellAt(e.clientX, e.clientY));
              }}
              // The body clips its layer and is never scrolled itself; focus moving into a clipped editor would
              // scroll it, shifting the rows away from their header.
              onScroll={(e) => e.currentTarget.scrollTo(0, 0)}
            >
              <div className="dg-layer" style={{ transform: `translate3d(${-scroll.scrollLeft}px, ${offsetY}px, 0)` }}>
                <GridBody
                  cache={cache}
                  arrivals={arrivals}
                  rowStart={rowStart}
                  rowEnd={rowEnd}
                  colStart={colStart}
                  colEnd={colEnd}
                  rowHeight={rowHeight}
                  layout={layout}
                  numeric={numeric}
                  selTop={range ? range.top : -1}
                  selBottom={range ? range.bottom : -1}
                  selLeft={range ? range.left : -1}
                  selRight={range ? range.right : -1}
                  activeRow={active ? active.row : -1}
                  activeCol={active ? active.col : -1}
                  activeId={activeId}
                  renderCellExtra={renderCellExtra}
                  overlay={overlay}
                />
                {editorNode}
              </div>
            </div>
            {columns.length === 0 ? (
              <p className="dg-message">No columns.</p>
            ) : rowCount === 0 ? (
              <p className="dg-message">No rows.</p>
            ) : null}
            {failure !== null ? (
              <div className="dg-failure" role="alert">
                <span>Rows could not be read: {errorMessage(failure)}</span>
                <button type="button" className="dg-failure__retry" onClick={() => cache.refresh()}>
                  Retry
                </button>
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
