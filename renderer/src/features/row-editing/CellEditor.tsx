import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import type { BrowseColumn } from '../../../../shared/browse.ts';
import type { EditValue } from '../../../../shared/edits.ts';
import type { ValueRule } from './valueRules.ts';

/** Text longer than this, or with a line break, is edited in a textarea. */
const LONG_TEXT = 80;

/**
 * The inline editor over a cell, fitted to the column: a text field (a textarea for long or multi-line text,
 * JSON and arrays; Shift+Enter turns a field into one), a list for booleans and enums, a box per member for a
 * MySQL set. Enter (Ctrl+Enter in a textarea) or Tab commits, Escape cancels, Ctrl+Shift+N or the NULL button
 * sets NULL. The text is checked by the column's rule before it is accepted.
 */
export function CellEditor({
  column,
  rule,
  initial,
  onCommit,
  onCancel,
}: {
  column: BrowseColumn;
  rule: ValueRule;
  initial: string;
  onCommit: (value: EditValue) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [multiline, setMultiline] = useState(rule.multiline && (initial.length > LONG_TEXT || initial.includes('\n')));
  /** A list's choice made with the keyboard (arrows, letters) waits for Enter; one picked with the mouse commits. */
  const keyed = useRef(false);
  // Focus without scrolling: the grid's body clips its rows, and a browser scrolling it to show the editor would
  // shift the rows away from their header.
  const focusOnMount = useCallback((element: HTMLElement | null) => element?.focus({ preventScroll: true }), []);

  const commit = (value = text) => {
    const parsed = rule.check(value);
    if (parsed.ok) onCommit(parsed.value);
    else setError(parsed.message);
  };
  const setNull = () => {
    if (column.nullable) onCommit(null);
    else setError(`${column.name} cannot be NULL`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    event.stopPropagation();
    keyed.current = true;
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (event.key === 'Enter' && event.shiftKey && rule.multiline && !multiline) {
      event.preventDefault();
      setText((t) => `${t}\n`);
      setMultiline(true);
    } else if (event.key === 'Tab' || (event.key === 'Enter' && (!multiline || ctrl))) {
      event.preventDefault();
      commit();
    } else if (ctrl && event.shiftKey && (event.key === 'N' || event.key === 'n')) {
      event.preventDefault();
      setNull();
    }
  };

  const label = `Edit ${column.name}`;
  let control;
  if (rule.editor === 'boolean' || rule.editor === 'enum') {
    const choices = rule.choices.includes(initial) ? rule.choices : [initial, ...rule.choices];
    control = (
      <select
        aria-label={label}
        className="cell-editor__input"
        value={text}
        ref={focusOnMount}
        onKeyDown={onKeyDown}
        onChange={(e) => {
          setText(e.target.value);
          if (!keyed.current) commit(e.target.value);
          keyed.current = false;
        }}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice} disabled={!rule.choices.includes(choice)}>
            {choice === '' ? '(empty)' : choice}
          </option>
        ))}
      </select>
    );
  } else if (rule.editor === 'set') {
    const chosen = new Set(text.split(',').filter((m) => m !== ''));
    control = (
      <div role="group" aria-label={label} className="cell-editor__set" onKeyDown={onKeyDown}>
        {rule.choices.map((member, i) => (
          <label key={member}>
            <input
              type="checkbox"
              ref={i === 0 ? focusOnMount : undefined}
              checked={chosen.has(member)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(member);
                else next.delete(member);
                setText(rule.choices.filter((m) => next.has(m)).join(','));
              }}
            />
            {member}
          </label>
        ))}
        <button type="button" className="button button--small" onClick={() => commit()}>
          Set
        </button>
      </div>
    );
  } else {
    const common = {
      'aria-label': label,
      'aria-invalid': error !== null,
      className: 'cell-editor__input mono',
      value: text,
      placeholder: rule.hint,
      ref: focusOnMount,
      spellCheck: false,
      onChange: (e: { target: { value: string } }) => {
        setText(e.target.value);
        setError(null);
      },
      onKeyDown,
    };
    control = multiline ? <textarea rows={6} {...common} /> : <input type="text" {...common} />;
  }

  return (
    <div className="cell-editor" onDoubleClick={(e) => e.stopPropagation()}>
      {control}
      <button
        type="button"
        className="cell-editor__null"
        title={column.nullable ? 'Set NULL (Ctrl+Shift+N)' : 'This column is NOT NULL'}
        disabled={!column.nullable}
        onMouseDown={(e) => e.preventDefault()}
        onClick={setNull}
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
