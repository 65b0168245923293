import { beforeEach, describe, expect, it, vi } from 'vitest';
import { valueRule } from '../../renderer/src/features/row-editing/valueRules.ts';
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
    state().addInserts(tab);
    // The edited row that is deleted counts once.
    expect(pendingCount(state().tabs[tab]!)).toBe(2);
    const built = buildChangeSet(state().tabs[tab]!);
    expect(built.changes.updates).toEqual([]);
    expect(built.changes.deletes).toEqual([{ key: { id: '1' } }]);
    state().undo(tab);
    state().undo(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(1);
    state().undo(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(0);
  });

  it('takes a paste (cell edits and new rows) as one undo step', () => {
    state().editCell(tab, 0, { id: '1' }, 'v', 'a', 'b');
    state().editCells(
      tab,
      [
        { row: 0, key: { id: '1' }, column: 'w', original: '1', value: '2' },
        { row: 1, key: { id: '2' }, column: 'v', original: 'c', value: 'd' },
      ],
      [{ id: '3', v: 'e' }],
    );
    expect(pendingCount(state().tabs[tab]!)).toBe(3);
    expect(buildChangeSet(state().tabs[tab]!).changes.updates![0]).toEqual({ key: { id: '1' }, set: { v: 'b', w: '2' }, expected: { v: 'a', w: '1' } });
    state().undo(tab);
    expect(pendingCount(state().tabs[tab]!)).toBe(1);
    expect(state().tabs[tab]!.edits[0]!.values).toEqual({ v: 'b' });
  });

  it('turns new rows’ text into values by their columns, and names each field that does not fit', () => {
    state().addInserts(tab, [{ id: '7', bin: '\\xff', n: null }, { id: 'x' }]);
    const rule = (column: string, text: string) =>
      column === 'bin' ? valueRule({ type: 'bytea', typeClass: 'binary' }, 'postgres').check(text) : valueRule({ type: 'integer', typeClass: 'integer' }, 'postgres').check(text);
    const built = buildChangeSet(state().tabs[tab]!, rule);
    expect(built.changes.inserts![0]).toEqual({ values: { id: '7', bin: { kind: 'bytes', hex: 'ff' }, n: null } });
    const second = state().tabs[tab]!.inserts[1]!.id;
    expect(built.invalid).toEqual([{ insertId: second, column: 'id', message: 'Expected a whole number' }]);
  });
});

describe('pending changes across a reload', () => {
  it("keeps a table's pending changes in the page's session storage, and a query result's only in memory", async () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    Object.assign(globalThis, { sessionStorage: storage });
    try {
      vi.resetModules();
      const fresh = await import('../../renderer/src/features/row-editing/pendingStore.ts');
      fresh.keepForThisPageOnly('result-1');
      fresh.usePendingStore.getState().editCell('table-tab', 0, { id: '1' }, 'name', 'Ada', 'Bea');
      fresh.usePendingStore.getState().editCell('result-1', 0, { id: '1' }, 'name', 'Ada', 'Cy');
      // Both wait in memory (leaving the page asks first) ...
      expect(fresh.pendingCount(fresh.usePendingStore.getState().tabs['result-1'])).toBe(1);
      // ... but only the table's are there after a reload: the result's rows die with the page's session.
      const saved = JSON.parse(items.get('cabinet.pendingEdits') ?? '{}') as Record<string, unknown>;
      expect(Object.keys(saved)).toEqual(['table-tab']);
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
    }
  });
});
