import { useMemo, useRef, useState } from 'react';
import type { Engine } from '../../../../shared/profiles.ts';
import type { CellValue } from '../../../../shared/values.ts';
import { call } from '../../api/client.ts';
import { DataGrid, type CellOverlay, type DataGridHandle, type RowSource } from '../../components/data-grid/index.ts';
import type { AppliedRows } from '../row-editing/editableTarget.ts';
import { PreviewDialog } from '../row-editing/PreviewDialog.tsx';
import { useRowEditing } from '../row-editing/useRowEditing.tsx';
import type { ResultEntry } from './queriesSlice.ts';
import { resultTarget } from './resultTarget.ts';

/**
 * A statement's rows in the grid, read by index from the core's spool (never the whole result here). A result
 * from one table with its key is edited like the table's own grid; any other says why it is read-only.
 */
export function ResultView({
  result,
  connectionId,
  engine,
  onStop,
  onExport,
  onRead,
}: {
  result: ResultEntry;
  /** The tab's connection; undefined while it is closed (nothing can be applied then). */
  connectionId: string | undefined;
  /** Whose rules edited values are checked by. */
  engine: Engine;
  onStop: () => void;
  onExport: () => void;
  /** Each read says how many rows the result has now, and whether that is all of them. */
  onRead: (rowCount: number, complete: boolean) => void;
}) {
  const grid = useRef<DataGridHandle>(null);
  /** Rows as the database holds them after an apply, by row index: shown instead of what the result read. */
  const written = useRef(new Map<number, CellValue[]>());
  const [deleted, setDeleted] = useState<ReadonlySet<number>>(() => new Set());
  const source = useMemo<RowSource>(
    () => ({
      async getRows(start, count) {
        const window = await call('sessions/rows', { resultId: result.resultId, start, count: Math.min(count, 5000) });
        onRead(window.rowCount, window.complete);
        return window.rows.map((row, i) => written.current.get(start + i) ?? row);
      },
    }),
    [result.resultId, onRead],
  );
  const target = useMemo(
    () => (connectionId ? resultTarget(connectionId, engine, result.columns, result.origin) : null),
    [connectionId, engine, result.columns, result.origin],
  );

  const onApplied = (applied: AppliedRows) => {
    for (const [row, values] of applied.updated) {
      const cells = grid.current?.rowValues(row);
      if (!values || !cells || !target) continue;
      // A table column takes what the database holds now; a computed one keeps what the query said.
      written.current.set(
        row,
        target.columns.map((c, i) => ('table' in c && c.table.name in values ? values[c.table.name]! : (cells[i] ?? null))),
      );
    }
    if (applied.deleted.length > 0) setDeleted((before) => new Set([...before, ...applied.deleted]));
    grid.current?.refresh();
  };
  const editing = useRowEditing({ pendingId: result.resultId, pageOnly: true, target, grid, onApplied });

  // Rows deleted by an apply stay in the result (its rows are numbered), marked as gone.
  const pendingOverlay = editing.overlay;
  const overlay = useMemo<CellOverlay | undefined>(() => {
    if (deleted.size === 0) return pendingOverlay;
    return (row, column) => pendingOverlay?.(row, column) ?? (deleted.has(row) ? { state: 'deleted' } : undefined);
  }, [pendingOverlay, deleted]);

  // While rows are still coming, the scrollbar covers what is known and a page more.
  const rowCount = result.complete || result.stopped ? result.rowCount : result.rowCount + 1000;
  return (
    <div className="result-view" onKeyDown={editing.onKeyDown} onPaste={editing.onPaste}>
      <div className="result-view__bar" role="toolbar" aria-label="Result tools">
        <span role="status" aria-label="Result rows">
          {result.rowCount.toLocaleString('en-US')} {result.rowCount === 1 ? 'row' : 'rows'}
          {result.complete ? '' : result.stopped ? ` (${result.stopped})` : ' read so far…'}
        </span>
        {!result.complete && !result.stopped ? (
          <button type="button" className="button button--small" onClick={onStop}>
            Stop
          </button>
        ) : null}
        {editing.toolbar}
        <span className="spacer" />
        <button type="button" className="button button--small" onClick={onExport}>
          Export…
        </button>
      </div>
      {editing.notice}
      {editing.preview ? <PreviewDialog preview={editing.preview} onClose={editing.closePreview} onApply={() => void editing.apply()} /> : null}
      <DataGrid
        ref={grid}
        ariaLabel={`Rows of ${result.title}`}
        columns={result.columns}
        rowCount={rowCount}
        source={source}
        overlay={overlay}
        editor={editing.editor}
        onCellOpen={(row, column) => editing.startEdit(row, column)}
      />
    </div>
  );
}
