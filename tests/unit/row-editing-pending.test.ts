import { beforeEach, describe, expect, it } from 'vitest';
import { parseEditText } from '../../renderer/src/features/row-editing/cellValues.ts';
import { buildChangeSet, pendingCount, usePendingStore } from '../../renderer/src/features/row-editing/pendingStore.ts';

const tab = 'tab-1';
const state = () => usePendingStore.getState();

describe('pending changes of a tab', () => {
  beforeEach(() => state().discard(tab));

  it('keeps the key and the value as loaded across edits of one row, and drops an edit back to the loaded value', () => {
    state().editCell(tab, 4, { id: '7' }, 'name', 'Ada', 'Bea');
    state().editCell(tab, 4, { id: '7' }, 'name', 'Bea', 'Cy');
    state().editCell(tab, 4, { id: '7' }, 'id', '7', '8');
    const built = buildChangeSet(state().tabs[tab]!);
    expect(built.changes.updates).toEqual([{ key: { id: '7' }, set: { name: 'Cy', id: '8' }, expected: { name: 'Ada', id: '7' } }]);
    expect(built.rowOf({ kind: 'update', index: 0 })).toEqual({ row: 4, insertId: null });
    state().editCell(tab, 4, { id: '7' }, 'id', '8', '7');
    expect(buildChangeSet(state().tabs[tab]!).changes.updates![0]!.set).toEqual({ name: 'Cy' });
  });

  it('undoes one change at a time; a deleted row is only deleted', () => {
    state().editCell(tab, 1, { id: '1' }, 'v', 'a', null);
    state().deleteRows(tab, [{ row: 1, key: { id: '1' } }]);
    state().addInsert(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(3);
    const built = buildChangeSet(state().tabs[tab]!);
    expect(built.changes.updates).toEqual([]);
    expect(built.changes.deletes).toEqual([{ key: { id: '1' } }]);
    state().undo(tab);
    state().undo(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(1);
    state().undo(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(0);
  });
});

describe('editor text', () => {
  it('validates numbers and booleans, and takes bytes as hex', () => {
    expect(parseEditText(' 12 ', 'integer')).toEqual({ ok: true, value: '12' });
    expect(parseEditText('1.5', 'integer').ok).toBe(false);
    expect(parseEditText('-12345678901234567890.0123', 'decimal')).toEqual({ ok: true, value: '-12345678901234567890.0123' });
    expect(parseEditText('1,5', 'decimal').ok).toBe(false);
    expect(parseEditText('TRUE', 'boolean')).toEqual({ ok: true, value: 'true' });
    expect(parseEditText('yes', 'boolean').ok).toBe(false);
    expect(parseEditText('\\xDEADbeef', 'binary')).toEqual({ ok: true, value: { kind: 'bytes', hex: 'deadbeef' } });
    expect(parseEditText('abc', 'binary').ok).toBe(false);
    expect(parseEditText(' NULL ', 'text')).toEqual({ ok: true, value: ' NULL ' });
  });
});
