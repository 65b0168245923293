/**
 * The result grid's reads, seen on browser mode's WebSocket: each `sessions/rows` call (`{id, method, input}`
 * with `input.start`, `input.count`). Tells how many rows the grid really asked the core for while it was
 * scrolled (a scroll too fast for the grid passes rows it never reads, and those cost no memory).
 */
import type { Page } from 'playwright-core';

export class RowReads {
  private ranges: [number, number][] = [];
  private calls = 0;

  constructor(page: Page) {
    page.on('websocket', (socket) => {
      if (!new URL(socket.url()).pathname.endsWith('/rpc')) return;
      socket.on('framesent', ({ payload }) => this.sent(payload));
    });
  }

  reset(): void {
    this.ranges = [];
    this.calls = 0;
  }

  /** Calls, and the distinct rows they covered. */
  summary(): { calls: number; rows: number } {
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0]);
    let rows = 0;
    let end = -1;
    for (const [start, stop] of sorted) {
      if (stop <= end) continue;
      rows += stop - Math.max(start, end);
      end = stop;
    }
    return { calls: this.calls, rows };
  }

  private sent(payload: string | Buffer): void {
    const text = typeof payload === 'string' ? payload : payload.toString('utf8');
    if (!text.includes('"sessions/rows"')) return;
    try {
      const message = JSON.parse(text) as { method?: string; input?: { start?: number; count?: number } };
      const { start, count } = message.input ?? {};
      if (message.method !== 'sessions/rows' || typeof start !== 'number' || typeof count !== 'number') return;
      this.calls++;
      this.ranges.push([start, start + count]);
    } catch {
      // Not a call.
    }
  }
}
