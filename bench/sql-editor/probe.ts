/**
 * The SQL-editor bench's probe inside the page, on the shared clock (`../page-clock.ts`): spans start at the
 * real input event (the Ctrl+Enter keydown, the click on Cancel, the End keydown, a typed key).
 *
 * Besides the result grid (`Rows of Result 1`) it reads the toolbar's `role=status` "Running…" and, without a
 * role, Monaco's rendered lines (`.monaco-editor .view-lines`).
 */
import type { Page } from 'playwright-core';
import { PAGE_CLOCK } from '../page-clock.ts';

const PROBE = String.raw`(() => {
  if (window.__sqlBench) return;
  ${PAGE_CLOCK}
  /** The data row's number, from 1 (the header row has aria-rowindex 1). */
  const rowNumber = (row) => Number(row.getAttribute('aria-rowindex')) - 1;
  const running = () => Array.from(document.querySelectorAll('[role="status"]')).some((s) => (s.textContent || '').includes('Running…'));
  const editorText = () =>
    Array.from(document.querySelectorAll('.monaco-editor .view-lines'))
      .map((e) => (e.textContent || '').replace(/\u00a0/g, ' '))
      .join('\n');

  const state = { stale: null };

  // Each returns null until the awaited thing is on screen, then what the report shows about it.
  const conditions = {
    /** The first row of a result grid that was not on the page when the clock was armed. */
    firstRow(c) {
      const grid = gridNamed(c.grid);
      if (!grid || grid === state.stale) return null;
      const row = rowAt(grid, 2);
      if (!painted(row)) return null;
      const cell = row.querySelector('[role="gridcell"]');
      return { text: cell ? cell.textContent : null, rowCount: rowCount(grid) };
    },
    notRunning() {
      return running() ? null : { text: null };
    },
    editorHas(c) {
      return editorText().includes(c.text) ? { text: c.text } : null;
    },
  };

  window.__sqlBench = {
    /** Starts the clock at the next matching input event; the time comes from result(). */
    arm(trigger, condition) {
      state.stale = condition.grid ? gridNamed(condition.grid) : null;
      if (condition.kind !== 'firstRow' && conditions[condition.kind](condition)) {
        throw new Error('already shown before the action: ' + JSON.stringify(condition));
      }
      startOnEvent(trigger, condition);
    },
    result,
    /**
     * Scrolls the grid down at a steady pace (rowsPerSecond, by the clock, whatever the frame rate) until the
     * row at the top of the view is targetRow, or maxMs pass, or the grid cannot scroll further for stallMs
     * (the scroll range stops growing). The row wanted is placed through the grid's own linear mapping of the
     * scrollbar (exact while the grid is unscaled). Every 10th frame notes whether the rows in view were painted.
     */
    steadyScroll(gridName, rowsPerSecond, targetRow, maxMs, stallMs) {
      const grid = gridNamed(gridName);
      if (!grid) throw new Error('no grid ' + gridName);
      const scroller = scrollerOf(grid);
      if (!scroller) throw new Error('no scroll container in ' + gridName);
      const header = grid.querySelector('[role="rowgroup"]');
      const firstRow = rowAt(grid, 2);
      const rowHeight = firstRow ? firstRow.getBoundingClientRect().height || 24 : 24;
      const headerHeight = header ? header.getBoundingClientRect().height : 0;
      const started = now();
      let frames = 0;
      let sampled = 0;
      let blank = 0;
      let reached = 0;
      let lastMove = started;
      let lastTop = -1;
      let maxRowCount = rowCount(grid);
      const deltas = [];
      let last = null;
      return new Promise((resolve) => {
        const frame = (time) => {
          if (last !== null) deltas.push(time - last);
          last = time;
          frames++;
          const n = rowCount(grid);
          maxRowCount = Math.max(maxRowCount, n);
          const view = Math.max(0, scroller.clientHeight - headerHeight);
          const maxScroll = scroller.scrollHeight - scroller.clientHeight;
          const maxVirtual = Math.max(1, n * rowHeight - view);
          const want = Math.min(targetRow, ((now() - started) / 1000) * rowsPerSecond);
          const top = Math.max(0, Math.min(maxScroll, Math.round(((want * rowHeight) / maxVirtual) * maxScroll)));
          if (top !== scroller.scrollTop) scroller.scrollTop = top;
          if (scroller.scrollTop > lastTop + 0.5) {
            lastTop = scroller.scrollTop;
            lastMove = now();
          }
          if (frames % 10 === 0) {
            const rows = rowsInView(grid);
            sampled++;
            if (rows.length === 0 || !rows.every(painted)) blank++;
            for (const r of rows) reached = Math.max(reached, rowNumber(r));
          }
          const topRow = maxScroll > 0 ? (scroller.scrollTop / maxScroll) * maxVirtual / rowHeight : 0;
          const done = topRow >= targetRow - 1;
          const stalled = !done && now() - lastMove > stallMs && want > topRow + 1;
          if (done || stalled || now() - started > maxMs) {
            for (const r of rowsInView(grid)) reached = Math.max(reached, rowNumber(r));
            resolve({
              ms: now() - started,
              frames,
              deltas,
              reached,
              topRow: Math.round(topRow),
              rowCount: rowCount(grid),
              maxRowCount,
              samples: sampled,
              blankSamples: blank,
              ended: done ? 'reached' : stalled ? 'stalled' : 'time',
            });
            return;
          }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
    /** Whether every row in view of the grid is painted (after a scroll, once the reads caught up). */
    rowsInViewPainted(gridName) {
      const grid = gridNamed(gridName);
      if (!grid) return null;
      const rows = rowsInView(grid);
      if (rows.length === 0 || !rows.every(painted)) return null;
      return rows.map(rowNumber);
    },
  };
})();`;

export interface Shown {
  /** From the input's time stamp to the end of the frame that showed it. */
  ms: number;
  text: string | null;
  rowCount?: number;
}

export type Condition = { kind: 'firstRow'; grid: string } | { kind: 'notRunning' } | { kind: 'editorHas'; text: string };

export interface Trigger {
  type: 'keydown' | 'click';
  key?: string;
}

export interface ScrollRun {
  ms: number;
  frames: number;
  deltas: number[];
  /** The highest row number (from 1) seen in view. */
  reached: number;
  topRow: number;
  rowCount: number;
  maxRowCount: number;
  samples: number;
  blankSamples: number;
  ended: 'reached' | 'stalled' | 'time';
}

const call = (name: string, ...args: unknown[]) => `window.__sqlBench.${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`;

export class Probe {
  constructor(private readonly page: Page) {}

  async install(): Promise<void> {
    await this.page.evaluate(PROBE);
  }

  /** Arms the clock for the next `trigger` event, does `act`, and returns when `condition` is on screen. */
  async time(trigger: Trigger, condition: Condition, act: () => Promise<void>): Promise<Shown> {
    await this.page.evaluate(call('arm', trigger, condition));
    await act();
    return this.page.evaluate<Shown>(call('result'));
  }

  steadyScroll(grid: string, rowsPerSecond: number, targetRow: number, maxMs: number, stallMs: number): Promise<ScrollRun> {
    return this.page.evaluate<ScrollRun>(call('steadyScroll', grid, rowsPerSecond, targetRow, maxMs, stallMs));
  }

  rowsInViewPainted(grid: string): Promise<number[] | null> {
    return this.page.evaluate<number[] | null>(call('rowsInViewPainted', grid));
  }
}
