/**
 * Cell selection and keyboard movement, pure. Columns are display positions (what the user sees),
 * rows are row indices. A selection is one rectangle between an anchor and the active cell.
 */

export interface CellPosition {
  row: number;
  /** Display position of the column. */
  col: number;
}

export interface SelectionState {
  /** Where a Shift+click or Shift+arrow range starts. */
  anchor: CellPosition;
  /** The active cell: keyboard moves start here and it is scrolled into view. */
  active: CellPosition;
}

export interface CellRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface GridDimensions {
  rows: number;
  cols: number;
  /** Rows moved by Page Up/Down. */
  page: number;
}

export interface KeyChord {
  key: string;
  ctrl: boolean;
  shift: boolean;
}

export function rangeOf(selection: SelectionState): CellRange {
  const { anchor, active } = selection;
  return {
    top: Math.min(anchor.row, active.row),
    bottom: Math.max(anchor.row, active.row),
    left: Math.min(anchor.col, active.col),
    right: Math.max(anchor.col, active.col),
  };
}

export function clampCell(cell: CellPosition, dims: GridDimensions): CellPosition {
  return {
    row: Math.max(0, Math.min(dims.rows - 1, cell.row)),
    col: Math.max(0, Math.min(dims.cols - 1, cell.col)),
  };
}

/**
 * The cell a navigation key moves the active cell to, or null when the key is not a move.
 * Arrows move one cell (Ctrl+arrow to the edge), Page Up/Down a page, Home/End to the row's first or
 * last column, Ctrl+Home/Ctrl+End to the first or last row.
 */
export function moveTarget(chord: KeyChord, from: CellPosition, dims: GridDimensions): CellPosition | null {
  const lastRow = dims.rows - 1;
  const lastCol = dims.cols - 1;
  const { row, col } = from;
  let next: CellPosition;
  switch (chord.key) {
    case 'ArrowUp':
      next = { row: chord.ctrl ? 0 : row - 1, col };
      break;
    case 'ArrowDown':
      next = { row: chord.ctrl ? lastRow : row + 1, col };
      break;
    case 'ArrowLeft':
      next = { row, col: chord.ctrl ? 0 : col - 1 };
      break;
    case 'ArrowRight':
      next = { row, col: chord.ctrl ? lastCol : col + 1 };
      break;
    case 'PageUp':
      next = { row: row - dims.page, col };
      break;
    case 'PageDown':
      next = { row: row + dims.page, col };
      break;
    case 'Home':
      next = chord.ctrl ? { row: 0, col } : { row, col: 0 };
      break;
    case 'End':
      next = chord.ctrl ? { row: lastRow, col } : { row, col: lastCol };
      break;
    default:
      return null;
  }
  return clampCell(next, dims);
}

/** The selection after moving the active cell: Shift keeps the anchor (extends the range). */
export function moveSelection(current: SelectionState | null, target: CellPosition, extend: boolean): SelectionState {
  if (extend && current) return { anchor: current.anchor, active: target };
  return { anchor: target, active: target };
}

/** Every cell: the active cell goes to the first cell (not scrolled to), the anchor to the last. */
export function selectAll(dims: GridDimensions): SelectionState | null {
  if (dims.rows <= 0 || dims.cols <= 0) return null;
  return { anchor: { row: dims.rows - 1, col: dims.cols - 1 }, active: { row: 0, col: 0 } };
}
