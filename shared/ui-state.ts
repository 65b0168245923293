/**
 * What the workbench looks like between runs: theme, sidebar width, open tabs, the tree's expansion. Kept in
 * Cabinet's data folder through the core (not in the browser's storage, which browser mode loses with each
 * new port), and checked by this schema both when a window sends it and when it is read from disk.
 */
import { z } from 'zod';
import { filterSchema } from './browse.ts';
import { idSchema, LIMITS } from './contract.ts';

const treePath = z.array(z.string().max(LIMITS.name)).max(LIMITS.treeDepth);

export const savedTabSchema = z.strictObject({
  id: z.string().min(1).max(2048),
  kind: z.enum(['object', 'definition', 'query', 'migrations']),
  title: z.string().max(LIMITS.name),
  profileId: idSchema,
  path: treePath,
  objectKind: z.enum(['table', 'view', 'materialized-view', 'function', 'procedure']).optional(),
  /** A query tab's database (where it differs from the connection's). */
  database: z.string().max(LIMITS.name).optional(),
  view: z.enum(['data', 'structure']).optional(),
  filters: z.array(filterSchema).max(64).optional(),
});
export type SavedTab = z.infer<typeof savedTabSchema>;

export const uiStateSchema = z.strictObject({
  theme: z.enum(['light', 'dark']).optional(),
  sidebarWidth: z.number().int().min(160).max(1200).optional(),
  tabs: z.array(savedTabSchema).max(100).optional(),
  activeTabId: z.string().max(2048).nullable().optional(),
  /** Expanded tree paths per profile, restored when that profile connects again. */
  expanded: z.record(idSchema, z.array(treePath).max(2000)).optional(),
});
export type UiState = z.infer<typeof uiStateSchema>;
