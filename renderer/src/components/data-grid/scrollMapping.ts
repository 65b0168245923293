/**
 * Vertical scroll arithmetic of the data grid, kept pure so both ends can be tested exactly.
 *
 * Two coordinate systems:
 * - the *virtual* offset: pixels in the full table, `rowCount × rowHeight` tall (1.2 billion px for
 *   50M rows: fine for a double, far beyond what a browser lays out);
 * - the *scroll* offset: the native `scrollTop` of the scroll container, whose spacer is capped at
 *   `MAX_SPACER_HEIGHT` because Chromium stops growing an element near 33.5M px (Firefox near 17.9M).
 *
 * While the table fits under the cap the two are the same number (ratio 1, native scrolling untouched).
 * Above it, scroll offsets map linearly onto virtual offsets over their whole ranges, so
 * `scrollTop = 0` is row 0, `scrollTop = max` puts the last row flush with the bottom edge, and the
 * thumb at 50% is the middle of the table; no row between is ever needed to get there.
 *
 * Why wheel scrolling is not left to the browser when scaled: a scaled mapping multiplies every native
 * scroll delta by the ratio (12× at 5M rows), so a 100 px wheel notch would jump 50 rows and a touchpad
 * could not move by one. The grid therefore handles `wheel` itself when scaled: it adds the wheel
 * delta 1:1 to the virtual offset and writes back the scroll offset that virtual offset maps to (only
 * the thumb moves by the scaled amount). Keyboard moves go the same way. Only what really moves the
 * thumb (dragging it, clicking the track or the scrollbar arrows) is read through the linear mapping.
 * A piecewise mapping (1:1 near the last position) was the alternative; it makes the thumb position
 * depend on history and breaks "50% is the middle", so it was not taken.
 */

/** The spacer's height cap: well under every browser's limit, and precise enough for a thumb. */
export const MAX_SPACER_HEIGHT = 10_000_000;

/** Height of the full table in virtual pixels. */
export function contentHeight(rowCount: number, rowHeight: number): number {
  return Math.max(0, rowCount) * rowHeight;
}

/** Height of the native spacer that represents the table in the scroll container. */
export function spacerHeight(rowCount: number, rowHeight: number, cap = MAX_SPACER_HEIGHT): number {
  return Math.min(contentHeight(rowCount, rowHeight), cap);
}

/** The largest virtual offset: the last row's bottom edge on the viewport's bottom edge. */
export function maxVirtualTop(rowCount: number, rowHeight: number, viewportHeight: number): number {
  return Math.max(0, contentHeight(rowCount, rowHeight) - Math.max(0, viewportHeight));
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/**
 * Native scroll offset → virtual offset. `maxScrollTop` is the container's real
 * `scrollHeight - clientHeight` (not a computed one: zoom and rounding make them differ by a pixel).
 */
export function virtualFromScroll(scrollTop: number, maxScrollTop: number, maxVirtual: number): number {
  if (maxVirtual <= 0 || scrollTop <= 0 || maxScrollTop <= 0) return 0;
  // Within half a pixel of the end is the end: fractional scrollTop at some zoom levels never reaches max.
  if (scrollTop >= maxScrollTop - 0.5) return maxVirtual;
  if (maxScrollTop === maxVirtual) return scrollTop;
  return clamp((scrollTop / maxScrollTop) * maxVirtual, 0, maxVirtual);
}

/** Virtual offset → native scroll offset (the inverse of `virtualFromScroll`, exact at both ends). */
export function scrollFromVirtual(virtualTop: number, maxScrollTop: number, maxVirtual: number): number {
  if (maxVirtual <= 0 || maxScrollTop <= 0 || virtualTop <= 0) return 0;
  if (virtualTop >= maxVirtual) return maxScrollTop;
  if (maxScrollTop === maxVirtual) return virtualTop;
  return clamp((virtualTop / maxVirtual) * maxScrollTop, 0, maxScrollTop);
}

/** Whether native scroll deltas are stretched (and the grid must take over the wheel). */
export function isScaled(maxScrollTop: number, maxVirtual: number): boolean {
  return maxVirtual > maxScrollTop + 0.5;
}

export interface RowWindow {
  /** First row (partly) visible. */
  first: number;
  /** One past the last row (partly) visible. */
  end: number;
}

/** Rows that intersect the viewport at a virtual offset. */
export function visibleRows(virtualTop: number, viewportHeight: number, rowHeight: number, rowCount: number): RowWindow {
  if (rowCount <= 0 || viewportHeight <= 0) return { first: 0, end: 0 };
  const first = clamp(Math.floor(virtualTop / rowHeight), 0, rowCount - 1);
  const end = clamp(Math.ceil((virtualTop + viewportHeight) / rowHeight), first + 1, rowCount);
  return { first, end };
}

/**
 * The rows to render at a virtual offset: those in view and `overscan` more either side, and where their layer
 * goes. Row `rowStart + i` is drawn in slot `i`, at `i × rowHeight` inside a layer moved by `offset` (px, ≤ 0)
 * from the body's top edge. Slots stand for places on screen, not for rows: while the window slides, the same
 * slots show other rows, so a frame of scrolling changes their text, never how many there are or where. Their
 * number is what a viewport can show when its rows are cut at both edges, whether they are or not.
 */
export interface RowSlots {
  rowStart: number;
  rowEnd: number;
  offset: number;
}

export function rowSlots(virtualTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): RowSlots {
  const { first, end } = visibleRows(virtualTop, viewportHeight, rowHeight, rowCount);
  if (end === 0) return { rowStart: 0, rowEnd: 0, offset: 0 };
  const rowStart = Math.max(0, first - overscan);
  const rowEnd = Math.min(rowCount, first + Math.ceil(viewportHeight / rowHeight) + 1 + overscan);
  return { rowStart, rowEnd, offset: rowStart * rowHeight - virtualTop };
}

export type RowAlign = 'start' | 'center' | 'end' | 'nearest';

/** The virtual offset that shows `row` as asked, clamped to the scrollable range. */
export function virtualTopForRow(
  row: number,
  align: RowAlign,
  current: number,
  rowHeight: number,
  viewportHeight: number,
  rowCount: number,
): number {
  const max = maxVirtualTop(rowCount, rowHeight, viewportHeight);
  const top = clamp(row, 0, Math.max(0, rowCount - 1)) * rowHeight;
  const bottom = top + rowHeight;
  let next: number;
  switch (align) {
    case 'start':
      next = top;
      break;
    case 'end':
      next = bottom - viewportHeight;
      break;
    case 'center':
      next = top - (viewportHeight - rowHeight) / 2;
      break;
    case 'nearest':
      if (top < current) next = top;
      else if (bottom > current + viewportHeight) next = bottom - viewportHeight;
      else next = current;
      break;
  }
  return clamp(next, 0, max);
}

/** Number of whole rows a Page Up/Down moves: the rows fully visible, less one for context. */
export function pageRows(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/** A wheel event's delta in pixels, whatever its `deltaMode` (0 pixels, 1 lines, 2 pages). */
export function wheelPixels(delta: number, deltaMode: number, rowHeight: number, pageHeight: number): number {
  if (deltaMode === 1) return delta * rowHeight;
  if (deltaMode === 2) return delta * pageHeight;
  return delta;
}
