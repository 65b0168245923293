import { useState } from 'react';
import type { BrowseColumn, BrowseFilter, FilterOperator } from '../../../../shared/browse.ts';
import { CloseIcon, PlusIcon } from '../../components/Icons.tsx';

const OPERATOR_LABELS: Record<FilterOperator, string> = {
  '=': '=',
  '<>': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  contains: 'contains',
  like: 'LIKE',
  ilike: 'ILIKE',
  in: 'IN list',
  'is-null': 'IS NULL',
  'is-not-null': 'IS NOT NULL',
  between: 'between',
};

/** A filter row as typed: every operator's values as text, turned into the contract's shape on Apply. */
export interface DraftFilter {
  column: string;
  op: FilterOperator;
  value: string;
  second: string;
}

export function toFilter(draft: DraftFilter): BrowseFilter {
  switch (draft.op) {
    case 'is-null':
    case 'is-not-null':
      return { column: draft.column, op: draft.op };
    case 'in':
      return { column: draft.column, op: 'in', values: draft.value.split(',').map((v) => v.trim()) };
    case 'between':
      return { column: draft.column, op: 'between', values: [draft.value, draft.second] };
    default:
      return { column: draft.column, op: draft.op, value: draft.value };
  }
}

export function toDraft(filter: BrowseFilter): DraftFilter {
  if ('values' in filter) {
    return filter.op === 'between'
      ? { column: filter.column, op: 'between', value: filter.values[0], second: filter.values[1] }
      : { column: filter.column, op: filter.op, value: filter.values.join(', '), second: '' };
  }
  return { column: filter.column, op: filter.op, value: 'value' in filter ? filter.value : '', second: '' };
}

/** Per-column filters, AND-ed, and a raw WHERE for anything else; applied on the server. */
export function FilterBar({
  columns,
  engine,
  initial,
  initialWhere,
  onApply,
}: {
  columns: BrowseColumn[];
  engine: 'postgres' | 'mysql';
  initial: DraftFilter[];
  initialWhere: string;
  onApply: (filters: DraftFilter[], where: string) => void;
}) {
  const [drafts, setDrafts] = useState<DraftFilter[]>(initial);
  const [where, setWhere] = useState(initialWhere);
  const operators = (Object.keys(OPERATOR_LABELS) as FilterOperator[]).filter((op) => op !== 'ilike' || engine === 'postgres');
  const change = (index: number, patch: Partial<DraftFilter>) => setDrafts((list) => list.map((d, i) => (i === index ? { ...d, ...patch } : d)));

  return (
    <form
      className="filter-bar"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(drafts, where);
      }}
    >
      {drafts.map((draft, i) => (
        <div key={i} className="filter-bar__row" role="group" aria-label={`Filter ${i + 1}`}>
          <select aria-label="Column" value={draft.column} onChange={(e) => change(i, { column: e.target.value })}>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <select aria-label="Operator" value={draft.op} onChange={(e) => change(i, { op: e.target.value as FilterOperator })}>
            {operators.map((op) => (
              <option key={op} value={op}>
                {OPERATOR_LABELS[op]}
              </option>
            ))}
          </select>
          {draft.op === 'is-null' || draft.op === 'is-not-null' ? null : (
            <input
              aria-label="Value"
              className="mono"
              placeholder={draft.op === 'in' ? 'a, b, c' : draft.op === 'between' ? 'from' : 'value'}
              value={draft.value}
              onChange={(e) => change(i, { value: e.target.value })}
            />
          )}
          {draft.op === 'between' ? <input aria-label="Second value" className="mono" placeholder="to" value={draft.second} onChange={(e) => change(i, { second: e.target.value })} /> : null}
          <button type="button" className="icon-button" aria-label={`Remove filter ${i + 1}`} onClick={() => setDrafts((list) => list.filter((_, j) => j !== i))}>
            <CloseIcon size={11} />
          </button>
        </div>
      ))}
      <div className="filter-bar__row">
        <button
          type="button"
          className="button button--small"
          onClick={() => setDrafts((list) => [...list, { column: columns[0]?.name ?? '', op: '=', value: '', second: '' }])}
        >
          <PlusIcon size={11} /> Add filter
        </button>
        <label className="filter-bar__where">
          <span>WHERE</span>
          <input className="mono" aria-label="WHERE" placeholder="any condition, e.g. total > 10 and name like 'A%'" value={where} onChange={(e) => setWhere(e.target.value)} />
        </label>
        <button type="submit" className="button button--small button--primary">
          Apply
        </button>
      </div>
    </form>
  );
}
