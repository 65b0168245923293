import type { StateCreator } from 'zustand';
import type { ConnectionsSlice } from '../features/connections/connectionsSlice.ts';
import type { TreeSlice } from '../features/schema-tree/treeSlice.ts';
import type { TabsSlice } from '../features/workbench/tabsSlice.ts';
import type { UiSlice } from '../features/workbench/uiSlice.ts';
import type { QueriesSlice } from '../features/sql-editor/queriesSlice.ts';

export type Store = ConnectionsSlice & TreeSlice & TabsSlice & UiSlice & QueriesSlice;

/** The type of one slice's creator: it sees the whole store but returns its own part. */
export type SliceCreator<T> = StateCreator<Store, [], [], T>;
