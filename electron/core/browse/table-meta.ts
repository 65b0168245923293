import type { BrowseColumn, BrowseRelationKind, ForeignKeyLink, RowKey, RowTotal, TableRef } from '../../../shared/browse.ts';

/** A column as the core reads it: what the client sees, plus the engine's base type name (lower case). */
export interface ColumnMeta extends BrowseColumn {
  /** `int4`, `varchar`, `enum`, `float`… : the base type, after domains; what value checks and casts go by. */
  dataType: string;
}

/** What a row source needs to know about its table, read once when it is opened. */
export interface TableMeta {
  table: TableRef & { kind: BrowseRelationKind };
  /** The relation as SQL: `"schema"."name"` or `` `db`.`name` ``. */
  sqlName: string;
  columns: ColumnMeta[];
  key: RowKey | null;
  foreignKeys: ForeignKeyLink[];
  total: RowTotal;
  /**
   * A PostgreSQL table (not a view) has a physical row address: sorted reads of a table without a key break
   * ties by it, so OFFSET pages stay stable.
   */
  hasRowAddress: boolean;
  /** A PostgreSQL partitioned table: row addresses repeat across partitions, so `tableoid` joins them. */
  partitioned: boolean;
}
