/**
 * Export: a statement's whole result (or a table, as `SELECT * FROM it`) streamed to a file in CSV, JSON lines,
 * a JSON array or SQL INSERT statements. The core runs the SQL again on a session of its own (read-only), writes
 * rows as they come (never the whole result in memory), reports progress to the client that started it, and
 * can be cancelled. The desktop passes the file the user chose; browser mode passes none, and fetches the
 * finished file from `downloadUrl`.
 *
 * Values stay exact in every format: NULL, '' and 'NULL' stay three different things; numbers, dates and JSON
 * are the server's own text (strings in JSON, so bigints and decimals are not rounded); bytes are `\x` hex.
 */
import { z } from 'zod';
import { absolutePathSchema, idSchema, LIMITS, method } from './contract.ts';
import type { CabinetErrorData } from './errors.ts';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'json', 'sql'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file name extension of each format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', jsonl: 'jsonl', json: 'json', sql: 'sql' };

/** The INSERT target of the SQL format when none is named. */
export const DEFAULT_INSERT_TABLE = 'exported';
export const DEFAULT_ROWS_PER_INSERT = 100;

export interface ExportStarted {
  exportId: string;
  /** Where the file is written: the path asked for, or (browser mode) a file in the core's download folder. */
  path: string;
  /** The name a download is offered under, e.g. `export-users-20250101-120000.csv`. */
  fileName: string;
  /** Browser mode (no `path` given): fetch the finished file here (a GET on the same origin; the cookie is the token). */
  downloadUrl?: string;
}

/** Sent to the client that started the export, about every 250 ms while it runs and once at the end (`done`). */
export interface ExportProgress {
  exportId: string;
  /** Data rows written so far (a CSV header is not counted). */
  rows: number;
  /** Bytes written to the file so far. */
  bytes: number;
  elapsedMs: number;
  /** The export has ended: finished, failed (`error`) or cancelled. Only a finished export leaves a file. */
  done: boolean;
  /** Why it failed, e.g. the server's SQL error. The partial file was deleted. */
  error?: CabinetErrorData;
  /** It was cancelled (by exports/cancel, or because its client went away); the partial file was deleted. */
  cancelled?: boolean;
}

export interface ExportStatus extends ExportProgress {
  format: ExportFormat;
  path: string;
  fileName: string;
  /** Browser mode: where the finished file can still be fetched (it is deleted once downloaded). */
  downloadUrl?: string;
}

/** A statement of up to 64 MB, as a query tab accepts. */
const sql = z.string().min(1, { error: () => 'the SQL is empty' }).max(64 * 1024 * 1024);
const name = z.string().min(1).max(LIMITS.name);

export const exportStartSchema = z.strictObject({
  connectionId: idSchema,
  /** Run on this database of the connection (its default when absent). */
  database: z.string().max(LIMITS.name).optional(),
  /** One statement that returns rows; for a table, `SELECT * FROM <its quoted name>`. */
  sql,
  format: z.enum(EXPORT_FORMATS),
  /** SQL format: the INSERT target, one name or its qualified parts (`["public", "users"]`). `exported` when absent. */
  table: z.union([name, z.array(name).min(1).max(3)]).optional(),
  /** SQL format: rows per INSERT statement, 100 when absent. */
  rowsPerInsert: z.number().int().min(1).max(10_000).optional(),
  /** CSV: a first line with the column names; true when absent. */
  headers: z.boolean().optional(),
  /** Names the download, e.g. the table or the query tab's title (the file name is made safe). */
  name: z.string().max(LIMITS.name).optional(),
  /**
   * The file to write (absolute): the desktop passes what the user chose in the save dialog. An existing file
   * is replaced only when the export finishes; until then Cabinet writes a hidden partial file beside it.
   * Absent in browser mode: the core writes into its download folder, and the file is fetched from `downloadUrl`.
   */
  path: absolutePathSchema.optional(),
});

export const exportMethods = {
  /**
   * Starts an export and answers once its session is open and its file created; the rows follow in the
   * background, reported by `exports/progress`. A failing statement arrives as the final progress's `error`.
   */
  'exports/start': method<ExportStarted>()(exportStartSchema),
  /** Stops a running export (the statement is cancelled on the server) and deletes its partial file. */
  'exports/cancel': method<{ cancelled: boolean }>()(z.strictObject({ exportId: idSchema })),
  'exports/status': method<ExportStatus>()(z.strictObject({ exportId: idSchema })),
};

export interface ExportEvents {
  'exports/progress': ExportProgress;
}
