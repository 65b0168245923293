/** What row editing writes to: one table, whose rows a grid shows (a table's Data view, or a query result). */
import type { BrowseColumn, BrowseTableInfo } from '../../../../shared/browse.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import type { CellValue } from '../../../../shared/values.ts';

/** A grid column as row editing sees it: the table column it shows, or why it cannot be edited. */
export type EditableColumn = { table: BrowseColumn } | { readOnly: string };

export interface EditableTarget {
  connectionId: string;
  /** Whose rules the editors check values by. */
  engine: Engine;
  /** The table's tree path: where the change set goes. */
  path: string[];
  /** Per grid column (source index). */
  columns: readonly EditableColumn[];
  /** The table's key columns, each shown in a grid column; null when rows cannot be told apart. */
  key: readonly string[] | null;
  /** Why no row can be changed; null when rows can be (then `key` is set). */
  readOnly: string | null;
  /** New rows can be added. */
  canInsert: boolean;
}

/** What an apply wrote, by grid row: updated rows as the database now holds them (by table column), deleted rows. */
export interface AppliedRows {
  /** Null when the row could not be read again. */
  updated: Map<number, Record<string, CellValue> | null>;
  deleted: number[];
}

/** A table's Data view: every column is the table's own. */
export function tableTarget(connectionId: string, engine: Engine, path: string[], info: BrowseTableInfo, readOnlyConnection: boolean): EditableTarget {
  return {
    connectionId,
    engine,
    path,
    columns: info.columns.map((table) => ({ table })),
    key: info.key?.columns ?? null,
    readOnly: readOnlyConnection ? 'Read-only connection' : info.key ? null : 'No primary or unique key: rows can be inserted, not updated or deleted',
    canInsert: !readOnlyConnection,
  };
}
