import { describe, expect, it } from 'vitest';
import type { BrowseColumn } from '../../shared/browse.ts';
import type { CellValue } from '../../shared/values.ts';
import { cloneValues, planPaste, type PasteContext } from '../../renderer/src/features/row-editing/blockEdits.ts';
import type { EditableColumn } from '../../renderer/src/features/row-editing/editableTarget.ts';
import { NO_PENDING } from '../../renderer/src/features/row-editing/pendingStore.ts';
import { valueRule } from '../../renderer/src/features/row-editing/valueRules.ts';

const column = (name: string, type: string, typeClass: BrowseColumn['typeClass'], extra: Partial<BrowseColumn> = {}): BrowseColumn => ({
  name,
  type,
  typeClass,
  nullable: true,
  default: null,
  generated: null,
  inKey: false,
  ...extra,
});
const columns: EditableColumn[] = [
  { table: column('id', 'integer', 'integer', { nullable: false, default: "nextval('t_id_seq'::regclass)", inKey: true }) },
  { table: column('name', 'text', 'text', { nullable: false }) },
  { table: column('score', 'numeric(5,2)', 'decimal') },
  { table: column('bin', 'bytea', 'binary') },
  { table: column('total', 'integer', 'integer', { generated: 'stored' }) },
];
const loaded: CellValue[][] = [
  ['1', 'Ada', '1.50', null, '3'],
  ['2', 'Bob', null, { kind: 'bytes', hex: 'ff', length: 1 }, '4'],
];
const context = (extra: Partial<PasteContext> = {}): PasteContext => ({
  columns,
  rules: columns.map((c) => ('table' in c ? valueRule(c.table, 'postgres') : undefined)),
  rowCount: 2,
  rowValues: (row) => loaded[row],
  keyOf: (cells) => ({ id: cells[0] as string }),
  pending: NO_PENDING,
  updateRefusal: null,
  ...extra,
});
const at = (top: number, first: number) => ({ top, bottom: top, columns: [first] });

describe('a pasted block', () => {
  it('edits the cells under it, and rows past the end become new rows', () => {
    const plan = planPaste(
      [
        ['Bea', '2.5'],
        ['Cy', ''],
        ['', '3'],
      ],
      at(1, 1),
      context(),
    );
    expect(plan).toEqual({
      ok: true,
      cells: [
        { row: 1, key: { id: '2' }, column: 'name', original: 'Bob', value: 'Bea' },
        { row: 1, key: { id: '2' }, column: 'score', original: null, value: '2.5' },
      ],
      // An empty text field is the empty string; an empty number field takes the default.
      inserts: [{ name: 'Cy' }, { name: '', score: '3' }],
    });
  });

  it('reads an empty field as NULL in a non-text column, and bytes as hex', () => {
    const plan = planPaste([['', '\\x00ff']], at(0, 2), context());
    expect(plan).toMatchObject({
      ok: true,
      cells: [
        { row: 0, column: 'score', original: '1.50', value: null },
        { row: 0, column: 'bin', original: null, value: { kind: 'bytes', hex: '00ff' } },
      ],
    });
  });

  it('fills the whole selection with a single value', () => {
    const plan = planPaste([['9']], { top: 0, bottom: 1, columns: [2] }, context());
    expect(plan.ok && plan.cells.map((c) => [c.row, c.column, c.value])).toEqual([
      [0, 'score', '9'],
      [1, 'score', '9'],
    ]);
  });

  it('is refused whole, naming the row and column, when a field does not fit', () => {
    expect(planPaste([['x', 'lots']], at(0, 1), context())).toEqual({ ok: false, message: 'Row 1, score: Expected a decimal number' });
    expect(planPaste([['1.234']], at(2, 2), context())).toEqual({ ok: false, message: 'New row 1, score: numeric(5,2) keeps 2 decimal places: this would be rounded' });
    expect(planPaste([['', '']], at(0, 0), context())).toEqual({ ok: false, message: 'Row 1, id: an empty field is NULL, and this column is NOT NULL' });
    expect(planPaste([['00', '2']], at(0, 3), context())).toEqual({ ok: false, message: 'Row 1, total: the server generates this column' });
    expect(planPaste([['a', 'b', 'c']], at(0, 3), context())).toEqual({ ok: false, message: 'The pasted block is 3 columns wide; from the selected column on there are 2' });
    expect(planPaste([['a']], at(0, 1), context({ updateRefusal: 'No key' }))).toEqual({ ok: false, message: 'No key' });
    expect(planPaste([['a']], at(0, 1), context({ rowValues: () => undefined }))).toEqual({ ok: false, message: 'Row 1 is not loaded yet: scroll to it and paste again' });
    expect(planPaste([['a']], at(0, 1), context({ pending: { ...NO_PENDING, deletes: { 0: { key: { id: '1' } } } } }))).toEqual({ ok: false, message: 'Row 1 is marked for deletion' });
  });

  it('goes to new rows only, on a table without a key', () => {
    expect(planPaste([['Dee']], at(2, 1), context({ updateRefusal: 'No key' }))).toEqual({ ok: true, cells: [], inserts: [{ name: 'Dee' }] });
  });
});

describe('a cloned row', () => {
  it('copies the values (pending edits included) and leaves serial and generated columns to the server', () => {
    expect(cloneValues(columns, loaded[1]!, { name: 'Bobby' })).toEqual({ name: 'Bobby', score: null, bin: 'ff' });
    expect(cloneValues([{ readOnly: 'computed' }, ...columns.slice(1)], loaded[0]!, undefined)).toEqual({ name: 'Ada', score: '1.50', bin: null });
  });
});
