import { neverWritten, type BrowseColumn } from '../../../../shared/browse.ts';
import { isServerFilled } from './blockEdits.ts';
import type { InsertedRow } from './pendingStore.ts';
import type { ValueRule } from './valueRules.ts';

/** A new row's field: its text, NULL, or absent (DEFAULT). */
type FieldValue = string | null | undefined;

/** What the server puts in a column left out, as its header says. */
function fillNote(c: BrowseColumn): string {
  if (c.generated === 'stored' || c.generated === 'virtual') return 'generated';
  if (c.generated === 'identity-always') return 'identity, always';
  if (c.generated === 'identity-by-default') return 'identity';
  if (c.generated === 'auto-increment') return 'auto_increment';
  if (isServerFilled(c)) return 'serial';
  if (c.default !== null) return `default ${c.default}`;
  return c.nullable ? '' : 'required';
}

/**
 * Pending new rows, above the grid: a field per column, fitted to its type (a list for booleans and enums,
 * text checked by the column's rule elsewhere). Each field is a value, NULL, or DEFAULT (left out of the
 * INSERT); generated and identity-always columns are shown, never sent.
 */
export function NewRows({
  columns,
  rules,
  rows,
  problems,
  onChange,
  onRemove,
}: {
  columns: readonly BrowseColumn[];
  rules: readonly ValueRule[];
  rows: readonly InsertedRow[];
  /** Messages by `${id}:${column}` (a field its column does not take, or the server's refusal). */
  problems: ReadonlyMap<string, string>;
  onChange: (id: number, column: string, value: FieldValue) => void;
  onRemove: (id: number) => void;
}) {
  if (rows.length === 0) return null;
  return (
    <section className="new-rows" aria-label="New rows">
      <div className="new-rows__caption">New rows (pending inserts)</div>
      <div className="new-rows__scroll">
        <table className="new-rows__table">
          <thead>
            <tr>
              <th />
              {columns.map((c) => (
                <th key={c.name} className="mono" title={c.type}>
                  {c.name}
                  <span className="new-rows__type"> {fillNote(c)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id} aria-label={`New row ${i + 1}`}>
                <td>
                  <button type="button" className="icon-button" aria-label={`Remove new row ${i + 1}`} onClick={() => onRemove(row.id)}>
                    ×
                  </button>
                </td>
                {columns.map((c, index) => (
                  <td key={c.name}>
                    {neverWritten(c.generated) ? (
                      <span className="muted">(generated)</span>
                    ) : (
                      <NewRowField
                        column={c}
                        rule={rules[index]!}
                        label={`${c.name} of new row ${i + 1}`}
                        value={row.values[c.name]}
                        problem={problems.get(`${row.id}:${c.name}`) ?? null}
                        onChange={(value) => onChange(row.id, c.name, value)}
                      />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function NewRowField({
  column,
  rule,
  label,
  value,
  problem,
  onChange,
}: {
  column: BrowseColumn;
  rule: ValueRule;
  label: string;
  value: FieldValue;
  problem: string | null;
  onChange: (value: FieldValue) => void;
}) {
  const checked = typeof value === 'string' ? rule.check(value) : null;
  const message = problem ?? (checked && !checked.ok ? checked.message : null);
  let control;
  if (rule.editor === 'boolean' || rule.editor === 'enum') {
    // The list's own entries stand for DEFAULT and NULL.
    control = (
      <select
        aria-label={label}
        aria-invalid={message !== null}
        title={message ?? undefined}
        className="new-rows__input"
        value={value === undefined ? '\u0000default' : value === null ? '\u0000null' : value}
        onChange={(e) => onChange(e.target.value === '\u0000default' ? undefined : e.target.value === '\u0000null' ? null : e.target.value)}
      >
        <option value={'\u0000default'}>DEFAULT</option>
        {column.nullable ? <option value={'\u0000null'}>NULL</option> : null}
        {rule.choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice === '' ? '(empty)' : choice}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <input
        type="text"
        className="mono new-rows__input"
        aria-label={label}
        aria-invalid={message !== null}
        title={message ?? rule.hint}
        placeholder={value === null ? 'NULL' : value === undefined ? 'DEFAULT' : ''}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="new-rows__field">
      {control}
      {rule.editor === 'text' || rule.editor === 'set' ? (
        <>
          <button type="button" className="new-rows__flag" aria-label={`Set ${label} to NULL`} aria-pressed={value === null} disabled={!column.nullable} onClick={() => onChange(null)}>
            NULL
          </button>
          <button type="button" className="new-rows__flag" aria-label={`Set ${label} to DEFAULT`} aria-pressed={value === undefined} onClick={() => onChange(undefined)}>
            DEF
          </button>
        </>
      ) : null}
      {message ? <div className="new-rows__problem">{message}</div> : null}
    </div>
  );
}
