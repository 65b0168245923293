/** Identifiers quoted by each engine's own rules; used by the core's SQL and by "Copy qualified name". */
import type { Engine } from './profiles.ts';

/** `"a""b"`: PostgreSQL doubles the quote character inside a quoted identifier. */
export function quotePostgresIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `` `a``b` ``: MySQL doubles the backtick inside a quoted identifier. */
export function quoteMysqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function quoteIdent(engine: Engine, name: string): string {
  return engine === 'postgres' ? quotePostgresIdent(name) : quoteMysqlIdent(name);
}

/** `"sales"."Order Items"` or `` `shop`.`Order Items` ``. */
export function qualifiedName(engine: Engine, parts: readonly string[]): string {
  return parts.map((part) => quoteIdent(engine, part)).join('.');
}
