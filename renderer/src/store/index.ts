/** One bound store built from one slice per concern (zustand's slices pattern). */
import { create } from 'zustand';
import { createConnectionsSlice } from '../features/connections/connectionsSlice.ts';
import { createTreeSlice } from '../features/schema-tree/treeSlice.ts';
import { createTabsSlice } from '../features/workbench/tabsSlice.ts';
import { createUiSlice } from '../features/workbench/uiSlice.ts';
import { createQueriesSlice } from '../features/sql-editor/queriesSlice.ts';
import type { Store } from './types.ts';

export const useStore = create<Store>()((...args) => ({
  ...createConnectionsSlice(...args),
  ...createTreeSlice(...args),
  ...createTabsSlice(...args),
  ...createUiSlice(...args),
  ...createQueriesSlice(...args),
}));

export type { Store } from './types.ts';
