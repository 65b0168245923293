/**
 * Edits made many cells at a time: a block pasted from a spreadsheet (each cell a pending edit, rows past the
 * end of the table new rows) and rows cloned into new rows. Pure: the grid's rows come in as a lookup.
 */
import { neverWritten, type BrowseColumn } from '../../../../shared/browse.ts';
import type { CellValue } from '../../../../shared/values.ts';
import { editText, toEditValue } from './cellValues.ts';
import type { EditableColumn } from './editableTarget.ts';
import type { CellChange, EditRecord, InsertedRow, PendingChanges } from './pendingStore.ts';
import type { ValueRule } from './valueRules.ts';

/** The server numbers or computes the column when it is left out (identity, serial, auto-increment, generated). */
export function isServerFilled(column: BrowseColumn): boolean {
  return column.generated !== null || /^nextval\(/i.test(column.default ?? '');
}

export interface PasteTarget {
  /** The selected rows (the block starts at `top`). */
  top: number;
  bottom: number;
  /** The selected columns as source indices, in display order (the block starts at the first). */
  columns: readonly number[];
}

export interface PasteContext {
  /** Per grid column (source index). */
  columns: readonly EditableColumn[];
  /** Per grid column: the table column's rule. */
  rules: readonly (ValueRule | undefined)[];
  /** Rows in the table: a pasted row at or past this index becomes a new row. */
  rowCount: number;
  rowValues(row: number): readonly CellValue[] | undefined;
  keyOf(cells: readonly CellValue[]): EditRecord;
  pending: PendingChanges;
  /** Why existing rows cannot be changed (no key, read-only), or null. */
  updateRefusal: string | null;
}

export type PastePlan = { ok: true; cells: CellChange[]; inserts: InsertedRow['values'][] } | { ok: false; message: string };

/**
 * What pasting `block` (rows of fields) at the selection does. A single value fills the whole selection. A
 * field that its column does not take refuses the whole paste, naming the row and column; nothing changes.
 */
export function planPaste(block: readonly (readonly string[])[], target: PasteTarget, context: PasteContext): PastePlan {
  const { columns, rules, rowCount, pending } = context;
  const single = block.length === 1 && block[0]!.length === 1;
  const first = target.columns[0];
  if (first === undefined || block.length === 0) return { ok: false, message: 'Select the cell to paste into first' };
  const placed: { row: number; column: number; text: string }[] = [];
  if (single) {
    for (let row = target.top; row <= target.bottom; row++) for (const column of target.columns) placed.push({ row, column, text: block[0]![0]! });
  } else {
    const width = Math.max(...block.map((r) => r.length));
    if (first + width > columns.length) return { ok: false, message: `The pasted block is ${width} columns wide; from the selected column on there are ${columns.length - first}` };
    block.forEach((fields, i) => fields.forEach((text, j) => placed.push({ row: target.top + i, column: first + j, text })));
  }

  const cells: CellChange[] = [];
  const inserts = new Map<number, InsertedRow['values']>();
  for (const { row, column, text } of placed) {
    const shown = columns[column]!;
    const rule = rules[column];
    if ('readOnly' in shown || !rule) return { ok: false, message: 'readOnly' in shown ? shown.readOnly : 'This column cannot be edited' };
    const c = shown.table;
    const isNew = row >= rowCount;
    const where = isNew ? `New row ${row - rowCount + 1}, ${c.name}` : `Row ${row + 1}, ${c.name}`;
    if (neverWritten(c.generated)) return { ok: false, message: `${where}: the server generates this column` };
    if (isNew) {
      const values = inserts.get(row) ?? {};
      inserts.set(row, values);
      // An empty field takes the column's default.
      if (text === '' && !rule.emptyIsText) continue;
      const parsed = rule.check(text);
      if (!parsed.ok) return { ok: false, message: `${where}: ${parsed.message}` };
      values[c.name] = text;
      continue;
    }
    if (context.updateRefusal) return { ok: false, message: context.updateRefusal };
    const loaded = context.rowValues(row);
    if (!loaded) return { ok: false, message: `Row ${row + 1} is not loaded yet: scroll to it and paste again` };
    if (pending.deletes[row]) return { ok: false, message: `Row ${row + 1} is marked for deletion` };
    let value;
    if (text === '' && !rule.emptyIsText) {
      if (!c.nullable) return { ok: false, message: `${where}: an empty field is NULL, and this column is NOT NULL` };
      value = null;
    } else {
      const parsed = rule.check(text);
      if (!parsed.ok) return { ok: false, message: `${where}: ${parsed.message}` };
      value = parsed.value;
    }
    cells.push({ row, key: context.keyOf(loaded), column: c.name, original: toEditValue(loaded[column] ?? null), value });
  }
  return { ok: true, cells, inserts: [...inserts.entries()].sort((a, b) => a[0] - b[0]).map(([, values]) => values) };
}

/** A new row with a grid row's values (pending edits included), leaving out what the server fills. */
export function cloneValues(columns: readonly EditableColumn[], cells: readonly CellValue[], edits: EditRecord | undefined): InsertedRow['values'] {
  const values: InsertedRow['values'] = {};
  columns.forEach((shown, i) => {
    if (!('table' in shown) || isServerFilled(shown.table)) return;
    const c = shown.table;
    const value = edits && c.name in edits ? edits[c.name]! : toEditValue(cells[i] ?? null);
    values[c.name] = value === null ? null : editText(value);
  });
  return values;
}
