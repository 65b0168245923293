/**
 * The table-browsing bench's probe inside the page, on the shared clock (`../page-clock.ts`): spans start at
 * the real, Playwright-driven dblclick / keydown / pointerup, or the moment the probe itself moves the
 * scrollbar. It reads the grid named `Rows of <table>` and its cells by `aria-colindex`.
 */
import type { Page } from 'playwright-core';
import { PAGE_CLOCK } from '../page-clock.ts';

const PAGE_PROBE = String.raw`(() => {
  if (window.__cabinetBench) return;
  ${PAGE_CLOCK}
  const cellText = (row, colindex) => {
    if (!row || !colindex) return null;
    const cell = row.querySelector('[role="gridcell"][aria-colindex="' + colindex + '"]');
    return cell ? cell.textContent : null;
  };

  // Each returns null until the awaited rows are in the DOM, then what the report shows about them.
  const conditions = {
    firstRow(c) {
      const grid = gridNamed(c.grid);
      const row = grid && rowAt(grid, 2);
      return painted(row) ? { row: 1, text: cellText(row, c.colindex), rowCount: rowCount(grid) } : null;
    },
    lastRow(c) {
      const grid = gridNamed(c.grid);
      if (!grid) return null;
      const index = Number(grid.getAttribute('aria-rowcount'));
      const row = rowAt(grid, index);
      return index > 2 && painted(row) ? { row: index - 1, text: cellText(row, c.colindex), rowCount: rowCount(grid) } : null;
    },
    visibleRows(c) {
      const grid = gridNamed(c.grid);
      if (!grid) return null;
      const rows = rowsInView(grid);
      if (rows.length === 0 || !rows.every(painted)) return null;
      const first = Math.min(...rows.map((r) => Number(r.getAttribute('aria-rowindex'))));
      if (first - 1 < c.minRow) return null;
      return { row: first - 1, text: cellText(rowAt(grid, first), c.colindex), rows: rows.length, rowCount: rowCount(grid) };
    },
    cellIs(c) {
      const grid = gridNamed(c.grid);
      const row = grid && rowAt(grid, c.row + 1);
      return painted(row) && cellText(row, c.colindex) === c.text ? { row: c.row, text: c.text, rowCount: rowCount(grid) } : null;
    },
  };

  window.__cabinetBench = {
    /** Starts the clock at the next matching input event; the result comes from result(). */
    armOnEvent(trigger, condition) {
      if (conditions[condition.kind](condition)) throw new Error('already shown before the action: ' + JSON.stringify(condition));
      startOnEvent(trigger, condition);
    },
    result,
    /** Moves the scrollbar thumb to a fraction of its track, as a drag that lands there does. */
    scrollTo(gridName, fraction, condition) {
      const grid = gridNamed(gridName);
      if (!grid) throw new Error('no grid ' + gridName);
      const scroller = scrollerOf(grid);
      if (!scroller) throw new Error('no scroll container in ' + gridName);
      const max = scroller.scrollHeight - scroller.clientHeight;
      const started = now();
      scroller.scrollTop = Math.round(max * fraction);
      return watch(condition, started).then((found) => ({ ...found, scrollTop: scroller.scrollTop, maxScrollTop: max }));
    },
    /** The row count the grid shows, for computing where the middle is. */
    rowCount(gridName) {
      const grid = gridNamed(gridName);
      return grid ? rowCount(grid) : -1;
    },
    /**
     * Scrolls the grid down by pxPerFrame each animation frame, to the end (or for at most maxMs), and returns
     * the time between frames (requestAnimationFrame time stamps) and how many rows were passed.
     */
    steadyScroll(gridName, pxPerFrame, maxMs) {
      const grid = gridNamed(gridName);
      if (!grid) throw new Error('no grid ' + gridName);
      const scroller = scrollerOf(grid);
      const max = scroller.scrollHeight - scroller.clientHeight;
      const deltas = [];
      let last = null;
      let frames = 0;
      let blankFrames = 0;
      let sampled = false;
      const started = now();
      return new Promise((resolve) => {
        const frame = (time) => {
          // A frame in which the probe sampled the rows (below) is not counted: the sample forces a layout.
          if (last !== null && !sampled) deltas.push(time - last);
          last = time;
          frames++;
          // Every 10th frame: were the rows in view still placeholders?
          sampled = frames % 10 === 0;
          if (sampled) {
            const rows = rowsInView(grid);
            if (rows.length === 0 || !rows.some(painted)) blankFrames++;
          }
          if (scroller.scrollTop >= max - 1 || now() - started > maxMs) {
            const firstRows = rowsInView(grid).map((r) => Number(r.getAttribute('aria-rowindex')) - 1);
            resolve({ deltas, ms: now() - started, scrollTop: scroller.scrollTop, maxScrollTop: max, lastRow: Math.max(0, ...firstRows), blankSamples: blankFrames, samples: Math.floor(frames / 10) });
            return;
          }
          scroller.scrollTop = Math.min(max, scroller.scrollTop + pxPerFrame);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
  };
})();`;

export interface Shown {
  /** From the input to the end of the frame that showed the rows. */
  ms: number;
  /** The grid's row (0-based) the condition looked at, and the text of the asked column there. */
  row: number;
  text: string | null;
  rowCount: number;
  rows?: number;
  scrollTop?: number;
  maxScrollTop?: number;
}

export type Condition =
  | { kind: 'firstRow'; grid: string; colindex?: string | null }
  | { kind: 'lastRow'; grid: string; colindex?: string | null }
  | { kind: 'visibleRows'; grid: string; minRow: number; colindex?: string | null }
  | { kind: 'cellIs'; grid: string; row: number; colindex: string; text: string };

export interface ScrollRun {
  deltas: number[];
  ms: number;
  scrollTop: number;
  maxScrollTop: number;
  lastRow: number;
  blankSamples: number;
  samples: number;
}

const call = (name: string, ...args: unknown[]) => `window.__cabinetBench.${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`;

/** The probe in a page: install once after each load. */
export class PageProbe {
  constructor(private readonly page: Page) {}

  async install(): Promise<void> {
    await this.page.evaluate(PAGE_PROBE);
  }

  /** Arms the clock for the next `type` event (of `key`, for keys), does `act`, and returns when the rows are shown. */
  async timeInput(trigger: { type: 'dblclick' | 'keydown' | 'pointerup'; key?: string }, condition: Condition, act: () => Promise<void>): Promise<Shown> {
    await this.page.evaluate(call('armOnEvent', trigger, condition));
    await act();
    return this.page.evaluate<Shown>(call('result'));
  }

  scrollTo(grid: string, fraction: number, condition: Condition): Promise<Shown> {
    return this.page.evaluate<Shown>(call('scrollTo', grid, fraction, condition));
  }

  rowCount(grid: string): Promise<number> {
    return this.page.evaluate<number>(call('rowCount', grid));
  }

  steadyScroll(grid: string, pxPerFrame: number, maxMs: number): Promise<ScrollRun> {
    return this.page.evaluate<ScrollRun>(call('steadyScroll', grid, pxPerFrame, maxMs));
  }
}
