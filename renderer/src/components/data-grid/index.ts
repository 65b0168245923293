// The data grid's public surface: the component, its row source, and the copy formats.
export { DataGrid, HEADER_HEIGHT, MAX_COPY_ROWS, type DataGridColumn, type DataGridHandle, type DataGridProps, type GridEditor, type GridSelection } from './DataGrid.tsx';
export type { PlacedRows, RowSource } from './blockCache.ts';
export type { CellOverlay, CellOverlayState, RenderCellExtra } from './GridRows.tsx';
export type { SortDirection, SortKey } from './sortState.ts';
export type { RowAlign } from './scrollMapping.ts';
export {
  formatRows,
  mysqlLiteral,
  postgresLiteral,
  standardSqlLiteral,
  type CopyFormat,
  type CopyOptions,
  type SqlInsertOptions,
} from './copyFormats.ts';
