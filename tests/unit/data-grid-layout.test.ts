import { describe, expect, it } from 'vitest';
import { cellDisplay, formatByteSize, MAX_CELL_CHARS, surelyFits } from '../../renderer/src/components/data-grid/cellDisplay.ts';
import {
  buildLayout,
  columnAt,
  defaultColumnWidth,
  dropTarget,
  moveColumn,
  scrollLeftForColumn,
  visibleColumns,
} from '../../renderer/src/components/data-grid/columnLayout.ts';
import { moveSelection, moveTarget, rangeOf, selectAll } from '../../renderer/src/components/data-grid/gridNavigation.ts';
import { nextSort } from '../../renderer/src/components/data-grid/sortState.ts';

describe('cell display', () => {
  it('tells NULL, empty and the text NULL apart', () => {
    expect(cellDisplay(null)).toEqual({ kind: 'null', text: 'NULL', cut: false });
    expect(cellDisplay('')).toEqual({ kind: 'empty', text: '', cut: false });
    expect(cellDisplay('NULL')).toEqual({ kind: 'text', text: 'NULL', cut: false });
  });

  it('shows bytes as \\x hex with the size, cut when long', () => {
    expect(cellDisplay({ kind: 'bytes', hex: 'deadbeef', length: 4 }).text).toBe('\\xDEADBEEF (4 B)');
    const big = cellDisplay({ kind: 'bytes', hex: 'ab'.repeat(2048), length: 2048 });
    expect(big.text).toBe(`\\x${'AB'.repeat(32)}… (2.0 KB)`);
    expect(big.cut).toBe(true);
    // The core may send only the start of a large value: still marked as cut.
    expect(cellDisplay({ kind: 'bytes', hex: '00', length: 5_000_000 }).text).toBe('\\x00… (4.8 MB)');
  });

  it('never puts more than a couple of hundred characters of a 1 MB value into a cell', () => {
    const shown = cellDisplay('x'.repeat(1_000_000));
    expect(shown.text.length).toBe(MAX_CELL_CHARS + 1);
    expect(shown.cut).toBe(true);
  });

  it('does not split an emoji at the cut', () => {
    const shown = cellDisplay(`${'a'.repeat(MAX_CELL_CHARS - 1)}😀😀`);
    expect(shown.text).toBe(`${'a'.repeat(MAX_CELL_CHARS - 1)}…`);
  });

  it('keeps markup as text and marks line breaks', () => {
    expect(cellDisplay('<img src=x onerror=alert(1)>').text).toBe('<img src=x onerror=alert(1)>');
    expect(cellDisplay('a\r\nb\nc').text).toBe('a↵b↵c');
  });

  it('formats sizes', () => {
    expect(formatByteSize(0)).toBe('0 B');
    expect(formatByteSize(1536)).toBe('1.5 KB');
    expect(formatByteSize(300 * 1024 * 1024)).toBe('300 MB');
  });
});

describe('which cells need no clipping', () => {
  it('lets short values go unclipped in the default widths of their columns', () => {
    const integer = defaultColumnWidth({ name: 'c3', type: 'integer' });
    expect(surelyFits('1000002', integer)).toBe(true);
    expect(surelyFits('-12345.67', defaultColumnWidth({ name: 'c2', type: 'numeric(12,2)' }))).toBe(true);
    expect(surelyFits('2024-01-31', defaultColumnWidth({ name: 'created_at', type: 'date' }))).toBe(true);
    expect(surelyFits('w49-200000', defaultColumnWidth({ name: 'c49', type: 'text' }))).toBe(true);
    expect(surelyFits(cellDisplay(null).text, integer)).toBe(true);
    expect(surelyFits('', 40)).toBe(true);
  });

  it('clips whatever might not fit: wide letters counted at their widest, anything beyond ASCII', () => {
    // Ten capital Ws are about 125 px in a 12.5 px font: 140 px is not surely enough, 170 px is.
    expect(surelyFits('W'.repeat(10), 140)).toBe(false);
    expect(surelyFits('W'.repeat(10), 170)).toBe(true);
    expect(surelyFits('1'.repeat(30), 160)).toBe(false);
    expect(surelyFits('Zoë', 300)).toBe(false);
    expect(surelyFits('ok 👍', 300)).toBe(false);
    expect(surelyFits('tab\there', 300)).toBe(false);
    expect(surelyFits(cellDisplay('x'.repeat(MAX_CELL_CHARS + 1)).text, 2000)).toBe(false);
  });
});

describe('column layout', () => {
  const layout = buildLayout([2, 0, 1], [100, 50, 200]);

  it('places columns in display order', () => {
    expect(layout.widths).toEqual([200, 100, 50]);
    expect(layout.offsets).toEqual([0, 200, 300, 350]);
    expect(layout.total).toBe(350);
    expect(columnAt(layout, 0)).toBe(0);
    expect(columnAt(layout, 199)).toBe(0);
    expect(columnAt(layout, 200)).toBe(1);
    expect(columnAt(layout, 10_000)).toBe(2);
  });

  it('renders only the columns in view among 1,000', () => {
    const wide = buildLayout(
      Array.from({ length: 1000 }, (_, i) => i),
      Array.from({ length: 1000 }, () => 120),
    );
    expect(visibleColumns(wide, 0, 1200, 0)).toEqual({ start: 0, end: 10 });
    expect(visibleColumns(wide, 60_000, 1200, 1)).toEqual({ start: 499, end: 511 });
    expect(visibleColumns(wide, wide.total - 1200, 1200, 2)).toEqual({ start: 988, end: 1000 });
  });

  it('moves a dragged column to the gap it is dropped on', () => {
    expect(moveColumn([0, 1, 2, 3], 0, 2)).toEqual([1, 2, 0, 3]);
    expect(moveColumn([0, 1, 2, 3], 3, 0)).toEqual([3, 0, 1, 2]);
    const four = buildLayout([0, 1, 2, 3], [100, 100, 100, 100]);
    expect(dropTarget(four, 0, 260)).toEqual({ gap: 3, to: 2 }); // right half of the third column
    expect(dropTarget(four, 3, 20)).toEqual({ gap: 0, to: 0 });
  });

  it('scrolls horizontally just enough to show a column', () => {
    const four = buildLayout([0, 1, 2, 3], [100, 100, 100, 100]);
    expect(scrollLeftForColumn(four, 3, 0, 250)).toBe(150);
    expect(scrollLeftForColumn(four, 0, 150, 250)).toBe(0);
    expect(scrollLeftForColumn(four, 1, 50, 250)).toBe(50);
  });

  it('gives every column a sensible first width', () => {
    expect(defaultColumnWidth({ name: 'id', type: 'int8' })).toBe(90);
    expect(defaultColumnWidth({ name: 'd', type: 'date' })).toBe(170);
    expect(defaultColumnWidth({ name: 'created_at', type: 'timestamptz' })).toBe(178);
    expect(defaultColumnWidth({ name: 'ok', type: 'bool' })).toBe(78);
    expect(defaultColumnWidth({ name: 'x'.repeat(200), type: 'text' })).toBe(320);
  });
});

describe('sorting from the header', () => {
  it('cycles asc, desc, none', () => {
    expect(nextSort([], 2, false)).toEqual([{ column: 2, direction: 'asc' }]);
    expect(nextSort([{ column: 2, direction: 'asc' }], 2, false)).toEqual([{ column: 2, direction: 'desc' }]);
    expect(nextSort([{ column: 2, direction: 'desc' }], 2, false)).toEqual([]);
  });

  it('a plain click on another column sorts by it alone; Shift+click adds or cycles in place', () => {
    const two = [
      { column: 1, direction: 'asc' as const },
      { column: 4, direction: 'desc' as const },
    ];
    expect(nextSort(two, 3, false)).toEqual([{ column: 3, direction: 'asc' }]);
    expect(nextSort(two, 3, true)).toEqual([...two, { column: 3, direction: 'asc' }]);
    expect(nextSort(two, 1, true)).toEqual([{ column: 1, direction: 'desc' }, two[1]]);
    expect(nextSort(two, 4, true)).toEqual([two[0]]);
  });
});

describe('keyboard navigation', () => {
  const dims = { rows: 1000, cols: 10, page: 20 };
  const at = { row: 500, col: 5 };
  const key = (k: string, ctrl = false) => moveTarget({ key: k, ctrl, shift: false }, at, dims);

  it('moves by cell, page, row edge and table edge, clamped', () => {
    expect(key('ArrowDown')).toEqual({ row: 501, col: 5 });
    expect(key('ArrowLeft')).toEqual({ row: 500, col: 4 });
    expect(key('PageUp')).toEqual({ row: 480, col: 5 });
    expect(key('Home')).toEqual({ row: 500, col: 0 });
    expect(key('End')).toEqual({ row: 500, col: 9 });
    expect(key('Home', true)).toEqual({ row: 0, col: 5 });
    expect(key('End', true)).toEqual({ row: 999, col: 5 });
    expect(key('ArrowRight', true)).toEqual({ row: 500, col: 9 });
    expect(moveTarget({ key: 'PageDown', ctrl: false, shift: false }, { row: 995, col: 0 }, dims)).toEqual({ row: 999, col: 0 });
    expect(moveTarget({ key: 'ArrowUp', ctrl: false, shift: false }, { row: 0, col: 0 }, dims)).toEqual({ row: 0, col: 0 });
    expect(key('x')).toBeNull();
  });

  it('Shift extends the range from the anchor', () => {
    const start = moveSelection(null, { row: 2, col: 1 }, false);
    const extended = moveSelection(moveSelection(start, { row: 5, col: 1 }, true), { row: 5, col: 3 }, true);
    expect(rangeOf(extended)).toEqual({ top: 2, bottom: 5, left: 1, right: 3 });
    expect(rangeOf(moveSelection(extended, { row: 7, col: 0 }, false))).toEqual({ top: 7, bottom: 7, left: 0, right: 0 });
  });

  it('select all covers every cell', () => {
    expect(rangeOf(selectAll(dims)!)).toEqual({ top: 0, bottom: 999, left: 0, right: 9 });
    expect(selectAll({ rows: 0, cols: 3, page: 1 })).toBeNull();
  });
});
