/**
 * The row source's bookkeeping of positions, run against a model table: whatever the order of requests
 * (scrolling down, up, jumps, the end) and however wrong the estimate, every window holds the right rows,
 * at the right index when it says its index is exact, and at the right distance from the end otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/values.ts';
import { PositionBook, type PlacedWindow, type ReadPlan, type RowIdentity } from '../../electron/core/browse/positions.ts';

type Row = CellValue[];

const table = (n: number): Row[] => Array.from({ length: n }, (_, i) => [String(i), `row ${i}`]);
const identity: RowIdentity = (row) => ({ values: [row[0]!], id: JSON.stringify([row[0]]) });

/** What the server would answer for a plan over `rows` (already in order). */
function execute(rows: Row[], plan: ReadPlan): Row[] {
  const take = plan.limit + 1;
  if (!plan.anchor) {
    const source = plan.direction === 'forward' ? rows : [...rows].reverse();
    return source.slice(plan.offset, plan.offset + take);
  }
  const at = rows.findIndex((r) => r[0] === plan.anchor!.values[0]);
  const source = plan.direction === 'forward' ? rows.slice(at + 1) : rows.slice(0, at).reverse();
  return source.slice(plan.offset, plan.offset + take);
}

/**
 * The row source's loop: plan, (seek when the plan skips `seekFrom` rows or more), read, place; on an
 * overshoot, count and try again.
 */
function readWindow(book: PositionBook, rows: Row[], start: number, count: number, log?: ReadPlan[], seekFrom = Infinity, guess?: (start: number) => number): PlacedWindow {
  for (let attempt = 0; ; attempt++) {
    let plan = book.plan(start, count);
    if (!plan) return { rows: [], start, startExact: true, atEnd: true, placement: book.placement };
    // An approximate jump: `guess` says which row an interpolation takes for the one at `start`; the row
    // before it is pinned, just before the window.
    const guessed = guess && plan.offset >= seekFrom ? rows[Math.min(rows.length - 1, Math.max(0, guess(start) - 1))]! : null;
    if (guessed && book.pin(start - 1, count, [guessed[0]!], JSON.stringify([guessed[0]]))) {
      plan = book.plan(start, count)!;
      expect(plan).toMatchObject({ space: 'jump', offset: 0 });
    } else if (plan.offset >= seekFrom) {
      // The row just before the window in the read direction: what a seek statement returns.
      const [found] = execute(rows, { ...plan, offset: plan.offset - 1, limit: 0 });
      if (found) {
        book.seeded(plan, [found[0]!], JSON.stringify([found[0]]));
        plan = book.plan(start, count)!;
        expect(plan.offset).toBe(0);
      }
    }
    log?.push(plan);
    const placed = book.place(plan, execute(rows, plan), identity);
    if (placed.kind === 'placed') return placed.window;
    if (placed.kind === 'misplaced') continue;
    if (attempt > 0) throw new Error('overshot twice');
    book.setExact(rows.length);
  }
}

function expectRightRows(rows: Row[], book: PositionBook, window: PlacedWindow) {
  const n = window.rows.length;
  if (n === 0) return;
  if (window.startExact) {
    expect(window.rows).toEqual(rows.slice(window.start, window.start + n));
  } else {
    // Placed from the end: the rows are the right ones counted from the last row.
    const shownTotal = book.total.rows!;
    const distance = shownTotal - (window.start + n);
    expect(window.rows).toEqual(rows.slice(rows.length - distance - n, rows.length - distance));
  }
  if (window.atEnd) expect(window.rows[n - 1]).toEqual(rows[rows.length - 1]);
}

const request = fc.oneof(
  fc.record({ kind: fc.constant('next' as const), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('previous' as const), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('jump' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('end' as const), count: fc.integer({ min: 1, max: 40 }) }),
);

describe('row positions', () => {
  it('give the right rows for any sequence of reads, with estimates too high, too low, unknown or exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.oneof(fc.constant(null), fc.double({ min: 0.3, max: 3, noNaN: true }), fc.constant(1)),
        fc.boolean(),
        fc.array(request, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(Infinity, 1, 5, 30),
        (n, factor, exact, requests, seekFrom) => {
          const rows = table(n);
          const estimate = factor === null ? null : Math.round(n * factor);
          const book = new PositionBook({ rows: estimate, exact: exact && factor === 1 }, { anchors: true, reversible: true, maxAnchors: 16 });
          let at = 0;
          for (const r of requests) {
            const total = book.total.rows ?? 0;
            let start: number;
            if (r.kind === 'next') start = at;
            else if (r.kind === 'previous') start = Math.max(0, at - r.count);
            else if (r.kind === 'jump') start = Math.floor(r.at * total);
            else start = Math.max(0, total - r.count);
            const window = readWindow(book, rows, start, r.count, undefined, seekFrom);
            expectRightRows(rows, book, window);
            expect(book.anchorCount).toBeLessThanOrEqual(16);
            at = window.start + window.rows.length;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the next window from the last row read, skipping nothing (keyset), and the previous one backwards', () => {
    const rows = table(1000);
    const book = new PositionBook({ rows: 1000, exact: false }, { anchors: true, reversible: true });
    const plans: ReadPlan[] = [];
    readWindow(book, rows, 0, 100, plans);
    readWindow(book, rows, 100, 100, plans);
    readWindow(book, rows, 200, 100, plans);
    expect(plans.map((p) => [p.direction, p.anchor?.values[0] ?? null, p.offset])).toEqual([
      ['forward', null, 0],
      ['forward', '99', 0],
      ['forward', '199', 0],
    ]);
    plans.length = 0;
    expect(readWindow(book, rows, 100, 100, plans).rows).toEqual(rows.slice(100, 200));
    expect(plans.map((p) => [p.direction, p.anchor?.values[0] ?? null, p.offset])).toEqual([['forward', '99', 0]]);
    plans.length = 0;
    readWindow(book, rows, 500, 100, plans);
    expect(readWindow(book, rows, 400, 100, plans).rows).toEqual(rows.slice(400, 500));
    expect(plans.map((p) => [p.direction, p.anchor?.values[0] ?? null, p.offset])).toEqual([
      ['forward', '299', 200],
      ['backward', '500', 0],
    ]);
  });

  it('reads the end from the last row without an OFFSET, and learns the exact total when scrolling meets it', () => {
    const rows = table(1234);
    const book = new PositionBook({ rows: 1000, exact: false }, { anchors: true, reversible: true });
    const plans: ReadPlan[] = [];
    const end = readWindow(book, rows, 900, 100, plans);
    expect(plans[0]).toMatchObject({ direction: 'backward', anchor: null, offset: 0 });
    expect(end).toMatchObject({ start: 900, startExact: false, atEnd: true });
    expect(end.rows).toEqual(rows.slice(1134));
    // Scrolling up from there continues from the end's rows.
    const above = readWindow(book, rows, 800, 100);
    expect(above.rows).toEqual(rows.slice(1034, 1134));
    // Reading down from the top until the two meet: the total becomes exact, and positions with it.
    let start = 0;
    while (!book.total.exact) {
      const window = readWindow(book, rows, start, 200);
      start = window.start + window.rows.length;
    }
    expect(book.total).toEqual({ rows: 1234, exact: true });
    expect(readWindow(book, rows, 1134, 100)).toMatchObject({ start: 1134, startExact: true, rows: rows.slice(1134) });
  });

  it('grows an estimate that was too small while scrolling down, instead of jumping to the end', () => {
    const rows = table(500);
    const book = new PositionBook({ rows: 100, exact: false }, { anchors: true, reversible: true });
    for (let start = 0; start < 500; start += 50) {
      const window = readWindow(book, rows, start, 50);
      expect(window).toMatchObject({ start, startExact: true });
      expect(window.rows).toEqual(rows.slice(start, start + 50));
    }
    expect(book.total).toEqual({ rows: 500, exact: true });
  });

  it('counts when a jump overshoots an estimate that was too high, then reads the real end', () => {
    const rows = table(300);
    const book = new PositionBook({ rows: 5000, exact: false }, { anchors: false, reversible: false });
    const window = readWindow(book, rows, 2500, 100);
    expect(window).toMatchObject({ rows: [], atEnd: true });
    expect(book.total).toEqual({ rows: 300, exact: true });
    expect(readWindow(book, rows, 250, 100).rows).toEqual(rows.slice(250));
  });

  it('pages by OFFSET from the start only, for a table without a key', () => {
    const rows = table(100);
    const book = new PositionBook({ rows: 100, exact: false }, { anchors: false, reversible: false });
    const plans: ReadPlan[] = [];
    readWindow(book, rows, 0, 10, plans);
    readWindow(book, rows, 10, 10, plans);
    readWindow(book, rows, 95, 10, plans);
    expect(plans.map((p) => [p.direction, p.anchor, p.offset])).toEqual([
      ['forward', null, 0],
      ['forward', null, 10],
      ['forward', null, 95],
    ]);
  });

  it('does not keep an anchor whose sort values are huge', () => {
    const rows = [['x'.repeat(100_000)], ['y'.repeat(100_000)]];
    const book = new PositionBook({ rows: 2, exact: true }, { anchors: true, reversible: true });
    const big: RowIdentity = (row) => ({ values: [row[0]!], id: String(row[0]).slice(0, 1) });
    book.place({ direction: 'forward', anchor: null, offset: 0, limit: 2, space: 'head' }, rows, big);
    expect(book.anchorCount).toBe(0);
  });
});

/** Where a run of rows is in the model table (rows are numbered by their first cell), checking it is one run. */
function runAt(rows: Row[], window: PlacedWindow): number {
  const first = Number(window.rows[0]![0]);
  expect(window.rows).toEqual(rows.slice(first, first + window.rows.length));
  return first;
}

describe('row positions after an approximate jump', () => {
  it('show every row once when scrolling up and down from a jump, however far off the guess, and exact rows at their index', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 400 }),
        fc.oneof(fc.constant(1), fc.double({ min: 0.5, max: 2, noNaN: true })),
        fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), error: fc.integer({ min: -60, max: 60 }) }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ down: fc.boolean(), count: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 30 }),
        (n, factor, jumps, moves) => {
          const rows = table(n);
          const book = new PositionBook({ rows: Math.round(n * factor), exact: factor === 1 }, { anchors: true, reversible: true, maxAnchors: 16 });
          // Reads from the end while the total is a guess are placed by their distance from the end (checked
          // above); the rows around a jump are what is checked here. When the island meets the first or last row
          // it is placed exactly, and the windows read before are off by the guess's error: they say so by an
          // older `placement`.
          let fromEnd = false;
          const read = (start: number, count: number, guess: (start: number) => number) => {
            const log: ReadPlan[] = [];
            const window = readWindow(book, rows, start, count, log, 10, guess);
            fromEnd = log.some((p) => p.space === 'tail');
            return window;
          };
          for (const jump of jumps) {
            const guess = (start: number) => start + jump.error;
            const first = read(Math.floor(jump.at * book.total.rows!), 20, guess);
            if (first.rows.length === 0) continue;
            type Seen = { window: PlacedWindow; fromEnd: boolean };
            let top: Seen = { window: first, fromEnd };
            let bottom = top;
            for (const move of moves) {
              let window: PlacedWindow;
              if (move.down) {
                if (bottom.window.atEnd) continue;
                window = read(bottom.window.start + bottom.window.rows.length, move.count, guess);
              } else {
                if (top.window.start === 0) continue;
                const from = Math.max(0, top.window.start - move.count);
                window = read(from, top.window.start - from, guess);
              }
              if (window.rows.length === 0) continue;
              const seen: Seen = { window, fromEnd };
              const joins = (other: Seen) => other.window.placement === window.placement && !other.fromEnd && !fromEnd;
              if (move.down) {
                // The next rows down follow the last rows shown: nothing skipped, nothing twice.
                if (joins(bottom)) expect(runAt(rows, window)).toBe(runAt(rows, bottom.window) + bottom.window.rows.length);
                bottom = seen;
              } else {
                if (joins(top) && window.start + window.rows.length === top.window.start) {
                  expect(runAt(rows, window) + window.rows.length).toBe(runAt(rows, top.window));
                }
                top = seen;
              }
              runAt(rows, window);
              if (window.startExact) expect(window.rows).toEqual(rows.slice(window.start, window.start + window.rows.length));
            }
          }
          expect(book.anchorCount).toBeLessThanOrEqual(16);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('places the rows near the jump relative to the guessed row, and knows their index once scrolling meets the first row', () => {
    const rows = table(1000);
    const book = new PositionBook({ rows: 1000, exact: false }, { anchors: true, reversible: true });
    // The guess is 30 rows early: the window at 500 shows rows 470…
    const jump = readWindow(book, rows, 500, 100, undefined, 50, (start) => start - 30);
    expect(jump).toMatchObject({ start: 500, startExact: false });
    expect(jump.rows).toEqual(rows.slice(470, 570));
    for (let start = 400; start >= 100; start -= 100) {
      const above = readWindow(book, rows, start, 100, undefined, 50, () => 0);
      expect(above).toMatchObject({ start, startExact: false, rows: rows.slice(start - 30, start + 70) });
    }
    // The island's rows run out 30 rows early: it meets the first row, and its rows take their real index.
    expect(readWindow(book, rows, 20, 80)).toMatchObject({ start: 0, startExact: true, rows: rows.slice(0, 70) });
    expect(readWindow(book, rows, 570, 100)).toMatchObject({ start: 570, startExact: true, rows: rows.slice(570, 670) });
  });

  it('places the island where an exact read shares a row with it', () => {
    const rows = table(1000);
    const book = new PositionBook({ rows: 1000, exact: false }, { anchors: true, reversible: true });
    expect(readWindow(book, rows, 300, 100, undefined, 50, (start) => start + 40).rows).toEqual(rows.slice(340, 440));
    // Read exactly from the start, the rows reach 340: the island is placed, and reads from it are exact.
    let start = 0;
    while (start < 400) start = readWindow(book, rows, start, 100, undefined, 1_000_000).start + 100;
    expect(readWindow(book, rows, 440, 100)).toMatchObject({ start: 440, startExact: true, rows: rows.slice(440, 540) });
  });

  it('places a new jump afresh, dropping the previous island, and keeps exact reads exact', () => {
    const rows = table(1000);
    const book = new PositionBook({ rows: 1000, exact: true }, { anchors: true, reversible: true });
    readWindow(book, rows, 0, 50);
    readWindow(book, rows, 300, 50, undefined, 100, (start) => start - 10);
    const second = readWindow(book, rows, 700, 50, undefined, 100, (start) => start + 5);
    expect(second.rows).toEqual(rows.slice(705, 755));
    expect(readWindow(book, rows, 50, 50)).toMatchObject({ start: 50, startExact: true, rows: rows.slice(50, 100) });
    // The end read exactly: the island reaching it lands there.
    expect(readWindow(book, rows, 950, 50)).toMatchObject({ start: 950, startExact: true, rows: rows.slice(950) });
  });
});
