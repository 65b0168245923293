/** Every statement run in a query tab, kept across restarts, searchable; and saved queries, as .sql files. */
import { z } from 'zod';
import { idSchema, LIMITS, method } from './contract.ts';

export interface HistoryEntry {
  id: string;
  /** ISO time the statement started. */
  at: string;
  profileId: string;
  connectionName: string;
  database: string;
  sql: string;
  /** The SQL was longer than what history keeps; `sql` is its beginning. */
  truncated?: boolean;
  durationMs: number;
  /** Rows returned (read so far) or affected. */
  rows?: number | null;
  error?: string;
}

export interface SavedQuery {
  /** The file's name without `.sql`. */
  name: string;
  /** Absolute path of the file, shown so the folder can be found outside Cabinet. */
  path: string;
  modifiedAt: string;
}

/** A saved query's name becomes a file name: letters, digits, spaces and . _ - only. */
const queryName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[\p{L}\p{N} ._-]+$/u, { error: () => 'a query name may use letters, digits, spaces and . _ - only' })
  .refine((n) => !n.startsWith('.'), { error: () => 'a query name may not start with a dot' });

export const historyMethods = {
  'history/search': method<{ entries: HistoryEntry[] }>()(
    z.strictObject({ text: z.string().max(LIMITS.text).optional(), profileId: idSchema.optional(), limit: z.number().int().min(1).max(1000).optional() }),
  ),
  'history/clear': method<Record<string, never>>()(z.strictObject({})),
  'queries/list': method<{ folder: string; queries: SavedQuery[] }>()(z.strictObject({})),
  'queries/read': method<{ name: string; text: string }>()(z.strictObject({ name: queryName })),
  'queries/save': method<SavedQuery>()(z.strictObject({ name: queryName, text: z.string().max(16 * 1024 * 1024) })),
  'queries/delete': method<Record<string, never>>()(z.strictObject({ name: queryName })),
};
