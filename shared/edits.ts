/**
 * Row editing: a change set for one table (updates, inserts, deletes), previewed as the exact SQL it becomes
 * and applied in one transaction. Values cross exactly (see shared/values.ts): text as the grid shows it,
 * NULL, or bytes as hex.
 */
import { z } from 'zod';
import { idSchema, LIMITS, method } from './contract.ts';
import type { SqlParam } from './browse.ts';
import type { CellValue } from './values.ts';

/** Far above a real cell (1 MB text is tested), and under the socket's 64 MB message bound. */
export const MAX_EDIT_TEXT = 16 * 1024 * 1024;
/** Pending changes of each kind in one change set. */
export const MAX_CHANGES = 10_000;
/** Columns named in one record; PostgreSQL allows 1,600 per table, MySQL 4,096. */
const MAX_RECORD_COLUMNS = 4096;

const columnName = z.string().min(1).max(LIMITS.name);
const treePath = z.array(z.string().max(LIMITS.name)).min(1).max(LIMITS.treeDepth);

/** A value to write or compare: the grid's text, NULL, or bytes as hex (`length` may come along from a cell, and is ignored). */
export const editValueSchema = z.union([
  z.string().max(MAX_EDIT_TEXT),
  z.null(),
  z.strictObject({
    kind: z.literal('bytes'),
    hex: z.string().max(MAX_EDIT_TEXT).regex(/^(?:[0-9a-fA-F]{2})*$/, { error: () => 'expected hex digits, two per byte' }),
    length: z.number().int().min(0).optional(),
  }),
]);
export type EditValue = z.infer<typeof editValueSchema>;

const record = <T extends z.ZodType>(value: T) =>
  z.record(columnName, value).refine((r) => Object.keys(r).length <= MAX_RECORD_COLUMNS, { error: () => `at most ${MAX_RECORD_COLUMNS} columns` });
const valueRecord = record(editValueSchema);

export const changeSetSchema = z.strictObject({
  /**
   * `key`: the row's key values as the user saw them (so a key column can be edited); `set`: the new values;
   * `expected`: the values the user saw in the edited columns, checked before the row is written.
   */
  updates: z.array(z.strictObject({ key: valueRecord, set: valueRecord, expected: valueRecord })).max(MAX_CHANGES).default([]),
  /** Columns left out, or given as `{ default: true }`, take the column's default. */
  inserts: z
    .array(z.strictObject({ values: record(z.union([editValueSchema, z.strictObject({ default: z.literal(true) })])) }))
    .max(MAX_CHANGES)
    .default([]),
  /** `expected`: values the user saw, checked too (the key alone finds the row). */
  deletes: z.array(z.strictObject({ key: valueRecord, expected: valueRecord.optional() })).max(MAX_CHANGES).default([]),
});
export type ChangeSet = z.input<typeof changeSetSchema>;
export type ParsedChangeSet = z.output<typeof changeSetSchema>;
export type UpdateChange = ParsedChangeSet['updates'][number];
export type InsertChange = ParsedChangeSet['inserts'][number];
export type DeleteChange = ParsedChangeSet['deletes'][number];

export type ChangeKind = 'update' | 'insert' | 'delete';
/** One change of the set: its kind and its index in that kind's list. */
export interface ChangeRef {
  kind: ChangeKind;
  index: number;
}

export interface EditStatement {
  change: ChangeRef;
  /** `$1`… on PostgreSQL, `?` on MySQL: the values are the parameters, never in the text. */
  sql: string;
  /** Text or NULL; bytes travel as their hex text (decoded by the statement: `decode($1, 'hex')`, `UNHEX(?)`). */
  params: SqlParam[];
}

export interface EditPreview {
  engine: 'postgres' | 'mysql';
  /** In the order apply runs them: deletes, then updates, then inserts; all in one transaction. */
  statements: EditStatement[];
}

/** A row the database holds after the apply, in the table's column order (`columns`). */
export interface AppliedRow {
  change: ChangeRef;
  /** Null when the row cannot be found again (a MySQL insert whose key the server made up without AUTO_INCREMENT). */
  values: CellValue[] | null;
}

export interface EditConflict {
  change: ChangeRef;
  /** What the user saw: the key, and the edited (or, for a delete, the given) columns. */
  expected: Record<string, EditValue>;
  /** The row as it is now, read by the key the user saw; null when it was deleted. */
  current: Record<string, CellValue> | null;
}

export type ApplyResult =
  | {
      status: 'applied';
      statements: EditStatement[];
      columns: string[];
      /** Updated and inserted rows, read again (defaults, triggers and generated values included). */
      rows: AppliedRow[];
      elapsedMs: number;
    }
  /** A row changed or vanished underneath: nothing was written. */
  | { status: 'conflict'; conflicts: EditConflict[] }
  /**
   * The server refused a statement (a unique, foreign key, check or not-null constraint, a value that does not
   * fit its type): nothing was written. `change` is null when the failure came at COMMIT (a deferred constraint).
   */
  | {
      status: 'failed';
      change: ChangeRef | null;
      /**
       * The table column to mark on the change's row: the one the server named (PostgreSQL's error fields, MySQL's
       * message), else the first of the constraint's columns (from the catalog), else the only column an update set.
       */
      column: string | null;
      /** Every column of the table the failure concerns (a composite unique or foreign key: all of them), `column` first. */
      columns: string[];
      constraint: string | null;
      message: string;
      detail: string | null;
      sqlState: string | null;
    };

const editInput = z.strictObject({ connectionId: idSchema, path: treePath, changes: changeSetSchema });

export const editMethods = {
  /** The statements a change set becomes, per the table's engine, with their parameters; nothing runs. */
  'edits/preview': method<EditPreview>()(editInput),
  /**
   * Runs the change set in one transaction on a session of its own. Refused before any SQL runs (BAD_INPUT,
   * one line): a read-only connection, an update or delete on a table without a key, a generated column
   * written, a view the engine does not report updatable.
   */
  'edits/apply': method<ApplyResult>()(editInput),
};
