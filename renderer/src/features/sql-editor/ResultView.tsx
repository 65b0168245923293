import { useMemo } from 'react';
import { call } from '../../api/client.ts';
import { DataGrid, type RowSource } from '../../components/data-grid/index.ts';
import type { ResultEntry } from './queriesSlice.ts';

/** A statement's rows in the grid, read by index from the core's spool (never the whole result here). */
export function ResultView({
  result,
  onStop,
  onExport,
  onRead,
}: {
  result: ResultEntry;
  onStop: () => void;
  onExport: () => void;
  /** Each read says how many rows the result has now, and whether that is all of them. */
  onRead: (rowCount: number, complete: boolean) => void;
}) {
  const source = useMemo<RowSource>(
    () => ({
      async getRows(start, count) {
        const window = await call('sessions/rows', { resultId: result.resultId, start, count: Math.min(count, 5000) });
        onRead(window.rowCount, window.complete);
        return window.rows;
      },
    }),
    [result.resultId, onRead],
  );
  // While rows are still coming, the scrollbar covers what is known and a page more.
  const rowCount = result.complete || result.stopped ? result.rowCount : result.rowCount + 1000;
  return (
    <div className="result-view">
      <div className="result-view__bar" role="status" aria-label="Result rows">
        {result.rowCount.toLocaleString('en-US')} {result.rowCount === 1 ? 'row' : 'rows'}
        {result.complete ? '' : result.stopped ? ` (${result.stopped})` : ' read so far…'}
        {!result.complete && !result.stopped ? (
          <button type="button" className="button button--small" onClick={onStop}>
            Stop
          </button>
        ) : null}
        <span className="spacer" />
        <button type="button" className="button button--small" onClick={onExport}>
          Export…
        </button>
      </div>
      <DataGrid ariaLabel={`Rows of ${result.title}`} columns={result.columns} rowCount={rowCount} source={source} />
    </div>
  );
}
