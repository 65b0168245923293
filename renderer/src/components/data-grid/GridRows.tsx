/**
 * Body rows and the frozen row-number column. Rows are memoised: a scroll frame that stays inside the
 * render window re-renders none of them, and a row re-renders only when its data, its part of the
 * selection, the visible columns or the column layout change. Values are React text children.
 */
import { memo, type ReactNode } from 'react';
import type { CellValue } from '../../../../shared/values.ts';
import type { RowStatus } from './blockCache.ts';
import { cellDisplay } from './cellDisplay.ts';
import type { ColumnLayout } from './columnLayout.ts';

export type RenderCellExtra = (row: number, column: number, value: CellValue) => ReactNode;

export type CellOverlayState = 'edited' | 'inserted' | 'deleted' | 'conflict';
/**
 * What a cell shows instead of its loaded value (a pending edit; no `value`: the loaded one), and how it is
 * marked; undefined for the loaded value, unmarked. A new function means new overlays: every rendered row re-renders.
 */
export type CellOverlay = (row: number, column: number) => { value?: CellValue; state: CellOverlayState } | undefined;

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

export const GridRow = memo(function GridRow({
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
  const out: ReactNode[] = [];
  for (let display = colStart; display < colEnd; display++) {
    const source = layout.order[display]!;
    const position = { width: layout.widths[display] };
    if (status !== 'loaded' || !cells) {
      out.push(
        <div key={source} className="dg-cell dg-cell--placeholder" style={position} aria-hidden="true">
          <span className="dg-skeleton" />
        </div>,
      );
      continue;
    }
    const over = overlay ? overlay(rowIndex, source) : undefined;
    const value = over && over.value !== undefined ? over.value : (cells[source] ?? null);
    const shown = cellDisplay(value);
    const selected = display >= selLeft && display <= selRight;
    const active = display === activeCol;
    const extra = renderCellExtra ? renderCellExtra(rowIndex, source, value) : null;
    const hasExtra = extra !== null && extra !== undefined && extra !== false;
    let className = `dg-cell is-${shown.kind}`;
    if (numeric[source]) className += ' is-numeric';
    if (selected) className += ' is-selected';
    if (active) className += ' is-active';
    if (hasExtra) className += ' has-extra';
    if (over) className += ` is-pending is-${over.state}`;
    out.push(
      <div
        key={source}
        id={active ? activeId : undefined}
        role="gridcell"
        aria-colindex={display + 1}
        aria-selected={selected}
        // Only when a link button sits in the cell: its label must not become part of the cell's name.
        aria-label={hasExtra ? shown.text : undefined}
        className={className}
        style={position}
      >
        {hasExtra ? <span className="dg-cell__text">{shown.text}</span> : shown.text}
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

interface RowNumbersProps {
  /** Key recycling, as for the rows. */
  slots: number;
  rowStart: number;
  rowEnd: number;
  anchor: number;
  rowHeight: number;
  activeRow: number;
  selTop: number;
  selBottom: number;
  /** Rows whose number is a guess (placed by a far jump into a big table): shown as `≈n`. */
  approximate: (row: number) => boolean;
}

/** The frozen row-number column (decoration: `aria-rowindex` already tells a screen reader the row). */
export const RowNumbers = memo(function RowNumbers({ slots, rowStart, rowEnd, anchor, rowHeight, activeRow, selTop, selBottom, approximate }: RowNumbersProps) {
  const out: ReactNode[] = [];
  for (let row = rowStart; row < rowEnd; row++) {
    let className = 'dg-rownum';
    if (row >= selTop && row <= selBottom) className += ' is-selected';
    if (row === activeRow) className += ' is-active';
    out.push(
      <div key={row % slots} className={className} style={{ top: (row - anchor) * rowHeight, height: rowHeight }}>
        {approximate(row) ? `≈${row + 1}` : row + 1}
      </div>,
    );
  }
  return <>{out}</>;
});
