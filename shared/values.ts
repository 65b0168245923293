/**
 * A cell value as it crosses the boundary. Exact by construction:
 * - null is SQL NULL (distinct from '' and from the string 'NULL');
 * - every number, date, JSON and array is the server's own text;
 * - binary data is hex with its byte length.
 */
export type CellValue = string | null | BytesValue;

export interface BytesValue {
  kind: 'bytes';
  hex: string;
  length: number;
}

export function isBytes(value: CellValue): value is BytesValue {
  return typeof value === 'object' && value !== null && value.kind === 'bytes';
}

export interface ColumnInfo {
  name: string;
  /** The engine's own type name, e.g. `int8`, `numeric`, `BIGINT UNSIGNED`. */
  type: string;
}

export interface ResultSet {
  columns: ColumnInfo[];
  rows: CellValue[][];
  rowCount: number | null;
  command?: string;
}
