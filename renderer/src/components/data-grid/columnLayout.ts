/**
 * Horizontal geometry of the grid: column widths, display order and which columns intersect the
 * viewport. Pure, so column virtualisation (1,000 columns) and reordering can be tested without a DOM.
 *
 * Indices: a *source* index is a position in the `columns` prop (and in each row array); a *display*
 * position is where the column is drawn after the user reordered columns. `order[display] = source`.
 */

export interface ColumnLayout {
  /** Display position → source index. */
  order: readonly number[];
  /** Width of each display position, in px. */
  widths: readonly number[];
  /** Left edge of each display position, plus the total width at the end (length = columns + 1). */
  offsets: readonly number[];
  total: number;
}

export const MIN_COLUMN_WIDTH = 40;
export const MAX_COLUMN_WIDTH = 2000;

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/** Room the values of a type usually need (before the header text is considered). */
function typeWidth(type: string): number {
  const t = type.toLowerCase();
  if (t.includes('uuid')) return 280;
  if (/time|date/.test(t)) return 170;
  if (/json|text|char|string|clob|blob|bytea|binary|xml|\[\]/.test(t)) return 160;
  if (/bool|bit/.test(t)) return 70;
  return 90;
}

/** A first width from the header and the type alone: no value is read, so it costs nothing with 1,000 columns. */
export function defaultColumnWidth(column: { name: string; type: string }): number {
  const header = column.name.length * 7.2 + column.type.length * 6 + 40;
  return clampWidth(Math.min(320, Math.max(typeWidth(column.type), header)));
}

export function buildLayout(order: readonly number[], sourceWidths: readonly number[]): ColumnLayout {
  const widths = order.map((source) => sourceWidths[source] ?? 120);
  const offsets = new Array<number>(widths.length + 1);
  let x = 0;
  for (let i = 0; i < widths.length; i++) {
    offsets[i] = x;
    x += widths[i]!;
  }
  offsets[widths.length] = x;
  return { order, widths, offsets, total: x };
}

/** The display position whose span contains `x` (clamped to the first/last column). */
export function columnAt(layout: ColumnLayout, x: number): number {
  const count = layout.widths.length;
  if (count === 0) return -1;
  if (x <= 0) return 0;
  if (x >= layout.total) return count - 1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.offsets[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Display positions [start, end) that intersect [scrollLeft, scrollLeft + width), plus overscan. */
export function visibleColumns(layout: ColumnLayout, scrollLeft: number, width: number, overscan = 1): { start: number; end: number } {
  const count = layout.widths.length;
  if (count === 0 || width <= 0) return { start: 0, end: 0 };
  const first = columnAt(layout, scrollLeft);
  const last = columnAt(layout, scrollLeft + width - 1);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/** The order after dragging the column at display position `from` so that it lands at `to`. */
export function moveColumn(order: readonly number[], from: number, to: number): number[] {
  const next = [...order];
  if (from < 0 || from >= next.length) return next;
  const [moved] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(next.length, to)), 0, moved!);
  return next;
}

/**
 * Where a dragged header would be dropped: the gap nearest `x` (0..count), and the display position
 * the column takes after removal from `from` (what `moveColumn` expects).
 */
export function dropTarget(layout: ColumnLayout, from: number, x: number): { gap: number; to: number } {
  const position = columnAt(layout, x);
  if (position < 0) return { gap: 0, to: 0 };
  const middle = layout.offsets[position]! + layout.widths[position]! / 2;
  const gap = x < middle ? position : position + 1;
  return { gap, to: gap > from ? gap - 1 : gap };
}

/** The horizontal scroll offset that shows display position `col` whole (or its left edge if too wide). */
export function scrollLeftForColumn(layout: ColumnLayout, col: number, current: number, viewportWidth: number): number {
  const left = layout.offsets[col];
  const right = layout.offsets[col + 1];
  if (left === undefined || right === undefined) return current;
  if (left < current) return left;
  if (right > current + viewportWidth) return Math.min(left, right - viewportWidth);
  return current;
}
