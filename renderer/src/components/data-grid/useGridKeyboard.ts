/**
 * Keyboard of the focused grid: arrows, Page Up/Down, Home/End, Ctrl+Home/Ctrl+End move the active
 * cell (Shift extends the range), Ctrl+A selects all, Escape collapses the range, Enter opens the
 * active cell. Ctrl+C is not here: the grid answers the `copy` event, which carries the clipboard.
 */
import { useCallback, type KeyboardEvent } from 'react';
import { moveSelection, moveTarget, rangeOf, selectAll, type CellPosition, type GridDimensions, type SelectionState } from './gridNavigation.ts';

interface GridKeyboardOptions {
  selection: SelectionState | null;
  setSelection: (selection: SelectionState | null) => void;
  dimensions: GridDimensions;
  /** Where a first move starts when nothing is selected yet. */
  firstVisible: CellPosition;
  /** Scrolls so that a cell is on screen. */
  reveal: (cell: CellPosition) => void;
  open: (cell: CellPosition) => void;
}

export function useGridKeyboard({ selection, setSelection, dimensions, firstVisible, reveal, open }: GridKeyboardOptions) {
  return useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      // Keys typed into a button or an input inside a cell are theirs.
      const target = event.target as HTMLElement;
      if (target !== event.currentTarget && target.closest('button, input, textarea, select, a')) return;
      if (event.altKey || dimensions.rows <= 0 || dimensions.cols <= 0) return;
      const ctrl = event.ctrlKey || event.metaKey;

      if (ctrl && (event.key === 'a' || event.key === 'A')) {
        setSelection(selectAll(dimensions));
        event.preventDefault();
        return;
      }
      if (event.key === 'Escape' && selection) {
        const { active } = selection;
        const range = rangeOf(selection);
        if (range.top !== range.bottom || range.left !== range.right) {
          setSelection({ anchor: active, active });
          event.preventDefault();
        }
        return;
      }
      if (event.key === 'Enter' && selection) {
        open(selection.active);
        event.preventDefault();
        return;
      }

      const from = selection?.active ?? firstVisible;
      const destination = moveTarget({ key: event.key, ctrl, shift: event.shiftKey }, from, dimensions);
      if (!destination) return;
      event.preventDefault();
      // With nothing selected, an arrow selects the first visible cell rather than moving past it.
      const next = selection || !event.key.startsWith('Arrow') ? destination : firstVisible;
      setSelection(moveSelection(selection, next, event.shiftKey));
      reveal(next);
    },
    [selection, setSelection, dimensions, firstVisible, reveal, open],
  );
}
