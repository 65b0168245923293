import type { BrowseWindow, RowTotal } from '../../../../shared/browse.ts';
import { call } from '../../api/client.ts';
import type { PlacedRows, RowSource } from '../../components/data-grid/index.ts';

/**
 * The grid's row source over a browse view: windows by index from the core, which pages them on the server
 * (keyset where it can). Each window says what the core now knows of the total, the SQL it ran, and whether
 * its index is exact.
 */
export function browseSource(viewId: string, generation: number, onWindow: (window: BrowseWindow) => void): RowSource {
  return {
    async getRows(start: number, count: number, signal: AbortSignal): Promise<PlacedRows> {
      const window = await call('browse/rows', { viewId, start, count });
      // An aborted read is dropped by the grid whatever it returns.
      if (signal.aborted) return { rows: [], approximate: false, placement: 0 };
      // A window read for a newer query than this source's: the grid is about to get that query's source.
      if (window.generation !== generation) throw new Error('The table was queried again while these rows were read.');
      onWindow(window);
      // `approximate`: placed from a guess (a far jump on a big table, or the end while the total is an estimate).
      return { rows: window.rows, approximate: !window.startExact, placement: window.placement };
    },
  };
}

/** How many rows the grid's scrollbar covers: the total when known; else what is loaded and a page more. */
export function gridRowCount(total: RowTotal, seen: number): number {
  if (total.rows !== null) return Math.max(total.rows, seen);
  return seen + 1000;
}

export function totalLabel(total: RowTotal): string {
  if (total.rows === null) return 'rows: unknown';
  const rows = `${total.rows.toLocaleString('en-US')} ${total.rows === 1 ? 'row' : 'rows'}`;
  return total.exact ? rows : `~${rows} (estimate)`;
}
