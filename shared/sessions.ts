/**
 * Query sessions: a query tab's own connection, its statements, their results read by row index, cancel.
 * A session belongs to the client (window, browser tab) that opened it and closes when that client goes.
 */
import { z } from 'zod';
import { idSchema, LIMITS, method } from './contract.ts';
import type { BrowseColumn, BrowseRelationKind, TableRef } from './browse.ts';
import type { Engine } from './profiles.ts';
import type { CellValue, ColumnInfo } from './values.ts';

export type TransactionState = 'idle' | 'open' | 'failed';

export interface SessionInfo {
  sessionId: string;
  connectionId: string;
  database: string;
  engine: Engine;
  /** False where the server cannot be asked to cancel a statement (the embedded demo). */
  canCancel: boolean;
}

/** A notice (RAISE NOTICE) or warning the server sent while a statement ran. */
export interface ServerMessageData {
  severity: string;
  message: string;
  code?: string;
}

/**
 * Whether a result's rows can be edited in the grid: they come from exactly one table (or updatable view), and
 * the result shows its key. Otherwise a one-line reason, said to the person as is.
 */
export type ResultOrigin =
  | {
      editable: true;
      table: TableRef & { kind: BrowseRelationKind };
      /** Per result column: the table column it shows, or null for an expression (read-only). */
      columns: (BrowseColumn | null)[];
      /** The table's key columns (by table column name), each shown by some result column. */
      key: string[];
    }
  | { editable: false; reason: string };

/** What one statement did: rows (a result to read by index) or a command (rows affected). */
export interface StatementOutcome {
  kind: 'rows' | 'command';
  /** For rows: the result to read with sessions/rows. */
  resultId?: string;
  columns: ColumnInfo[];
  /** For rows: whether they can be edited, and as which table's. */
  origin?: ResultOrigin;
  /** The first rows, so the grid can paint at once. */
  rows: CellValue[][];
  /** Rows read from the server so far. */
  rowCount: number;
  /** Every row has been read (the count is final). */
  complete: boolean;
  command?: string;
  rowsAffected?: number | null;
  elapsedMs: number;
  messages: ServerMessageData[];
  transaction: TransactionState;
}

export interface ResultWindow {
  rows: CellValue[][];
  rowCount: number;
  complete: boolean;
}

export interface SessionProgress {
  sessionId: string;
  resultId: string;
  rowCount: number;
  complete: boolean;
  /** Set when reading stopped early: by Stop, cancel, or an error. */
  stopped?: string;
}

/** A statement of up to 64 MB: a pasted dump is SQL too. */
const sql = z.string().min(1, { error: () => 'the SQL is empty' }).max(64 * 1024 * 1024);

export const sessionMethods = {
  'sessions/open': method<SessionInfo>()(z.strictObject({ connectionId: idSchema, database: z.string().max(LIMITS.name).optional() })),
  /** Runs one statement (the editor splits scripts). A previous result's open cursor is closed first. */
  'sessions/execute': method<StatementOutcome>()(
    z.strictObject({ sessionId: idSchema, sql, firstRows: z.number().int().min(0).max(5_000).optional() }),
  ),
  /** Rows [start, start + count) of a result; reading further on the server when the grid asks for them. */
  'sessions/rows': method<ResultWindow>()(
    z.strictObject({ resultId: idSchema, start: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), count: z.number().int().min(0).max(5_000) }),
  ),
  /** Stops reading a result (keeps the rows read so far). */
  'sessions/stop': method<ResultWindow>()(z.strictObject({ resultId: idSchema })),
  /** Cancels the statement running on a session, from a second connection; its session and transaction stay. */
  'sessions/cancel': method<{ cancelled: boolean; message: string }>()(z.strictObject({ sessionId: idSchema })),
  'sessions/status': method<{ transaction: TransactionState; running: boolean }>()(z.strictObject({ sessionId: idSchema })),
  'sessions/close-result': method<Record<string, never>>()(z.strictObject({ resultId: idSchema })),
  /** Closes a session; `finish` ends an open transaction first (rollback unless told to commit). */
  'sessions/close': method<Record<string, never>>()(
    z.strictObject({ sessionId: idSchema, finish: z.enum(['commit', 'rollback']).optional() }),
  ),
};

export interface SessionEvents {
  'sessions/progress': SessionProgress;
}
