import type { Engine } from '../../../../shared/profiles.ts';
import type { ResultOrigin } from '../../../../shared/sessions.ts';
import type { ColumnInfo } from '../../../../shared/values.ts';
import type { EditableTarget } from '../row-editing/editableTarget.ts';

/**
 * A query result as row editing sees it: the rows of the one table it comes from, edited by that table's key;
 * a column computed by the query is read-only. Rows are changed or deleted, never added: new rows belong in
 * the table's own grid.
 */
export function resultTarget(connectionId: string, engine: Engine, columns: readonly ColumnInfo[], origin: ResultOrigin | undefined): EditableTarget | null {
  if (!origin) return null;
  if (!origin.editable) return { connectionId, engine, path: [], columns: [], key: null, readOnly: origin.reason, canInsert: false };
  return {
    connectionId,
    engine,
    path: origin.table.path,
    columns: origin.columns.map((table, i) => (table ? { table } : { readOnly: `${columns[i]?.name ?? 'This column'} is computed by the query, not a column of ${origin.table.name}: it cannot be edited` })),
    key: origin.key,
    readOnly: null,
    canInsert: false,
  };
}
