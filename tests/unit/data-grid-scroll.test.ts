import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moveTarget } from '../../renderer/src/components/data-grid/gridNavigation.ts';
import {
  MAX_SPACER_HEIGHT,
  isScaled,
  maxVirtualTop,
  pageRows,
  rowSlots,
  scrollFromVirtual,
  spacerHeight,
  virtualFromScroll,
  virtualTopForRow,
  visibleRows,
  wheelPixels,
} from '../../renderer/src/components/data-grid/scrollMapping.ts';

const ROW = 24;
const VIEW = 600; // the body's height: 25 rows

/** What the browser reports for a grid of this many rows (header left out: it cancels out). */
function geometry(rowCount: number, viewport = VIEW) {
  const spacer = spacerHeight(rowCount, ROW);
  return {
    maxScrollTop: Math.max(0, spacer - viewport),
    maxVirtual: maxVirtualTop(rowCount, ROW, viewport),
  };
}

function rowsAtScroll(rowCount: number, scrollTop: number, viewport = VIEW) {
  const { maxScrollTop, maxVirtual } = geometry(rowCount, viewport);
  const virtualTop = virtualFromScroll(scrollTop, maxScrollTop, maxVirtual);
  return { virtualTop, ...visibleRows(virtualTop, viewport, ROW, rowCount) };
}

describe('scroll mapping, small tables (1:1)', () => {
  it('is the identity while the table fits under the cap', () => {
    const { maxScrollTop, maxVirtual } = geometry(1000);
    expect(maxScrollTop).toBe(1000 * ROW - VIEW);
    expect(maxVirtual).toBe(maxScrollTop);
    expect(isScaled(maxScrollTop, maxVirtual)).toBe(false);
    for (const s of [0, 1, 23, 24, 12_345, maxScrollTop - 1, maxScrollTop]) {
      expect(virtualFromScroll(s, maxScrollTop, maxVirtual)).toBe(s);
      expect(scrollFromVirtual(s, maxScrollTop, maxVirtual)).toBe(s);
    }
  });

  it('shows row 0 at the top and the last row whole at the bottom', () => {
    expect(rowsAtScroll(1000, 0)).toMatchObject({ virtualTop: 0, first: 0, end: 25 });
    const bottom = rowsAtScroll(1000, geometry(1000).maxScrollTop);
    expect(bottom.end).toBe(1000);
    expect(bottom.first).toBe(975);
    // The last row's bottom edge is exactly the viewport's bottom edge.
    expect(1000 * ROW - bottom.virtualTop).toBe(VIEW);
  });

  it('does not scroll a table shorter than the viewport', () => {
    const { maxScrollTop, maxVirtual } = geometry(10);
    expect(maxScrollTop).toBe(0);
    expect(maxVirtual).toBe(0);
    expect(virtualFromScroll(0, maxScrollTop, maxVirtual)).toBe(0);
    expect(visibleRows(0, VIEW, ROW, 10)).toEqual({ first: 0, end: 10 });
  });

  it('handles an empty table', () => {
    expect(spacerHeight(0, ROW)).toBe(0);
    expect(visibleRows(0, VIEW, ROW, 0)).toEqual({ first: 0, end: 0 });
    expect(virtualTopForRow(0, 'nearest', 0, ROW, VIEW, 0)).toBe(0);
  });
});

describe.each([5_000_000, 50_000_000])('scroll mapping, %i rows (scaled)', (rowCount) => {
  const { maxScrollTop, maxVirtual } = geometry(rowCount);

  it('caps the spacer far below the browser limit and scales', () => {
    expect(spacerHeight(rowCount, ROW)).toBe(MAX_SPACER_HEIGHT);
    expect(MAX_SPACER_HEIGHT).toBeLessThan(17_000_000); // Firefox's cap is the lowest (~17.9M px)
    expect(isScaled(maxScrollTop, maxVirtual)).toBe(true);
  });

  it('scrollTop 0 shows row 0', () => {
    expect(rowsAtScroll(rowCount, 0)).toMatchObject({ virtualTop: 0, first: 0 });
  });

  it('scrollTop at max shows the last row fully', () => {
    const bottom = rowsAtScroll(rowCount, maxScrollTop);
    expect(bottom.virtualTop).toBe(maxVirtual);
    expect(bottom.end).toBe(rowCount);
    expect(rowCount * ROW - bottom.virtualTop).toBe(VIEW);
    expect(bottom.first).toBe(rowCount - VIEW / ROW);
  });

  it('a fractional scrollTop half a pixel short of max is still the end (zoomed browsers)', () => {
    expect(virtualFromScroll(maxScrollTop - 0.4, maxScrollTop, maxVirtual)).toBe(maxVirtual);
    expect(virtualFromScroll(maxScrollTop - 2, maxScrollTop, maxVirtual)).toBeLessThan(maxVirtual);
  });

  it('the thumb at 50% shows the rows around rowCount/2', () => {
    const middle = rowsAtScroll(rowCount, maxScrollTop / 2);
    const centre = (middle.first + middle.end) / 2;
    expect(Math.abs(centre - rowCount / 2)).toBeLessThanOrEqual(1);
  });

  it('Ctrl+End lands on the last row, with the thumb at the bottom', () => {
    const target = moveTarget({ key: 'End', ctrl: true, shift: false }, { row: 12, col: 3 }, { rows: rowCount, cols: 5, page: 24 });
    expect(target).toEqual({ row: rowCount - 1, col: 3 });
    const virtualTop = virtualTopForRow(target!.row, 'nearest', 0, ROW, VIEW, rowCount);
    expect(virtualTop).toBe(maxVirtual);
    expect(scrollFromVirtual(virtualTop, maxScrollTop, maxVirtual)).toBe(maxScrollTop);
    expect(visibleRows(virtualTop, VIEW, ROW, rowCount).end).toBe(rowCount);
  });

  it('Ctrl+Home goes back to row 0 and scrollTop 0', () => {
    const virtualTop = virtualTopForRow(0, 'nearest', maxVirtual, ROW, VIEW, rowCount);
    expect(virtualTop).toBe(0);
    expect(scrollFromVirtual(virtualTop, maxScrollTop, maxVirtual)).toBe(0);
  });

  it('a wheel step moves the view by one row, while the thumb moves by the scaled amount', () => {
    // The grid adds wheel deltas to the virtual offset itself when scaled (see scrollMapping.ts).
    const from = virtualTopForRow(rowCount / 2, 'start', 0, ROW, VIEW, rowCount);
    const to = from + wheelPixels(1, 1, ROW, VIEW); // one line
    expect(visibleRows(to, VIEW, ROW, rowCount).first - visibleRows(from, VIEW, ROW, rowCount).first).toBe(1);
    const thumb = scrollFromVirtual(to, maxScrollTop, maxVirtual) - scrollFromVirtual(from, maxScrollTop, maxVirtual);
    expect(thumb).toBeCloseTo((ROW * maxScrollTop) / maxVirtual, 6);
    expect(thumb).toBeLessThan(ROW / 10);
  });

  it('maps monotonically and round-trips within one virtual step per scroll pixel', () => {
    const ratio = maxVirtual / maxScrollTop;
    fc.assert(
      fc.property(fc.double({ min: 0, max: maxScrollTop, noNaN: true }), fc.double({ min: 0, max: maxScrollTop, noNaN: true }), (a, b) => {
        const va = virtualFromScroll(a, maxScrollTop, maxVirtual);
        const vb = virtualFromScroll(b, maxScrollTop, maxVirtual);
        expect(va).toBeGreaterThanOrEqual(0);
        expect(va).toBeLessThanOrEqual(maxVirtual);
        if (a <= b) expect(va).toBeLessThanOrEqual(vb);
        expect(Math.abs(scrollFromVirtual(va, maxScrollTop, maxVirtual) - a)).toBeLessThanOrEqual(0.5 + 1e-6);
        const { first, end } = visibleRows(va, VIEW, ROW, rowCount);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(rowCount);
        expect(va).toBeLessThanOrEqual(Math.min(maxVirtual, ratio * a + 1e-3 * ratio) + 1e-6);
      }),
    );
  });
});

describe('row slots (what a frame renders)', () => {
  /** Where a slot's row lands on screen, relative to the body's top edge. */
  const screenTop = (slots: { rowStart: number; offset: number }, row: number) => (row - slots.rowStart) * ROW + slots.offset;

  it('renders the rows in view and the overscan either side, clamped at both ends', () => {
    expect(rowSlots(0, VIEW, ROW, 1000, 1)).toEqual({ rowStart: 0, rowEnd: 27, offset: 0 });
    expect(rowSlots(100 * ROW + 5, VIEW, ROW, 1000, 1)).toEqual({ rowStart: 99, rowEnd: 127, offset: -ROW - 5 });
    const end = rowSlots(maxVirtualTop(1000, ROW, VIEW), VIEW, ROW, 1000, 1);
    expect(end).toEqual({ rowStart: 974, rowEnd: 1000, offset: -ROW });
    expect(rowSlots(0, VIEW, ROW, 3, 1)).toEqual({ rowStart: 0, rowEnd: 3, offset: 0 });
    expect(rowSlots(0, VIEW, ROW, 0, 1)).toEqual({ rowStart: 0, rowEnd: 0, offset: 0 });
  });

  it('draws every row at its place in the table, also 50 million rows down', () => {
    for (const virtualTop of [0, 37.5, 123_456 * ROW + 0.25, maxVirtualTop(50_000_000, ROW, VIEW) - 0.5]) {
      const slots = rowSlots(virtualTop, VIEW, ROW, 50_000_000, 1);
      for (let row = slots.rowStart; row < slots.rowEnd; row++) {
        expect(screenTop(slots, row)).toBeCloseTo(row * ROW - virtualTop, 6);
      }
      // Overscan: at most one row above the body, two below it (the second when the rows are not cut).
      expect(screenTop(slots, slots.rowStart)).toBeGreaterThan(-2 * ROW);
      expect(screenTop(slots, slots.rowEnd - 1)).toBeLessThan(VIEW + 2 * ROW);
    }
  });

  it('keeps the number of slots while scrolling at any pace, so no row element is created or dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 * ROW - VIEW }), fc.integer({ min: 1, max: 2400 }), (top, step) => {
        const a = rowSlots(top, VIEW, ROW, 200_000, 1);
        const b = rowSlots(Math.min(top + step, 200_000 * ROW - VIEW), VIEW, ROW, 200_000, 1);
        const inner = (s: typeof a) => s.rowStart > 0 && s.rowEnd < 200_000;
        if (inner(a) && inner(b)) expect(b.rowEnd - b.rowStart).toBe(VIEW / ROW + 3);
        // And the rows in view are always among them.
        const view = visibleRows(b.rowStart * ROW - b.offset, VIEW, ROW, 200_000);
        expect(b.rowStart).toBeLessThanOrEqual(view.first);
        expect(b.rowEnd).toBeGreaterThanOrEqual(view.end);
      }),
    );
  });
});

describe('row alignment', () => {
  it('nearest leaves a visible row alone and brings others to the closer edge', () => {
    expect(virtualTopForRow(10, 'nearest', 0, ROW, VIEW, 1000)).toBe(0);
    expect(virtualTopForRow(30, 'nearest', 0, ROW, VIEW, 1000)).toBe(31 * ROW - VIEW);
    expect(virtualTopForRow(5, 'nearest', 240, ROW, VIEW, 1000)).toBe(5 * ROW);
  });

  it('start, center and end clamp to the scrollable range', () => {
    expect(virtualTopForRow(999, 'start', 0, ROW, VIEW, 1000)).toBe(maxVirtualTop(1000, ROW, VIEW));
    expect(virtualTopForRow(0, 'end', 0, ROW, VIEW, 1000)).toBe(0);
    expect(virtualTopForRow(500, 'center', 0, ROW, VIEW, 1000)).toBe(500 * ROW - (VIEW - ROW) / 2);
  });

  it('pages by the whole rows on screen less one', () => {
    expect(pageRows(VIEW, ROW)).toBe(24);
    expect(pageRows(10, ROW)).toBe(1);
  });

  it('converts wheel line and page deltas to pixels', () => {
    expect(wheelPixels(100, 0, ROW, VIEW)).toBe(100);
    expect(wheelPixels(3, 1, ROW, VIEW)).toBe(72);
    expect(wheelPixels(-1, 2, ROW, VIEW)).toBe(-VIEW);
  });
});
