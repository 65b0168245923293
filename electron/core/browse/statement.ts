import type { SqlParam } from '../../../shared/browse.ts';
import type { CellValue } from '../../../shared/values.ts';
import type { BrowseDialect, ColumnShape } from './dialect.ts';

/** How a parameter is shown beside its SQL: bytes as `\x…` hex, like the grid shows them. */
export function showParam(value: CellValue): SqlParam {
  return value !== null && typeof value === 'object' ? `\\x${value.hex}` : value;
}

/**
 * One statement being written: every value goes in as a parameter (never pasted into the text), in the
 * engine's placeholder style, and is remembered both as the driver needs it and as it is shown.
 */
export class StatementBuilder {
  readonly values: unknown[] = [];
  readonly shown: SqlParam[] = [];

  constructor(readonly dialect: BrowseDialect) {}

  /** A placeholder for `value`, compared with `column` (MySQL casts numbers so they compare exactly). */
  param(value: CellValue, column?: ColumnShape): string {
    this.values.push(this.dialect.bind(value));
    this.shown.push(showParam(value));
    return this.dialect.placeholder(this.values.length, column);
  }

  ident(name: string): string {
    return this.dialect.quoteIdent(name);
  }
}
