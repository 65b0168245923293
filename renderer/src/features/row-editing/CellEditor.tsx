import { useState, type KeyboardEvent } from 'react';
import type { BrowseColumn } from '../../../../shared/browse.ts';
import type { EditValue } from '../../../../shared/edits.ts';
import { parseEditText } from './cellValues.ts';

/** Text longer than this, or with a line break, is edited in a textarea. */
const LONG_TEXT = 80;

/**
 * The inline editor over a cell: Enter (Ctrl+Enter in a textarea) or Tab commits, Escape cancels,
 * Ctrl+Shift+N or the NULL button sets NULL. The text is checked against the column's kind before it is accepted.
 */
export function CellEditor({
  column,
  initial,
  onCommit,
  onCancel,
}: {
  column: BrowseColumn;
  initial: string;
  onCommit: (value: EditValue) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const multiline = column.typeClass === 'text' || column.typeClass === 'json' || column.typeClass === 'other' ? initial.length > LONG_TEXT || initial.includes('\n') : false;

  const commit = () => {
    const parsed = parseEditText(text, column.typeClass);
    if (parsed.ok) onCommit(parsed.value);
    else setError(parsed.message);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    event.stopPropagation();
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Tab' || (event.key === 'Enter' && (!multiline || ctrl))) {
      event.preventDefault();
      commit();
    } else if (ctrl && event.shiftKey && (event.key === 'N' || event.key === 'n')) {
      event.preventDefault();
      if (column.nullable) onCommit(null);
      else setError(`${column.name} cannot be NULL`);
    }
  };

  const label = `Edit ${column.name}`;
  const common = {
    'aria-label': label,
    'aria-invalid': error !== null,
    className: 'cell-editor__input mono',
    value: text,
    autoFocus: true,
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => {
      setText(e.target.value);
      setError(null);
    },
    onKeyDown,
  };

  return (
    <div className="cell-editor" onDoubleClick={(e) => e.stopPropagation()}>
      {multiline ? <textarea rows={6} {...common} /> : <input type="text" {...common} />}
      <button
        type="button"
        className="cell-editor__null"
        title={column.nullable ? 'Set NULL (Ctrl+Shift+N)' : 'This column is NOT NULL'}
        disabled={!column.nullable}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onCommit(null)}
      >
        NULL
      </button>
      {error ? (
        <div className="cell-editor__error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
