/**
 * Row editing over a grid whose rows come from one table (a table's Data view, or a query result): the
 * pending change set, the inline editor, the overlay the grid shows pending values with, and preview / apply /
 * discard / undo.
 */
import { useCallback, useMemo, useState, type ClipboardEvent, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { neverWritten } from '../../../../shared/browse.ts';
import type { ApplyResult, ChangeRef, EditPreview, EditValue } from '../../../../shared/edits.ts';
import type { CellValue } from '../../../../shared/values.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import type { CellOverlay, DataGridHandle, GridEditor } from '../../components/data-grid/index.ts';
import { describeValue, editText, toCellValue, toEditValue } from './cellValues.ts';
import { cloneValues, planPaste } from './blockEdits.ts';
import { CellEditor } from './CellEditor.tsx';
import type { AppliedRows, EditableTarget } from './editableTarget.ts';
import { NewRows } from './NewRows.tsx';
import { buildChangeSet, keepForThisPageOnly, NO_PENDING, pendingCount, usePendingStore, type EditRecord, type PendingChanges } from './pendingStore.ts';
import { parseTsv } from './tsv.ts';
import { valueRule } from './valueRules.ts';
import './row-editing.css';

export interface RowEditingOptions {
  /** Whose pending changes these are (a table tab, a query result). */
  pendingId: string;
  /** The rows do not outlive the page (a query result): pending changes are not kept for after a reload. */
  pageOnly?: boolean;
  /** Null while it is not known yet. Keep it stable (useMemo). */
  target: EditableTarget | null;
  grid: RefObject<DataGridHandle | null>;
  /** Rows the grid holds: pasted rows past them become new rows (without it, a paste stays within loaded rows). */
  rowCount?: number;
  /** After a successful apply: what was written, by grid row (to read the rows again, or show them). */
  onApplied: (applied: AppliedRows) => void;
}

/** The outcome of the last preview or apply, shown under the toolbar. */
type Notice = { kind: 'conflict'; lines: string[] } | { kind: 'failed'; text: string } | { kind: 'refused'; text: string } | { kind: 'applied'; text: string };

/** Where the server's refusal points, marked until the pending changes change: a grid row's cells (or whole row), or a new row's fields. */
interface FailureMark {
  row: number | null;
  insertId: number | null;
  /** Null: the whole row. */
  columns: string[] | null;
  message: string;
}
const NO_FAILURES: FailureMark[] = [];

export function useRowEditing({ pendingId: tabId, pageOnly = false, target, grid, rowCount, onApplied }: RowEditingOptions) {
  if (pageOnly) keepForThisPageOnly(tabId);
  const pending = usePendingStore((s) => s.tabs[tabId]) ?? NO_PENDING;
  const store = usePendingStore.getState;
  const [editing, setEditing] = useState<{ row: number; column: number; initial: string } | null>(null);
  const [conflictRows, setConflictRows] = useState<ReadonlySet<number>>(() => new Set());
  // A refusal (a paste that did not fit, a read-only cell) is about the moment it came: the next change drops it.
  const [shownNotice, setShownNotice] = useState<{ notice: Notice; about: PendingChanges } | null>(null);
  const [preview, setPreview] = useState<EditPreview | null>(null);
  const [busy, setBusy] = useState(false);
  // A mark belongs to the pending changes it was about: any new change drops it.
  const [marks, setMarks] = useState<{ about: PendingChanges; failures: FailureMark[] }>({ about: NO_PENDING, failures: [] });
  const failure = marks.about === pending ? marks.failures : NO_FAILURES;
  const setFailure = (failures: FailureMark[]) => setMarks({ about: pending, failures });
  const notice = shownNotice && (shownNotice.notice.kind !== 'refused' || shownNotice.about === pending) ? shownNotice.notice : null;
  const setNotice = (next: Notice | null) => setShownNotice(next && { notice: next, about: pending });

  const readOnlyReason = target?.readOnly ?? null;
  const canEdit = !!target && readOnlyReason === null;
  const canInsert = !!target?.canInsert;
  const count = pendingCount(pending);
  /** Per grid column: the table column's name, or undefined for a column that is not one. */
  const names = useMemo(() => target?.columns.map((c) => ('table' in c ? c.table.name : undefined)) ?? [], [target]);
  /** Per grid column: what its editor accepts. */
  const rules = useMemo(() => target?.columns.map((c) => ('table' in c ? valueRule(c.table, target.engine) : undefined)) ?? [], [target]);
  /** The table's columns the grid shows, with their rules: the fields of a new row. */
  const tableColumns = useMemo(() => {
    const shown = (target?.columns ?? []).flatMap((c, i) => ('table' in c ? [{ column: c.table, rule: rules[i]! }] : []));
    return { columns: shown.map((s) => s.column), rules: shown.map((s) => s.rule) };
  }, [target, rules]);

  const keyOf = useCallback(
    (cells: readonly CellValue[]): EditRecord => {
      const key: EditRecord = {};
      for (const name of target?.key ?? []) key[name] = toEditValue(cells[names.indexOf(name)] ?? null);
      return key;
    },
    [target, names],
  );

  const startEdit = (row: number, column: number, seed?: string) => {
      if (!target) return;
      if (readOnlyReason) {
        setNotice({ kind: 'refused', text: readOnlyReason });
        return;
      }
      const shown = target.columns[column];
      const cells = grid.current?.rowValues(row);
      if (!shown || !cells || pending.deletes[row]) return;
      if ('readOnly' in shown) {
        setNotice({ kind: 'refused', text: shown.readOnly });
        return;
      }
      const c = shown.table;
      if (neverWritten(c.generated)) {
        setNotice({ kind: 'refused', text: `${c.name} is generated by the server and cannot be edited` });
        return;
      }
      const edit = pending.edits[row];
      const current = edit && c.name in edit.values ? edit.values[c.name]! : toEditValue(cells[column] ?? null);
      // A typed key starts a text editor with it; a list starts from the value it shows.
      const typed = seed !== undefined && rules[column]?.editor === 'text' ? seed : undefined;
      setEditing({ row, column, initial: typed ?? editText(current) });
  };

  const commitEdit = (value: EditValue) => {
      const name = editing ? names[editing.column] : undefined;
      if (!editing || !name) return;
      const cells = grid.current?.rowValues(editing.row);
      if (cells) store().editCell(tabId, editing.row, keyOf(cells), name, toEditValue(cells[editing.column] ?? null), value);
      setEditing(null);
      grid.current?.focus();
  };

  const cancelEdit = () => {
    setEditing(null);
    grid.current?.focus();
  };

  const deleteSelected = () => {
    if (readOnlyReason) {
      setNotice({ kind: 'refused', text: readOnlyReason });
      return;
    }
    const selection = grid.current?.getSelection();
    if (!selection) return;
    const rows: { row: number; key: EditRecord }[] = [];
    for (let row = selection.top; row <= selection.bottom && rows.length < 10_000; row++) {
      const cells = grid.current?.rowValues(row);
      if (cells) rows.push({ row, key: keyOf(cells) });
    }
    store().deleteRows(tabId, rows);
  };

  /** The selected rows as new rows, their values (pending edits included) copied, server-filled columns left to the server. */
  const cloneSelected = () => {
    const selection = grid.current?.getSelection();
    if (!canInsert || !target || !selection) return;
    const rows = [];
    for (let row = selection.top; row <= selection.bottom && rows.length < 1000; row++) {
      const cells = grid.current?.rowValues(row);
      if (cells) rows.push(cloneValues(target.columns, cells, pending.edits[row]?.values));
    }
    if (rows.length > 0) store().addInserts(tabId, rows);
  };

  /** Tab-separated text pasted at the selection: each field a pending edit, rows past the end new rows. */
  const pasteText = (text: string) => {
    const selection = grid.current?.getSelection();
    if (!target || !selection) return;
    const plan = planPaste(parseTsv(text), selection, {
      columns: target.columns,
      rules,
      rowCount: rowCount ?? Number.MAX_SAFE_INTEGER,
      rowValues: (row) => grid.current?.rowValues(row),
      keyOf,
      pending,
      updateRefusal: readOnlyReason,
    });
    if (!plan.ok) {
      setNotice({ kind: 'refused', text: `Nothing was pasted: ${plan.message}` });
      return;
    }
    if (plan.inserts.length > 0 && !canInsert) {
      setNotice({ kind: 'refused', text: 'Nothing was pasted: rows cannot be inserted here' });
      return;
    }
    setNotice(null);
    store().editCells(tabId, plan.cells, plan.inserts);
  };

  /** Ctrl+V (or the menu's Paste) over the grid. */
  const onPaste = (event: ClipboardEvent<HTMLElement>) => {
    const element = event.target as HTMLElement;
    if (element.closest('input, textarea, select, [role="dialog"]') || !element.closest('[role="grid"]')) return;
    event.preventDefault();
    pasteText(event.clipboardData.getData('text/plain'));
  };

  const overlay = useMemo<CellOverlay | undefined>(() => {
    if (!target || (count === 0 && conflictRows.size === 0)) return undefined;
    /** The server's message when this cell's change was refused. */
    const refusal = (row: number, name: string | undefined) =>
      failure.find((f) => f.row === row && (f.columns === null || (name !== undefined && f.columns.includes(name))))?.message;
    return (row, column) => {
      const name = names[column];
      const note = refusal(row, name);
      const marked = conflictRows.has(row) || note !== undefined;
      if (pending.deletes[row]) return { state: marked ? 'conflict' : 'deleted', note };
      const edit = pending.edits[row];
      if (edit && name !== undefined && name in edit.values) return { value: toCellValue(edit.values[name]!), state: marked ? 'conflict' : 'edited', note };
      return marked && failure.length > 0 ? { state: 'conflict', note } : undefined;
    };
  }, [target, names, pending, count, conflictRows, failure]);

  /** New rows' fields with a problem: text the column does not take, or the server's refusal. */
  const insertProblems = useMemo(() => {
    const problems = new Map<string, string>();
    for (const f of failure) {
      if (f.insertId === null) continue;
      const columns = f.columns ?? tableColumns.columns.map((c) => c.name);
      for (const column of columns) problems.set(`${f.insertId}:${column}`, f.message);
    }
    return problems;
  }, [failure, tableColumns]);

  /** The change set, or null (and the fields marked) when a new row's field does not fit its column. */
  const built = () => {
    const byName = new Map(tableColumns.columns.map((c, i) => [c.name, tableColumns.rules[i]!]));
    const result = buildChangeSet(pending, (column, text) => byName.get(column)?.check(text) ?? { ok: true, value: text });
    if (result.invalid.length === 0) return result;
    setFailure(result.invalid.map((f) => ({ row: null, insertId: f.insertId, columns: [f.column], message: f.message })));
    const first = result.invalid[0]!;
    setNotice({ kind: 'refused', text: `New row ${pending.inserts.findIndex((r) => r.id === first.insertId) + 1}, ${first.column}: ${first.message}` });
    return null;
  };

  const runPreview = async () => {
    setNotice(null);
    const changes = built();
    if (!target || !changes) return;
    try {
      setPreview(await call('edits/preview', { connectionId: target.connectionId, path: target.path, changes: changes.changes }));
    } catch (error) {
      setNotice({ kind: 'refused', text: toErrorData(error).message });
    }
  };

  const apply = async () => {
    if (count === 0 || busy || !target) return;
    setPreview(null);
    const changes = built();
    if (!changes) return;
    setBusy(true);
    let result: ApplyResult;
    try {
      result = await call('edits/apply', { connectionId: target.connectionId, path: target.path, changes: changes.changes });
    } catch (error) {
      setNotice({ kind: 'refused', text: toErrorData(error).message });
      setBusy(false);
      return;
    }
    setBusy(false);
    const where = (ref: ChangeRef) => {
      const { row, insertId } = changes.rowOf(ref);
      if (row !== null) return `${ref.kind} of row ${row + 1}`;
      const n = pending.inserts.findIndex((r) => r.id === insertId);
      return `insert of new row ${n + 1}`;
    };
    if (result.status === 'applied') {
      const applied: AppliedRows = { updated: new Map(), deleted: [] };
      for (const read of result.rows) {
        const { row } = changes.rowOf(read.change);
        if (row === null || read.change.kind !== 'update') continue;
        const values = read.values;
        applied.updated.set(row, values && Object.fromEntries(result.columns.map((name, i) => [name, values[i] ?? null])));
      }
      (changes.changes.deletes ?? []).forEach((_, index) => {
        const { row } = changes.rowOf({ kind: 'delete', index });
        if (row !== null) applied.deleted.push(row);
      });
      store().discard(tabId);
      setConflictRows(new Set());
      setNotice({ kind: 'applied', text: `Applied ${result.statements.length} statement${result.statements.length === 1 ? '' : 's'} in ${Math.round(result.elapsedMs)} ms` });
      onApplied(applied);
    } else if (result.status === 'conflict') {
      const rows = new Set<number>();
      const lines = result.conflicts.map((conflict) => {
        const { row } = changes.rowOf(conflict.change);
        if (row !== null) rows.add(row);
        const label = where(conflict.change);
        if (!conflict.current) return `${label}: the row was deleted by someone else`;
        const edit = row !== null ? pending.edits[row] : undefined;
        const columns = Object.keys(conflict.expected).filter((name) => !target.key?.includes(name) || (edit && name in edit.values));
        const parts = columns.map(
          (name) => `${name}: now ${describeValue(conflict.current![name])}, you saw ${describeValue(conflict.expected[name])}${edit && name in edit.values ? `, yours ${describeValue(edit.values[name])}` : ''}`,
        );
        return `${label} changed underneath: ${parts.join('; ')}`;
      });
      setConflictRows(rows);
      setNotice({ kind: 'conflict', lines });
    } else {
      const label = result.change ? where(result.change) : 'commit';
      const place = result.change ? changes.rowOf(result.change) : null;
      if (place) setFailure([{ ...place, columns: result.columns.length > 0 ? result.columns : null, message: result.message }]);
      setNotice({ kind: 'failed', text: `${label}${result.column ? `, column ${result.column}` : ''}: ${result.message}${result.detail ? ` (${result.detail})` : ''}` });
    }
  };

  const undo = () => {
    store().undo(tabId);
    setConflictRows(new Set());
  };
  const discard = () => {
    store().discard(tabId);
    setConflictRows(new Set());
    setNotice(null);
    setEditing(null);
  };

  /** Keys of the Data view around the grid: Ctrl+S, Ctrl+Z, Ctrl+N, Ctrl+D, Delete, F2 and typing into a cell. */
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (ctrl && !event.shiftKey && key === 's') {
      event.preventDefault();
      void apply();
      return;
    }
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [role="dialog"]')) return;
    if (ctrl && !event.shiftKey && key === 'z') {
      event.preventDefault();
      undo();
    } else if (ctrl && !event.shiftKey && key === 'n' && canInsert) {
      event.preventDefault();
      store().addInserts(tabId);
    } else if (!target.closest('[role="grid"]')) {
      return;
    } else if (ctrl && !event.shiftKey && key === 'd') {
      event.preventDefault();
      cloneSelected();
    } else if (event.key === 'Delete' && !ctrl) {
      event.preventDefault();
      deleteSelected();
    } else if (event.key === 'F2' || (event.key.length === 1 && !ctrl && !event.altKey && event.key !== ' ')) {
      const selection = grid.current?.getSelection();
      if (!selection) return;
      event.preventDefault();
      startEdit(selection.row, selection.column, event.key === 'F2' ? undefined : event.key);
    }
  };

  const shown = editing && target ? target.columns[editing.column] : undefined;
  const column = shown && 'table' in shown ? shown.table : undefined;
  const editor: GridEditor | null =
    editing && column
      ? {
          row: editing.row,
          column: editing.column,
          node: <CellEditor key={`${editing.row}:${editing.column}`} column={column} rule={rules[editing.column]!} initial={editing.initial} onCommit={commitEdit} onCancel={cancelEdit} />,
        }
      : null;

  const toolbar: ReactNode = (
    <>
      {readOnlyReason ? (
        <span className="row-editing__readonly" role="note">
          {readOnlyReason}
        </span>
      ) : null}
      {canInsert ? (
        <>
          <button type="button" className="button button--small" onClick={() => store().addInserts(tabId)} title="Insert a row (Ctrl+N)">
            Insert row
          </button>
          <button type="button" className="button button--small" onClick={cloneSelected} title="Clone the selected rows into new rows (Ctrl+D)">
            Clone rows
          </button>
        </>
      ) : null}
      {canEdit ? (
        <button type="button" className="button button--small" onClick={deleteSelected} title="Delete the selected rows (Delete)">
          Delete rows
        </button>
      ) : null}
      {count > 0 ? (
        <>
          <span className="row-editing__count" aria-label="Pending changes">
            {count} pending
          </span>
          <button type="button" className="button button--small" onClick={() => void runPreview()}>
            Preview
          </button>
          <button type="button" className="button button--small button--primary" disabled={busy} onClick={() => void apply()} title="Apply all pending changes in one transaction (Ctrl+S)">
            {busy ? 'Applying…' : 'Apply'}
          </button>
          <button type="button" className="button button--small" onClick={undo} title="Undo the last change (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="button button--small" onClick={discard}>
            Discard
          </button>
        </>
      ) : null}
    </>
  );

  const noticeNode: ReactNode = notice ? (
    <div className={`row-editing__notice is-${notice.kind}`} role={notice.kind === 'applied' ? 'status' : 'alert'} aria-label="Row editing">
      {notice.kind === 'conflict' ? (
        <div>
          <strong>Nothing was written: rows changed underneath. Your changes are kept.</strong>
          <ul>
            {notice.lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </div>
      ) : notice.kind === 'failed' ? (
        <span>Nothing was written: {notice.text}</span>
      ) : (
        <span>{notice.text}</span>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
        ×
      </button>
    </div>
  ) : null;

  const newRows: ReactNode = (
    <NewRows
      columns={tableColumns.columns}
      rules={tableColumns.rules}
      rows={pending.inserts}
      problems={insertProblems}
      onChange={(id, column, value) => store().setInsertValue(tabId, id, column, value)}
      onRemove={(id) => store().removeInsert(tabId, id)}
    />
  );

  return {
    overlay,
    editor,
    toolbar,
    notice: noticeNode,
    newRows,
    onKeyDown,
    onPaste,
    startEdit,
    canEdit,
    canInsert,
    pending,
    preview,
    closePreview: () => setPreview(null),
    apply,
  };
}
