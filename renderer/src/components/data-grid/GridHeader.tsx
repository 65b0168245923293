/**
 * The frozen header row: column name and type, sort indicator (with its priority when several columns
 * sort), drag to reorder, drag the right edge to resize (double-click it to fit the visible values).
 * Only the columns in the render window exist in the DOM.
 */
import { memo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { clampWidth, dropTarget, type ColumnLayout } from './columnLayout.ts';
import type { SortKey } from './sortState.ts';

export interface HeaderColumn {
  name: string;
  type: string;
}

interface GridHeaderProps {
  columns: readonly HeaderColumn[];
  layout: ColumnLayout;
  colStart: number;
  colEnd: number;
  sort: readonly SortKey[];
  sortable: boolean;
  scrollLeft: number;
  height: number;
  onSortClick: (column: number, additive: boolean) => void;
  onResize: (column: number, width: number) => void;
  onAutoFit: (column: number) => void;
  onMove: (from: number, to: number) => void;
}

/** Movement (px) before a press on a header becomes a drag rather than a click. */
const DRAG_THRESHOLD = 5;

function trackPointer(onMove: (event: PointerEvent) => void, onEnd: (event: PointerEvent, cancelled: boolean) => void): void {
  const move = (event: PointerEvent) => onMove(event);
  const up = (event: PointerEvent) => {
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', up);
    onEnd(event, event.type === 'pointercancel');
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('pointercancel', up);
}

export const GridHeader = memo(function GridHeader({
  columns,
  layout,
  colStart,
  colEnd,
  sort,
  sortable,
  scrollLeft,
  height,
  onSortClick,
  onResize,
  onAutoFit,
  onMove,
}: GridHeaderProps) {
  const rowRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; gap: number } | null>(null);

  const startDrag = (event: ReactPointerEvent<HTMLDivElement>, display: number) => {
    if (event.button !== 0) return;
    const startX = event.clientX;
    let moved = false;
    let gap = display;
    const locate = (clientX: number) => dropTarget(layout, display, clientX - (rowRef.current?.getBoundingClientRect().left ?? 0));
    trackPointer(
      (move) => {
        if (!moved && Math.abs(move.clientX - startX) < DRAG_THRESHOLD) return;
        moved = true;
        gap = locate(move.clientX).gap;
        setDrag({ from: display, gap });
      },
      (end, cancelled) => {
        setDrag(null);
        if (cancelled) return;
        if (moved) {
          const { to } = locate(end.clientX);
          if (to !== display) onMove(display, to);
        } else if (sortable) {
          onSortClick(layout.order[display]!, end.shiftKey);
        }
      },
    );
  };

  const startResize = (event: ReactPointerEvent<HTMLSpanElement>, display: number) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = layout.widths[display]!;
    const source = layout.order[display]!;
    trackPointer(
      (move) => onResize(source, clampWidth(startWidth + move.clientX - startX)),
      () => {},
    );
  };

  const cells = [];
  for (let display = colStart; display < colEnd; display++) {
    const source = layout.order[display]!;
    const column = columns[source];
    if (!column) continue;
    const priority = sort.findIndex((key) => key.column === source);
    const direction = priority >= 0 ? sort[priority]!.direction : null;
    cells.push(
      <div
        key={source}
        role="columnheader"
        aria-colindex={display + 1}
        aria-sort={priority === 0 ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
        className={`dg-hcell${drag?.from === display ? ' is-dragging' : ''}${sortable ? ' is-sortable' : ''}`}
        style={{ left: layout.offsets[display], width: layout.widths[display], height }}
        title={`${column.name} ${column.type}`}
        onPointerDown={(e) => startDrag(e, display)}
      >
        <span className="dg-hcell__name">{column.name}</span>
        <span className="dg-hcell__type" aria-hidden="true">
          {column.type}
        </span>
        {direction ? (
          <span className="dg-hcell__sort" aria-hidden="true">
            {direction === 'asc' ? '▲' : '▼'}
            {sort.length > 1 ? <span className="dg-hcell__priority">{priority + 1}</span> : null}
          </span>
        ) : null}
        <span
          className="dg-hcell__resizer"
          aria-hidden="true"
          onPointerDown={(e) => startResize(e, display)}
          onDoubleClick={(e) => {
            e.stopPropagation();
            onAutoFit(source);
          }}
        />
      </div>,
    );
  }

  return (
    <div ref={rowRef} role="row" aria-rowindex={1} className="dg-header-row" style={{ width: layout.total, height, transform: `translate3d(${-scrollLeft}px, 0, 0)` }}>
      {cells}
      {drag ? <div className="dg-drop-marker" style={{ left: Math.max(0, layout.offsets[drag.gap]! - 1) }} aria-hidden="true" /> : null}
    </div>
  );
});
