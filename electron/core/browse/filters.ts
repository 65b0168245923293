/**
 * Column filters as SQL: every value a parameter, every column quoted by the engine's rules, all of them
 * AND-ed. What can be refused before the server sees it (an unknown column, ILIKE on MySQL, a MySQL number
 * that is not a number) is refused here with a message naming the column.
 */
import type { BrowseFilter } from '../../../shared/browse.ts';
import { CabinetError } from '../../../shared/errors.ts';
import type { BrowseDialect } from './dialect.ts';
import type { StatementBuilder } from './statement.ts';
import type { ColumnMeta } from './table-meta.ts';

export interface ResolvedFilter {
  filter: BrowseFilter;
  column: ColumnMeta;
}

/** The escape character of `contains` patterns: not the backslash, whose meaning in literals differs by server mode. */
const LIKE_ESCAPE = '!';

/** `%value%` with the value's own `%`, `_` and `!` matching literally (`ESCAPE '!'`). */
export function containsPattern(value: string): string {
  return `%${value.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c)}%`;
}

export function filterValues(filter: BrowseFilter): string[] {
  if ('values' in filter) return [...filter.values];
  if ('value' in filter) return [filter.value];
  return [];
}

/** Operators whose values the server reads as the column's own type (so a bad value is an error, not a miss). */
export function comparesAsColumnType(filter: BrowseFilter): boolean {
  return !['contains', 'like', 'ilike', 'is-null', 'is-not-null'].includes(filter.op);
}

export function columnNamed(columns: readonly ColumnMeta[], name: string, what: string): ColumnMeta {
  const column = columns.find((c) => c.name === name);
  if (!column) {
    throw new CabinetError({ code: 'BAD_INPUT', message: `${what} names the column "${name.slice(0, 100)}", which this table does not have.` });
  }
  return column;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * MySQL compares a number column with text it cannot read as a number by quietly reading it as 0, so
 * `id = 'abc'` would show the rows whose id is 0. A value that is not a number is refused instead.
 */
export function mysqlNumberProblem(column: ColumnMeta, value: string): string | null {
  const text = value.trim();
  const ok =
    column.typeClass === 'integer' ? INTEGER.test(text) : column.typeClass === 'decimal' ? DECIMAL.test(text) : column.typeClass === 'float' ? FLOAT.test(text) : true;
  if (ok) return null;
  const kind = column.typeClass === 'integer' ? 'a whole number' : 'a number';
  return `The filter on "${column.name}" needs ${kind} (the column is ${column.type}), and "${value.slice(0, 100)}" is not one.`;
}

export function resolveFilters(filters: readonly BrowseFilter[], columns: readonly ColumnMeta[], dialect: BrowseDialect): ResolvedFilter[] {
  return filters.map((filter) => {
    const column = columnNamed(columns, filter.column, 'A filter');
    if (filter.op === 'ilike' && !dialect.supportsIlike) {
      throw new CabinetError({
        code: 'BAD_INPUT',
        message: `ILIKE is PostgreSQL's. On MySQL, LIKE is already case-insensitive with the usual collations; or use "contains".`,
      });
    }
    if (dialect.engine === 'mysql' && comparesAsColumnType(filter)) {
      for (const value of filterValues(filter)) {
        const problem = mysqlNumberProblem(column, value);
        if (problem) throw new CabinetError({ code: 'SQL_ERROR', message: problem });
      }
    }
    return { filter, column };
  });
}

export function renderFilter({ filter, column }: ResolvedFilter, sql: StatementBuilder): string {
  const name = sql.ident(column.name);
  const asText = sql.dialect.isText(column) ? name : sql.dialect.asText(name, column);
  switch (filter.op) {
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${name} ${filter.op} ${sql.param(filter.value, column)}`;
    case 'contains':
      // Case-insensitive on both engines, whatever the column's collation.
      return sql.dialect.supportsIlike
        ? `${asText} ILIKE ${sql.param(containsPattern(filter.value))} ESCAPE '${LIKE_ESCAPE}'`
        : `LOWER(${asText}) LIKE LOWER(${sql.param(containsPattern(filter.value))}) ESCAPE '${LIKE_ESCAPE}'`;
    case 'like':
      return `${asText} LIKE ${sql.param(filter.value)}`;
    case 'ilike':
      return `${asText} ILIKE ${sql.param(filter.value)}`;
    case 'in':
      return `${name} IN (${filter.values.map((v) => sql.param(v, column)).join(', ')})`;
    case 'between':
      return `${name} BETWEEN ${sql.param(filter.values[0], column)} AND ${sql.param(filter.values[1], column)}`;
    case 'is-null':
      return `${name} IS NULL`;
    case 'is-not-null':
      return `${name} IS NOT NULL`;
  }
}
