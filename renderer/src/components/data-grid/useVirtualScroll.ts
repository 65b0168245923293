/**
 * Scroll state of the grid: the virtual offset (see scrollMapping.ts), the horizontal offset, the
 * viewport size and the window of rows and columns to render. The scroll container only provides a
 * scrollbar; what is drawn sits in a sticky layer and is placed by transforms from this state, so a
 * scaled scrollbar and a 1:1 one look the same to the rest of the grid.
 *
 * Rows are placed relative to the first rendered row (`rowStart`), so the row elements keep their places
 * and a scroll frame changes their text and the layer's transform, never their positions or their order.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { visibleColumns, type ColumnLayout } from './columnLayout.ts';
import {
  clamp,
  isScaled,
  maxVirtualTop,
  rowSlots,
  scrollFromVirtual,
  virtualFromScroll,
  spacerHeight,
  visibleRows,
  wheelPixels,
  type RowSlots,
} from './scrollMapping.ts';

export interface RenderWindow extends RowSlots {
  colStart: number;
  colEnd: number;
}

interface ScrollState {
  virtualTop: number;
  scrollLeft: number;
  /** Client size of the scroll container (without its scrollbars). */
  width: number;
  height: number;
}

export interface GridGeometry {
  rowCount: number;
  rowHeight: number;
  headerHeight: number;
  rowHeaderWidth: number;
  layout: ColumnLayout;
}

export interface VirtualScroll {
  virtualTop: number;
  scrollLeft: number;
  width: number;
  height: number;
  bodyWidth: number;
  bodyHeight: number;
  /** Height of the native spacer standing for all rows (capped, see scrollMapping.ts). */
  spacerHeight: number;
  /** Rows and columns actually visible (what to fetch, what Page Down means). */
  visible: { first: number; end: number; colStart: number; colEnd: number };
  window: RenderWindow;
  /** Scrolls to a virtual offset and/or horizontal offset (clamped). */
  scrollTo: (target: { virtualTop?: number; scrollLeft?: number }, flush?: boolean) => void;
  /** The current offsets, for event handlers (never stale). Stable, like `scrollTo`. */
  offsets: () => { virtualTop: number; scrollLeft: number; bodyWidth: number; bodyHeight: number };
}

/**
 * Rows and columns rendered beyond the viewport. The content only moves when the grid re-renders (it
 * sits in a pinned layer), so no blank area can show while waiting: overscan is only there so that
 * the rows next to the viewport exist for assistive technology. One row is enough for that, and every
 * row more is ten or more cells to lay out and paint in each frame of a fast scroll.
 */
const ROW_OVERSCAN = 1;
const COL_OVERSCAN = 1;

function computeView(state: ScrollState, g: GridGeometry) {
  const bodyHeight = Math.max(0, state.height - g.headerHeight);
  const bodyWidth = Math.max(0, state.width - g.rowHeaderWidth);
  const virtualTop = clamp(state.virtualTop, 0, maxVirtualTop(g.rowCount, g.rowHeight, bodyHeight));
  const rows = visibleRows(virtualTop, bodyHeight, g.rowHeight, g.rowCount);
  const cols = visibleColumns(g.layout, state.scrollLeft, bodyWidth, 0);
  const renderWindow: RenderWindow = {
    ...rowSlots(virtualTop, bodyHeight, g.rowHeight, g.rowCount, ROW_OVERSCAN),
    colStart: Math.max(0, cols.start - COL_OVERSCAN),
    colEnd: Math.min(g.layout.widths.length, cols.end + COL_OVERSCAN),
  };
  return { bodyHeight, bodyWidth, virtualTop, rows, cols, renderWindow };
}

export function useVirtualScroll(scrollerRef: RefObject<HTMLDivElement | null>, geometry: GridGeometry): VirtualScroll {
  const [state, setState] = useState<ScrollState>({ virtualTop: 0, scrollLeft: 0, width: 0, height: 0 });
  const stateRef = useRef(state);
  const geometryRef = useRef(geometry);
  /** The scrollTop we wrote ourselves: its scroll event must not re-map (that would lose precision). */
  const expectedScrollTop = useRef<number | null>(null);

  useLayoutEffect(() => {
    geometryRef.current = geometry;
  });

  const commit = useCallback((patch: Partial<ScrollState>, flush: boolean) => {
    // Synchronous in scroll and wheel handlers: the new rows and the new offset reach the same frame.
    const next = { ...stateRef.current, ...patch };
    stateRef.current = next;
    if (flush) flushSync(() => setState(next));
    else setState(next);
  }, []);

  const limits = useCallback(() => {
    const element = scrollerRef.current;
    const g = geometryRef.current;
    if (!element) return { maxScrollTop: 0, maxVirtual: 0, bodyHeight: 0, bodyWidth: 0 };
    const bodyHeight = Math.max(0, element.clientHeight - g.headerHeight);
    return {
      maxScrollTop: Math.max(0, element.scrollHeight - element.clientHeight),
      maxVirtual: maxVirtualTop(g.rowCount, g.rowHeight, bodyHeight),
      bodyHeight,
      bodyWidth: Math.max(0, element.clientWidth - g.rowHeaderWidth),
    };
  }, [scrollerRef]);

  const scrollTo = useCallback(
    (target: { virtualTop?: number; scrollLeft?: number }, flush = false) => {
      const element = scrollerRef.current;
      if (!element) return;
      const { maxScrollTop, maxVirtual } = limits();
      const patch: Partial<ScrollState> = {};
      if (target.virtualTop !== undefined) {
        const virtualTop = clamp(target.virtualTop, 0, maxVirtual);
        element.scrollTop = scrollFromVirtual(virtualTop, maxScrollTop, maxVirtual);
        expectedScrollTop.current = element.scrollTop;
        patch.virtualTop = virtualTop;
      }
      if (target.scrollLeft !== undefined) {
        element.scrollLeft = target.scrollLeft;
        patch.scrollLeft = element.scrollLeft;
      }
      commit(patch, flush);
    },
    [commit, limits, scrollerRef],
  );

  useEffect(() => {
    const element = scrollerRef.current;
    if (!element) return;

    const onScroll = () => {
      const patch: Partial<ScrollState> = { scrollLeft: element.scrollLeft };
      const expected = expectedScrollTop.current;
      if (expected === null || Math.abs(element.scrollTop - expected) >= 1) {
        expectedScrollTop.current = null;
        const { maxScrollTop, maxVirtual } = limits();
        patch.virtualTop = virtualFromScroll(element.scrollTop, maxScrollTop, maxVirtual);
      }
      const previous = stateRef.current;
      if (patch.virtualTop === previous.virtualTop && patch.scrollLeft === previous.scrollLeft) return;
      if (patch.virtualTop === undefined && patch.scrollLeft === previous.scrollLeft) return;
      commit(patch, true);
    };

    // Scaled: the wheel moves the virtual offset 1:1 (see scrollMapping.ts). Deltas within a frame add up.
    let wheelX = 0;
    let wheelY = 0;
    let frame = 0;
    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey || event.defaultPrevented) return;
      const { maxScrollTop, maxVirtual, bodyHeight, bodyWidth } = limits();
      if (!isScaled(maxScrollTop, maxVirtual)) return;
      event.preventDefault();
      const rowHeight = geometryRef.current.rowHeight;
      wheelY += wheelPixels(event.deltaY, event.deltaMode, rowHeight, bodyHeight);
      wheelX += wheelPixels(event.deltaX, event.deltaMode, rowHeight, bodyWidth);
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const dy = wheelY;
        const dx = wheelX;
        wheelX = wheelY = 0;
        scrollTo({ virtualTop: stateRef.current.virtualTop + dy, scrollLeft: element.scrollLeft + dx }, true);
      });
    };

    const observer = new ResizeObserver(() => {
      const { clientWidth: width, clientHeight: height } = element;
      if (width !== stateRef.current.width || height !== stateRef.current.height) commit({ width, height }, true);
    });

    element.addEventListener('scroll', onScroll, { passive: true });
    element.addEventListener('wheel', onWheel, { passive: false });
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      element.removeEventListener('wheel', onWheel);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [commit, limits, scrollTo, scrollerRef]);

  // When the count or the viewport changes, the thumb must still stand for the rows on screen.
  useLayoutEffect(() => {
    const element = scrollerRef.current;
    if (!element) return;
    const { maxScrollTop, maxVirtual } = limits();
    const virtualTop = clamp(stateRef.current.virtualTop, 0, maxVirtual);
    const scrollTop = scrollFromVirtual(virtualTop, maxScrollTop, maxVirtual);
    if (Math.abs(element.scrollTop - scrollTop) >= 1) {
      element.scrollTop = scrollTop;
      expectedScrollTop.current = element.scrollTop;
    }
  }, [geometry.rowCount, geometry.rowHeight, state.height, limits, scrollerRef]);

  const offsets = useCallback(() => {
    const { bodyHeight, bodyWidth, maxVirtual } = limits();
    return { virtualTop: clamp(stateRef.current.virtualTop, 0, maxVirtual), scrollLeft: stateRef.current.scrollLeft, bodyWidth, bodyHeight };
  }, [limits]);

  const view = computeView(state, geometry);
  return {
    virtualTop: view.virtualTop,
    scrollLeft: state.scrollLeft,
    width: state.width,
    height: state.height,
    bodyWidth: view.bodyWidth,
    bodyHeight: view.bodyHeight,
    spacerHeight: spacerHeight(geometry.rowCount, geometry.rowHeight),
    visible: { first: view.rows.first, end: view.rows.end, colStart: view.cols.start, colEnd: view.cols.end },
    window: view.renderWindow,
    scrollTo,
    offsets,
  };
}
