/** Names as each engine reads and writes them: when a name needs quotes, and whether two names are the same. */
import type { Engine } from '../../../../../shared/profiles.ts';
import { isReserved } from './keywords.ts';

/** One part of a possibly qualified name as written in the statement. */
export interface NamePart {
  /** The name without quotes. */
  value: string;
  quoted: boolean;
}

const POSTGRES_PLAIN = /^[a-z_][a-z0-9_$]*$/;
/** Letters beyond ASCII are kept as written (PostgreSQL folds only A-Z in multibyte encodings). */
const POSTGRES_WIDE = /^[\p{Ll}\p{Lo}_][\p{Ll}\p{Lo}\p{M}\p{N}_$]*$/u;
/** MySQL reads U+0080..U+FFFF unquoted; letters outside the BMP (surrogate pairs) need quotes. */
const MYSQL_WIDE = /^[A-Za-z0-9_$\u0080-\uD7FF\uE000-\uFFFF]+$/;

/**
 * Whether the engine would read `name` differently unquoted. PostgreSQL folds unquoted names to lower case, so
 * `Album` needs quotes; MySQL keeps case, but spaces, symbols or a leading digit need them. Reserved words
 * need them on both.
 */
export function needsQuoting(engine: Engine, name: string): boolean {
  if (name === '') return true;
  if (isReserved(engine, name.toUpperCase())) return true;
  if (engine === 'postgres') return !(POSTGRES_PLAIN.test(name) || (POSTGRES_WIDE.test(name) && name === name.toLowerCase()));
  if (!MYSQL_WIDE.test(name) || /^[0-9]/.test(name)) return true;
  // Beyond ASCII, letters and digits only (no symbols such as U+00A0 or '€').
  return !/^[\p{L}\p{M}\p{N}_$]+$/u.test(name);
}

/** The quote character the engine uses for identifiers. */
export function identifierQuote(engine: Engine): string {
  return engine === 'postgres' ? '"' : '`';
}

/** `name` quoted with `quote` (the quote doubled inside). */
export function quoteWith(name: string, quote: string): string {
  return quote + name.split(quote).join(quote + quote) + quote;
}

/** The text to insert for `name`: as is when the engine reads it back unchanged, quoted otherwise. */
export function formatIdentifier(engine: Engine, name: string, forceQuote?: string): string {
  if (forceQuote) return quoteWith(name, forceQuote);
  return needsQuoting(engine, name) ? quoteWith(name, identifierQuote(engine)) : name;
}

/** The name the server looks up: PostgreSQL folds unquoted names to lower case (ASCII only). */
export function canonicalName(engine: Engine, part: NamePart): string {
  if (part.quoted || engine === 'mysql') return part.value;
  return part.value.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/**
 * Picks the entry of `items` that `part` names: the exact name first (after PostgreSQL's folding), then any
 * whose name matches ignoring case (MySQL's names are case-insensitive on many systems; a user who wrote
 * `Album` for a table `Album` created with quotes still means it).
 */
export function findByName<T>(engine: Engine, items: readonly T[], part: NamePart, nameOf: (item: T) => string): T | undefined {
  const wanted = canonicalName(engine, part);
  let fallback: T | undefined;
  const lower = wanted.toLowerCase();
  for (const item of items) {
    const name = nameOf(item);
    if (name === wanted) return item;
    if (fallback === undefined && name.toLowerCase() === lower) fallback = item;
  }
  return fallback;
}

/** Whether `part` names `name` (see findByName). */
export function namesMatch(engine: Engine, part: NamePart, name: string): boolean {
  return canonicalName(engine, part).toLowerCase() === name.toLowerCase();
}
