/**
 * The clock both browser benches install in the page, as plain JavaScript to splice into their probes (tsx
 * compiles functions with helpers, `__name`, that do not exist in the page). A measured span starts at the
 * time stamp of the real input event as the page received it and ends after the first frame whose DOM shows
 * what was awaited: `requestAnimationFrame` checks each frame, and a message posted from that frame's callback
 * arrives after the frame was rendered.
 *
 * It reads a grid through ARIA: `role=grid` by its name, rows with `aria-rowindex` (the header row is 1) and
 * `aria-busy` while loading, `role=gridcell`, the grid's `aria-rowcount`. The one exception is the scroll
 * container, which has no role (`.dg-scroller`, or else the first scrollable element inside the grid).
 *
 * The probe that splices it in declares `conditions`: by kind, a check that returns null until the awaited
 * thing is on screen, then what the report shows about it.
 */
export const PAGE_CLOCK = String.raw`
  const TIMEOUT_MS = 60000;
  const now = () => performance.now();
  const gridNamed = (name) => Array.from(document.querySelectorAll('[role="grid"]')).find((g) => g.getAttribute('aria-label') === name) || null;
  const rowAt = (grid, index) => grid.querySelector('[role="row"][aria-rowindex="' + index + '"]');
  const painted = (row) =>
    !!row && row.getAttribute('aria-busy') !== 'true' && Array.from(row.querySelectorAll('[role="gridcell"]')).some((c) => (c.textContent || '') !== '');
  const rowCount = (grid) => Number(grid.getAttribute('aria-rowcount')) - 1;
  const scrollerOf = (grid) =>
    grid.querySelector('.dg-scroller') || Array.from(grid.querySelectorAll('*')).find((e) => e.scrollHeight > e.clientHeight + 1) || null;
  const bodyOf = (grid) => grid.querySelectorAll('[role="rowgroup"]')[1] || grid;
  const rowsInView = (grid) => {
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

  const armed = { pending: null };
  /** Starts the clock at the next matching input event; the time comes from result(). */
  const startOnEvent = (trigger, condition) => {
    armed.pending = new Promise((resolve, reject) => {
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
    armed.pending.catch(() => undefined);
  };
  const result = () => {
    const pending = armed.pending;
    armed.pending = null;
    if (!pending) return Promise.reject(new Error('nothing armed'));
    return Promise.race([
      pending,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the action did not reach the page within ' + TIMEOUT_MS / 1000 + ' s')), TIMEOUT_MS + 5000)),
    ]);
  };
`;
