/**
 * Body rows and the frozen row-number column. A scroll frame that stays inside the render window
 * re-renders no row; a row re-renders when the row in its place, its data, its part of the selection,
 * the visible columns or the column layout change. Values are React text children.
 */
import { memo, type ReactNode } from 'react';
import type { CellValue } from '../../../../shared/values.ts';
import type { BlockCache, RowStatus } from './blockCache.ts';
import { cellDisplay, surelyFits } from './cellDisplay.ts';
import type { ColumnLayout } from './columnLayout.ts';

export type RenderCellExtra = (row: number, column: number, value: CellValue) => ReactNode;

export type CellOverlayState = 'edited' | 'inserted' | 'deleted' | 'conflict';
/**
 * What a cell shows instead of its loaded value (a pending edit; no `value`: the loaded one), and how it is
 * marked, with `note` as the cell's tooltip (the server's message on a refused change); undefined for the loaded
 * value, unmarked. A new function means new overlays: every rendered row re-renders.
 */
export type CellOverlay = (row: number, column: number) => { value?: CellValue; state: CellOverlayState; note?: string } | undefined;

interface GridRowProps {
  rowIndex: number;
  top: number;
  height: number;
  cells: readonly CellValue[] | undefined;
  status: RowStatus;
  colStart: number;
  colEnd: number;
  layout: ColumnLayout;
  /** By source index: right-align numbers. */
  numeric: readonly boolean[];
  /** Selected display positions in this row, or -1/-1. */
  selLeft: number;
  selRight: number;
  /** Display position of the active cell when it is in this row, else -1. */
  activeCol: number;
  activeId: string;
  renderCellExtra: RenderCellExtra | undefined;
  overlay: CellOverlay | undefined;
}

const GridRow = memo(function GridRow({
  rowIndex,
  top,
  height,
  cells,
  status,
  colStart,
  colEnd,
  layout,
  numeric,
  selLeft,
  selRight,
  activeCol,
  activeId,
  renderCellExtra,
  overlay,
}: GridRowProps) {
  // Cells flow left to right from the first rendered column: no per-cell positioning (an absolutely
  // positioned cell is a paint layer of its own, which made fast scrolling paint-bound).
  const style = { top, height, width: layout.total, paddingLeft: layout.offsets[colStart] };
  if (status === 'missing') {
    return <div role="row" aria-rowindex={rowIndex + 2} className="dg-row is-missing" style={style} />;
  }
  // A row that is not loaded has the same cells, empty (the row is busy, its skeleton is drawn by CSS): a
  // recycled row switching between loading and loaded then changes text and classes, never its elements.
  const loaded = status === 'loaded' && !!cells;
  const widths = cellStyles(layout);
  const out: ReactNode[] = [];
  for (let display = colStart; display < colEnd; display++) {
    const source = layout.order[display]!;
    const over = loaded && overlay ? overlay(rowIndex, source) : undefined;
    const value = over && over.value !== undefined ? over.value : loaded ? (cells[source] ?? null) : undefined;
    const shown = loaded ? cellDisplay(value) : null;
    const selected = display >= selLeft && display <= selRight;
    const active = display === activeCol;
    const extra = shown && renderCellExtra ? renderCellExtra(rowIndex, source, value ?? null) : null;
    const hasExtra = extra !== null && extra !== undefined && extra !== false;
    let className = shown ? `dg-cell is-${shown.kind}` : 'dg-cell';
    if (numeric[source]) className += ' is-numeric';
    if (selected) className += ' is-selected';
    if (active) className += ' is-active';
    if (hasExtra) className += ' has-extra';
    else if (shown && !surelyFits(shown.text, layout.widths[display]!)) className += ' is-clipped';
    if (over) className += ` is-pending is-${over.state}`;
    const text = shown ? shown.text : '';
    out.push(
      <div
        key={source}
        id={active ? activeId : undefined}
        role="gridcell"
        aria-colindex={display + 1}
        aria-selected={selected}
        // Only when a link button sits in the cell: its label must not become part of the cell's name.
        aria-label={hasExtra ? text : undefined}
        className={className}
        style={widths[display]}
        title={over?.note}
      >
        {hasExtra ? <span className="dg-cell__text">{text}</span> : text}
        {hasExtra ? <span className="dg-cell__extra">{extra}</span> : null}
      </div>,
    );
  }
  return (
    <div
      role="row"
      aria-rowindex={rowIndex + 2}
      aria-busy={status === 'loading' || undefined}
      className={`dg-row${status === 'error' ? ' is-error' : status === 'loading' ? ' is-loading' : ''}${rowIndex % 2 ? ' is-odd' : ''}`}
      style={style}
    >
      {out}
    </div>
  );
});

/** One style object per column width and layout, shared by every row: React skips comparing styles it has seen. */
const stylesOfLayout = new WeakMap<ColumnLayout, readonly { width: number }[]>();
function cellStyles(layout: ColumnLayout): readonly { width: number }[] {
  let styles = stylesOfLayout.get(layout);
  if (!styles) {
    styles = layout.widths.map((width) => ({ width }));
    stylesOfLayout.set(layout, styles);
  }
  return styles;
}

interface GridBodyProps {
  cache: BlockCache;
  /** Counts the cache changes to show (see `useBlockArrivals`): the rows re-render when it moves, not whenever the cache does. */
  arrivals: number;
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
  rowHeight: number;
  layout: ColumnLayout;
  numeric: readonly boolean[];
  /** The selected range (rows, display positions), or -1s. */
  selTop: number;
  selBottom: number;
  selLeft: number;
  selRight: number;
  activeRow: number;
  activeCol: number;
  activeId: string;
  renderCellExtra: RenderCellExtra | undefined;
  overlay: CellOverlay | undefined;
}

/**
 * The rows of the render window. Memoised on plain values, so a render of the grid that changes none of them
 * (a scroll within a row, a parent re-rendering) costs nothing here.
 *
 * Rows are keyed by their place in the window: when the window slides, each element keeps its place (its
 * `top` and its position among its siblings) and only its text changes. No element is created, moved or
 * repositioned while scrolling, which is what a frame of fast scrolling would cost otherwise.
 */
export const GridBody = memo(function GridBody({
  cache,
  rowStart,
  rowEnd,
  colStart,
  colEnd,
  rowHeight,
  layout,
  numeric,
  selTop,
  selBottom,
  selLeft,
  selRight,
  activeRow,
  activeCol,
  activeId,
  renderCellExtra,
  overlay,
}: GridBodyProps) {
  const rows: ReactNode[] = [];
  for (let row = rowStart; row < rowEnd; row++) {
    const status = cache.rowStatus(row);
    const inRange = row >= selTop && row <= selBottom;
    rows.push(
      <GridRow
        key={row - rowStart}
        rowIndex={row}
        top={(row - rowStart) * rowHeight}
        height={rowHeight}
        cells={status === 'loaded' ? cache.row(row) : undefined}
        status={status}
        colStart={colStart}
        colEnd={colEnd}
        layout={layout}
        numeric={numeric}
        selLeft={inRange ? selLeft : -1}
        selRight={inRange ? selRight : -1}
        activeCol={row === activeRow ? activeCol : -1}
        activeId={activeId}
        renderCellExtra={renderCellExtra}
        overlay={overlay}
      />,
    );
  }
  return <>{rows}</>;
});

interface RowNumbersProps {
  rowStart: number;
  rowEnd: number;
  rowHeight: number;
  activeRow: number;
  selTop: number;
  selBottom: number;
  /** Rows whose number is a guess (placed by a far jump into a big table): shown as `≈n`. */
  approximate: (row: number) => boolean;
  /** Bumped when blocks arrive: whether a row's number is a guess is known only then. */
  arrivals: number;
}

/** The frozen row-number column (decoration: `aria-rowindex` already tells a screen reader the row). */
export const RowNumbers = memo(function RowNumbers({ rowStart, rowEnd, rowHeight, activeRow, selTop, selBottom, approximate }: RowNumbersProps) {
  const out: ReactNode[] = [];
  for (let row = rowStart; row < rowEnd; row++) {
    let className = 'dg-rownum';
    if (row >= selTop && row <= selBottom) className += ' is-selected';
    if (row === activeRow) className += ' is-active';
    out.push(
      <div key={row - rowStart} className={className} style={{ top: (row - rowStart) * rowHeight, height: rowHeight }}>
        {approximate(row) ? `≈${row + 1}` : row + 1}
      </div>,
    );
  }
  return <>{out}</>;
});
