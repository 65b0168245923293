/**
 * The bench's clock inside the page. Times are taken where the user's wait is: from the input event as the
 * page received it (`event.timeStamp` of the real, Playwright-driven dblclick / keydown / pointerup, or the
 * moment the probe itself moves the scrollbar), to the end of the first frame whose DOM shows the awaited
 * rows: `requestAnimationFrame` checks the grid each frame, and once the rows are there a message posted from
 * that frame's callback is received after the frame was rendered; its `performance.now()` is the end.
 *
 * The probe is plain JavaScript in a string: tsx compiles functions with helpers (`__name`) that do not exist
 * in the page, so functions handed to `page.evaluate` are avoided.
 *
 * It reads the grid only through ARIA: `role=grid` named `Rows of <table>`, `role=row` with `aria-rowindex`
 * (the header row is 1), `role=gridcell` with `aria-colindex`, `aria-busy` on rows still loading, and the
 * grid's `aria-rowcount`. The one exception is the scroll container, which has no role (`.dg-scroller`, or
 * else the first scrollable element inside the grid).
 */
import type { Page } from 'playwright-core';

const PAGE_PROBE = String.raw`(() => {
  if (window.__cabinetBench) return;
  const TIMEOUT_MS = 60000;
  const now = () => performance.now();
  const gridNamed = (name) => Array.from(document.querySelectorAll('[role="grid"]')).find((g) => g.getAttribute('aria-label') === name) || null;
  const rowAt = (grid, index) => grid.querySelector('[role="row"][aria-rowindex="' + index + '"]');
  const painted = (row) =>
    !!row && row.getAttribute('aria-busy') !== 'true' && Array.from(row.querySelectorAll('[role="gridcell"]')).some((c) => (c.textContent || '') !== '');
  const cellText = (row, colindex) => {
    if (!row || !colindex) return null;
    const cell = row.querySelector('[role="gridcell"][aria-colindex="' + colindex + '"]');
    return cell ? cell.textContent : null;
  };
  const scrollerOf = (grid) =>
    grid.querySelector('.dg-scroller') || Array.from(grid.querySelectorAll('*')).find((e) => e.scrollHeight > e.clientHeight + 1) || null;
  const bodyOf = (grid) => grid.querySelectorAll('[role="rowgroup"]')[1] || grid;
  const visibleRows = (grid) => {
    const body = bodyOf(grid);
    const a = body.getBoundingClientRect();
    const b = grid.getBoundingClientRect();
    const top = Math.max(a.top, b.top);
    const bottom = Math.min(a.bottom, b.bottom);
    return Array.from(body.querySelectorAll('[role="row"]')).filter((r) => {
      const box = r.getBoundingClientRect();
      return box.bottom > top + 1 && box.top < bottom - 1;
    });
  };
  const rowCount = (grid) => Number(grid.getAttribute('aria-rowcount')) - 1;

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
      const rows = visibleRows(grid);
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

  const state = { pending: null };

  /** Polls the condition from the next frame on; resolves after the frame that shows it was rendered. */
  const watch = (condition, started) =>
    new Promise((resolve, reject) => {
      const check = conditions[condition.kind];
      const frame = () => {
        let found;
        try {
          found = check(condition);
        } catch (error) {
          reject(error);
          return;
        }
        if (found) {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve({ ms: now() - started, ...found });
          channel.port2.postMessage(0);
          return;
        }
        if (now() - started > TIMEOUT_MS) {
          reject(new Error('not shown within ' + TIMEOUT_MS / 1000 + ' s: ' + JSON.stringify(condition)));
          return;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });

  window.__cabinetBench = {
    /** Starts the clock at the next matching input event; the result comes from result(). */
    armOnEvent(trigger, condition) {
      if (conditions[condition.kind](condition)) throw new Error('already shown before the action: ' + JSON.stringify(condition));
      state.pending = new Promise((resolve, reject) => {
        const listener = (event) => {
          if (trigger.key && event.key !== trigger.key) return;
          window.removeEventListener(trigger.type, listener, true);
          const t = now();
          // The input's own time stamp (when the browser took it), unless it is not on this clock.
          const started = event.timeStamp > 0 && event.timeStamp <= t && t - event.timeStamp < 1000 ? event.timeStamp : t;
          watch(condition, started).then(resolve, reject);
        };
        window.addEventListener(trigger.type, listener, true);
      });
      // A rejection is reported through result(); never as an unhandled one.
      state.pending.catch(() => undefined);
    },
    result() {
      const pending = state.pending;
      state.pending = null;
      if (!pending) return Promise.reject(new Error('nothing armed'));
      return Promise.race([
        pending,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the action did not reach the page within ' + TIMEOUT_MS / 1000 + ' s')), TIMEOUT_MS + 5000)),
      ]);
    },
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
            const rows = visibleRows(grid);
            if (rows.length === 0 || !rows.some(painted)) blankFrames++;
          }
          if (scroller.scrollTop >= max - 1 || now() - started > maxMs) {
            const firstRows = visibleRows(grid).map((r) => Number(r.getAttribute('aria-rowindex')) - 1);
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
