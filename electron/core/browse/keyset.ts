/**
 * Keyset predicates: "the rows after (or before) this row in the current order", written so that NULLs are
 * right and an index on the leading sort column can start at the anchor.
 *
 * A row-value comparison `(a, b) > (x, y)` is wrong as soon as a value is NULL (the comparison is unknown,
 * and the row is dropped), so the predicate is expanded column by column. It comes back as a list of
 * SEGMENTS: disjoint predicates whose rows follow one another in the order, the first segment's rows first.
 * A single segment is the common case; a nullable column whose NULLs sort after the anchor adds a segment
 * for them, because `(a > x OR a IS NULL)` would stop the server from starting an index scan at x.
 */
import type { CellValue } from '../../../shared/values.ts';
import type { StatementBuilder } from './statement.ts';
import type { ColumnMeta } from './table-meta.ts';

export interface OrderTerm {
  column: Pick<ColumnMeta, 'name' | 'nullable' | 'typeClass' | 'dataType'>;
  /** Where the column's value is in a row as read. */
  index: number;
  descending: boolean;
}

export type Comparison = '<' | '<=' | '=' | '>=' | '>';

export type Predicate =
  | { kind: 'compare'; term: OrderTerm; op: Comparison; value: CellValue }
  | { kind: 'null'; term: OrderTerm; negated: boolean }
  | { kind: 'and'; items: Predicate[] }
  | { kind: 'or'; items: Predicate[] };

/** Whether NULLs of this term come before its values, with the engine's default placement. */
export function nullsFirst(term: OrderTerm, nullsSortHigh: boolean): boolean {
  return nullsSortHigh ? term.descending : !term.descending;
}

/** The same order read from the other end: every direction flips, and with it where NULLs go. */
export function reverseOrder(terms: readonly OrderTerm[]): OrderTerm[] {
  return terms.map((t) => ({ ...t, descending: !t.descending }));
}

const compare = (term: OrderTerm, op: Comparison, value: CellValue): Predicate => ({ kind: 'compare', term, op, value });
const isNull = (term: OrderTerm, negated = false): Predicate => ({ kind: 'null', term, negated });
const and = (...items: Predicate[]): Predicate => ({ kind: 'and', items });
const or = (...items: Predicate[]): Predicate => ({ kind: 'or', items });

/**
 * The rows strictly after `values` (one per term) in the order `terms`, as ordered disjoint segments.
 * An empty list: nothing can follow (the anchor is the last possible row).
 */
export function afterSegments(terms: readonly OrderTerm[], values: readonly CellValue[], nullsSortHigh: boolean, from = 0): Predicate[] {
  if (from >= terms.length) return [];
  const term = terms[from]!;
  const value = values[from] ?? null;
  const rest = afterSegments(terms, values, nullsSortHigh, from + 1);
  const nullsLead = nullsFirst(term, nullsSortHigh);
  if (value === null) {
    // Rows tied on NULL, then (when NULLs lead) every non-NULL row.
    const tied = rest.map((segment) => and(isNull(term), segment));
    return nullsLead ? [...tied, isNull(term, true)] : tied;
  }
  const beyond: Comparison = term.descending ? '<' : '>';
  const fromHere: Comparison = term.descending ? '<=' : '>=';
  let segments: Predicate[];
  if (rest.length === 0) {
    segments = [compare(term, beyond, value)];
  } else {
    // Ties on this column come before the rows beyond it; the last tie segment and "beyond" are contiguous,
    // so they merge into one predicate with a range on this column (`a >= x AND (a > x OR …)`).
    const last = rest[rest.length - 1]!;
    segments = [
      ...rest.slice(0, -1).map((segment) => and(compare(term, '=', value), segment)),
      and(compare(term, fromHere, value), or(compare(term, beyond, value), last)),
    ];
  }
  if (!nullsLead && term.column.nullable) segments.push(isNull(term));
  return segments;
}

/** The rows strictly before `values`: the rows after them in the reversed order, nearest first. */
export function beforeSegments(terms: readonly OrderTerm[], values: readonly CellValue[], nullsSortHigh: boolean): Predicate[] {
  return afterSegments(reverseOrder(terms), values, nullsSortHigh);
}

export function renderPredicate(predicate: Predicate, sql: StatementBuilder): string {
  switch (predicate.kind) {
    case 'compare':
      return `${sql.ident(predicate.term.column.name)} ${predicate.op} ${sql.param(predicate.value, predicate.term.column)}`;
    case 'null':
      return `${sql.ident(predicate.term.column.name)} IS ${predicate.negated ? 'NOT ' : ''}NULL`;
    case 'and':
      return predicate.items.map((p) => wrap(p, sql)).join(' AND ');
    case 'or':
      return predicate.items.map((p) => wrap(p, sql)).join(' OR ');
  }
}

function wrap(predicate: Predicate, sql: StatementBuilder): string {
  const text = renderPredicate(predicate, sql);
  return predicate.kind === 'and' || predicate.kind === 'or' ? `(${text})` : text;
}

/** `ORDER BY` terms with the engine's default NULL placement (see BrowseDialect.nullsSortHigh). */
export function orderByList(terms: readonly OrderTerm[], sql: StatementBuilder): string[] {
  return terms.map((t) => `${sql.ident(t.column.name)} ${t.descending ? 'DESC' : 'ASC'}`);
}

/** The values of the order's columns in a row: what an anchor remembers. */
export function orderValues(terms: readonly OrderTerm[], row: readonly CellValue[]): CellValue[] {
  return terms.map((t) => row[t.index] ?? null);
}
