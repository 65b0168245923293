/**
 * Pending changes of each table tab, kept until applied or discarded: cell edits by row index, new rows and
 * deleted rows. Only the edits live here, never the loaded rows. Each change pushes a snapshot, so Ctrl+Z
 * pops the last one.
 */
import { create } from 'zustand';
import type { ChangeRef, ChangeSet, EditValue } from '../../../../shared/edits.ts';
import type { Parsed } from './valueRules.ts';

export type EditRecord = Record<string, EditValue>;

export interface RowEdit {
  /** The row's key values as loaded: the WHERE finds the row by them, even when a key column is edited. */
  key: EditRecord;
  /** The edited columns' values as loaded: checked before the row is written. */
  original: EditRecord;
  /** The edited columns' new values. */
  values: EditRecord;
}

export interface DeletedRow {
  key: EditRecord;
}

/** A new row: text per column as typed (checked and turned into values when sent); a column left out takes its default. `null` is NULL. */
export interface InsertedRow {
  id: number;
  values: Record<string, string | null>;
}

export interface PendingChanges {
  edits: Record<number, RowEdit>;
  deletes: Record<number, DeletedRow>;
  inserts: InsertedRow[];
}

interface TabPending extends PendingChanges {
  history: PendingChanges[];
}

const EMPTY: TabPending = { edits: {}, deletes: {}, inserts: [], history: [] };
let nextInsertId = 1;

/** Pending changes survive a reload of the page (browser mode): kept in the tab's session storage, without undo steps. */
const STORAGE_KEY = 'cabinet.pendingEdits';
/** The page's session storage; absent where this module runs outside a browser (unit tests). */
const storage = (globalThis as { sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void } }).sessionStorage;

function restored(): Record<string, TabPending> {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as Record<string, PendingChanges>;
    const tabs: Record<string, TabPending> = {};
    for (const [tab, p] of Object.entries(saved)) {
      tabs[tab] = { edits: p.edits ?? {}, deletes: p.deletes ?? {}, inserts: p.inserts ?? [], history: [] };
      for (const insert of tabs[tab]!.inserts) nextInsertId = Math.max(nextInsertId, insert.id + 1);
    }
    return tabs;
  } catch {
    return {};
  }
}


/** One cell's new value, with the row's key and the value as loaded. */
export interface CellChange {
  row: number;
  key: EditRecord;
  column: string;
  original: EditValue;
  value: EditValue;
}

interface PendingStore {
  tabs: Record<string, TabPending>;
  editCell(tab: string, row: number, key: EditRecord, column: string, original: EditValue, value: EditValue): void;
  /** Cell edits and new rows made by one action (a paste): one undo step. */
  editCells(tab: string, cells: CellChange[], inserts?: InsertedRow['values'][]): void;
  deleteRows(tab: string, rows: { row: number; key: EditRecord }[]): void;
  /** New rows, empty or with values (a clone): one undo step. */
  addInserts(tab: string, rows?: InsertedRow['values'][]): void;
  /** Typing in a new row's field: no undo step per keystroke. */
  setInsertValue(tab: string, id: number, column: string, value: string | null | undefined): void;
  removeInsert(tab: string, id: number): void;
  undo(tab: string): void;
  discard(tab: string): void;
}

function snapshot(p: TabPending): PendingChanges {
  return { edits: p.edits, deletes: p.deletes, inserts: p.inserts };
}

function sameValue(a: EditValue, b: EditValue): boolean {
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return a === b;
  return a.hex.toLowerCase() === b.hex.toLowerCase();
}

/** Puts one cell's value into a row's edit; a value back to the one loaded is no longer a change. */
function setCell(edits: Record<number, RowEdit>, { row, key, column, original, value }: CellChange): void {
  const existing = edits[row];
  const seen = existing && column in existing.original ? existing.original[column]! : original;
  const values = { ...existing?.values, [column]: value };
  const originals = { ...existing?.original, [column]: seen };
  if (sameValue(seen, value)) {
    delete values[column];
    delete originals[column];
  }
  if (Object.keys(values).length === 0) delete edits[row];
  else edits[row] = { key: existing?.key ?? key, original: originals, values };
}

export const usePendingStore = create<PendingStore>()((set, get) => {
  const change = (tab: string, update: (p: TabPending) => PendingChanges | null) =>
    set((state) => {
      const before = state.tabs[tab] ?? EMPTY;
      const next = update(before);
      if (!next) return state;
      return { tabs: { ...state.tabs, [tab]: { ...next, history: [...before.history, snapshot(before)] } } };
    });
  return {
    tabs: restored(),
    editCell: (tab, row, key, column, original, value) => get().editCells(tab, [{ row, key, column, original, value }]),
    editCells: (tab, cells, inserts = []) =>
      change(tab, (p) => {
        if (cells.length === 0 && inserts.length === 0) return null;
        const edits = { ...p.edits };
        for (const cell of cells) setCell(edits, cell);
        return { ...p, edits, inserts: [...p.inserts, ...inserts.map((values) => ({ id: nextInsertId++, values }))] };
      }),
    deleteRows: (tab, rows) =>
      change(tab, (p) => {
        const fresh = rows.filter((r) => !p.deletes[r.row]);
        if (fresh.length === 0) return null;
        const deletes = { ...p.deletes };
        for (const r of fresh) deletes[r.row] = { key: r.key };
        return { ...p, deletes };
      }),
    addInserts: (tab, rows = [{}]) => change(tab, (p) => ({ ...p, inserts: [...p.inserts, ...rows.map((values) => ({ id: nextInsertId++, values }))] })),
    setInsertValue: (tab, id, column, value) =>
      set((state) => {
        const p = state.tabs[tab];
        if (!p) return state;
        const inserts = p.inserts.map((r) => {
          if (r.id !== id) return r;
          const values = { ...r.values };
          if (value === undefined) delete values[column];
          else values[column] = value;
          return { ...r, values };
        });
        return { tabs: { ...state.tabs, [tab]: { ...p, inserts } } };
      }),
    removeInsert: (tab, id) => change(tab, (p) => ({ ...p, inserts: p.inserts.filter((r) => r.id !== id) })),
    undo: (tab) =>
      set((state) => {
        const p = state.tabs[tab];
        const last = p?.history.at(-1);
        if (!p || !last) return state;
        return { tabs: { ...state.tabs, [tab]: { ...last, history: p.history.slice(0, -1) } } };
      }),
    discard: (tab) =>
      set((state) => {
        const tabs = { ...state.tabs };
        delete tabs[tab];
        return { tabs };
      }),
  };
});

export const NO_PENDING: PendingChanges = EMPTY;

/** How many changes wait (a row edited and deleted is one deletion): 0 for a tab that has none (or was never edited). */
export function pendingCount(p: PendingChanges | undefined): number {
  if (!p) return 0;
  const edited = Object.keys(p.edits).filter((row) => !p.deletes[Number(row)]).length;
  return edited + Object.keys(p.deletes).length + p.inserts.length;
}

/** A new row's field whose text its column does not take. */
export interface InvalidField {
  insertId: number;
  column: string;
  message: string;
}

/** The change set sent to the core, with each change's row (for conflicts and failures). */
export interface BuiltChangeSet {
  changes: ChangeSet;
  /** New rows' fields that cannot be sent as typed: nothing may be applied until they are fixed. */
  invalid: InvalidField[];
  /** By kind and index: the grid row (updates, deletes) or the new row's id (inserts). */
  rowOf(ref: ChangeRef): { row: number | null; insertId: number | null };
}

/**
 * `insertValue` turns a new row's text into the value sent (checked by its column's rule); without it, text
 * is sent as typed.
 */
export function buildChangeSet(p: PendingChanges, insertValue?: (column: string, text: string) => Parsed): BuiltChangeSet {
  const invalid: InvalidField[] = [];
  const updateRows: number[] = [];
  const deleteRows: number[] = [];
  const updates: NonNullable<ChangeSet['updates']> = [];
  const deletes: NonNullable<ChangeSet['deletes']> = [];
  for (const [row, edit] of Object.entries(p.edits)) {
    // A row deleted as well is only deleted.
    if (p.deletes[Number(row)]) continue;
    updateRows.push(Number(row));
    updates.push({ key: edit.key, set: edit.values, expected: edit.original });
  }
  for (const [row, del] of Object.entries(p.deletes)) {
    deleteRows.push(Number(row));
    deletes.push({ key: del.key });
  }
  const inserts = p.inserts.map((r) => {
    const values: Record<string, EditValue> = {};
    for (const [column, text] of Object.entries(r.values)) {
      const parsed: Parsed = text === null || !insertValue ? { ok: true, value: text } : insertValue(column, text);
      if (parsed.ok) values[column] = parsed.value;
      else invalid.push({ insertId: r.id, column, message: parsed.message });
    }
    return { values };
  });
  return {
    changes: { updates, inserts, deletes },
    invalid,
    rowOf: (ref) => {
      if (ref.kind === 'update') return { row: updateRows[ref.index] ?? null, insertId: null };
      if (ref.kind === 'delete') return { row: deleteRows[ref.index] ?? null, insertId: null };
      return { row: null, insertId: p.inserts[ref.index]?.id ?? null };
    },
  };
}

/**
 * Owners whose rows do not outlive the page (a query result: its session closes with the page), so their
 * pending changes are not kept for after a reload; leaving the page with them asks first, like any others.
 */
const pageOnly = new Set<string>();
export function keepForThisPageOnly(owner: string): void {
  pageOnly.add(owner);
}

usePendingStore.subscribe((state) => {
  const kept: Record<string, PendingChanges> = {};
  for (const [tab, p] of Object.entries(state.tabs)) if (pendingCount(p) > 0 && !pageOnly.has(tab)) kept[tab] = snapshot(p);
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // Storage full or refused: the edits stay in memory for this page.
  }
});
