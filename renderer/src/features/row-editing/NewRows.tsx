import type { BrowseColumn } from '../../../../shared/browse.ts';
import type { InsertedRow } from './pendingStore.ts';

/**
 * Pending new rows, above the grid: a field per writable column. An empty field takes the column's default
 * (it is left out of the INSERT); the NULL box sends NULL. Generated and identity columns are shown, not sent.
 */
export function NewRows({
  columns,
  rows,
  onChange,
  onRemove,
}: {
  columns: readonly BrowseColumn[];
  rows: readonly InsertedRow[];
  onChange: (id: number, column: string, value: string | null | undefined) => void;
  onRemove: (id: number) => void;
}) {
  if (rows.length === 0) return null;
  const generated = (c: BrowseColumn) => c.generated === 'stored' || c.generated === 'virtual' || c.generated === 'identity-always';
  return (
    <section className="new-rows" aria-label="New rows">
      <div className="new-rows__caption">New rows (pending inserts; an empty field takes the column's default)</div>
      <div className="new-rows__scroll">
        <table className="new-rows__table">
          <thead>
            <tr>
              <th />
              {columns.map((c) => (
                <th key={c.name} className="mono">
                  {c.name}
                  <span className="new-rows__type">{c.generated ? ` ${c.generated}` : c.default ? ' default' : ''}</span>
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
                {columns.map((c) => {
                  const value = row.values[c.name];
                  if (generated(c)) {
                    return (
                      <td key={c.name} className="muted">
                        (generated)
                      </td>
                    );
                  }
                  return (
                    <td key={c.name}>
                      <input
                        type="text"
                        className="mono new-rows__input"
                        aria-label={`${c.name} of new row ${i + 1}`}
                        placeholder={value === null ? 'NULL' : c.default ? 'DEFAULT' : c.nullable ? 'DEFAULT (NULL)' : ''}
                        disabled={value === null}
                        value={value ?? ''}
                        onChange={(e) => onChange(row.id, c.name, e.target.value === '' ? undefined : e.target.value)}
                      />
                      {c.nullable ? (
                        <label className="new-rows__null" title="NULL">
                          <input type="checkbox" checked={value === null} onChange={(e) => onChange(row.id, c.name, e.target.checked ? null : undefined)} />
                          NULL
                        </label>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
