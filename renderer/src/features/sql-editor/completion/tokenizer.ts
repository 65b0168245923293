/**
 * A forgiving SQL tokenizer for completion: one linear pass, never throws, and unfinished input (an open
 * string, quote or comment at the end) becomes a token that runs to the end of the text.
 */
import type { Engine } from '../../../../../shared/profiles.ts';

export type TokenKind =
  /** An unquoted identifier or key word. */
  | 'word'
  /** A quoted identifier: `"…"` (PostgreSQL, MySQL with ANSI_QUOTES) or `` `…` `` (MySQL). */
  | 'quoted'
  /** A string literal: `'…'`, `E'…'`, `$tag$…$tag$`, MySQL `"…"`. */
  | 'string'
  | 'number'
  /** `( ) , ; . [ ]` */
  | 'punct'
  /** Any other symbol; `::` is one token, every other symbol is one character. */
  | 'operator';

export interface Token {
  kind: TokenKind;
  /** Offsets into the text: [start, end). */
  start: number;
  end: number;
  /** A word's text, a quoted identifier's name without quotes (doubled quotes undone), a symbol. */
  value: string;
  /** `value` in upper case, for words; '' otherwise. */
  upper: string;
  /** False for a string, quoted identifier or comment still open at the end of the text. */
  closed: boolean;
  /** The quote character of a quoted identifier; '' otherwise. */
  quote: string;
}

export interface CommentRange {
  start: number;
  end: number;
  /** `--` / `#` comments run to the end of their line; the cursor at that end is still inside. */
  line: boolean;
  closed: boolean;
}

export interface TokenizeOptions {
  engine: Engine;
  /** MySQL with sql_mode ANSI_QUOTES: `"…"` quotes an identifier instead of a string. */
  ansiQuotes?: boolean;
}

export interface Tokenized {
  /** Everything but whitespace and comments, in order. */
  tokens: Token[];
  comments: CommentRange[];
}

const UNICODE_LETTER = /[\p{L}\p{N}_$]/u;

/** Whether the character at `k` (its code `code`) may continue an unquoted name. */
function isWordChar(code: number, text: string, k: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
  }
  return (code >= 0xd800 && code <= 0xdfff) || UNICODE_LETTER.test(text[k]!);
}

function isWordStart(code: number, text: string, k: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
  return isWordChar(code, text, k);
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;

const PUNCT = new Set(['(', ')', ',', ';', '.', '[', ']']);

export function tokenize(text: string, options: TokenizeOptions): Tokenized {
  const mysql = options.engine === 'mysql';
  const doubleQuoteIsIdent = !mysql || options.ansiQuotes === true;
  const tokens: Token[] = [];
  const comments: CommentRange[] = [];
  const n = text.length;
  let i = 0;

  const push = (kind: TokenKind, start: number, end: number, value: string, closed = true, quote = '') => {
    tokens.push({ kind, start, end, value, upper: kind === 'word' ? value.toUpperCase() : '', closed, quote });
  };

  /** A quoted run from `start` (the opening quote), the quote doubled inside; backslash escapes if asked. */
  const readQuoted = (start: number, quote: string, backslash: boolean): { end: number; closed: boolean; inner: string } => {
    let k = start + 1;
    let inner = '';
    let runStart = k;
    while (k < n) {
      const c = text[k];
      if (backslash && c === '\\') {
        k += 2;
        continue;
      }
      if (c === quote) {
        if (text[k + 1] === quote) {
          inner += text.slice(runStart, k + 1);
          k += 2;
          runStart = k;
          continue;
        }
        inner += text.slice(runStart, k);
        return { end: k + 1, closed: true, inner };
      }
      k++;
    }
    inner += text.slice(runStart, Math.min(k, n));
    return { end: n, closed: false, inner };
  };

  while (i < n) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const next = text[i + 1];

    // Comments.
    if (ch === '-' && next === '-') {
      // MySQL wants a space (or control character, or the end) after `--`.
      const after = text.charCodeAt(i + 2);
      if (!mysql || i + 2 >= n || after <= 32) {
        const nl = text.indexOf('\n', i);
        const end = nl < 0 ? n : nl;
        comments.push({ start: i, end, line: true, closed: nl >= 0 });
        i = end;
        continue;
      }
    }
    if (ch === '#' && mysql) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      comments.push({ start: i, end, line: true, closed: nl >= 0 });
      i = end;
      continue;
    }
    if (ch === '/' && next === '*') {
      // PostgreSQL nests block comments; MySQL does not.
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (text[k] === '*' && text[k + 1] === '/') {
          depth--;
          k += 2;
        } else if (!mysql && text[k] === '/' && text[k + 1] === '*') {
          depth++;
          k += 2;
        } else k++;
      }
      comments.push({ start: i, end: Math.min(k, n), line: false, closed: depth === 0 });
      i = Math.min(k, n);
      continue;
    }

    // Strings.
    if (ch === "'") {
      const q = readQuoted(i, "'", mysql);
      push('string', i, q.end, q.inner, q.closed);
      i = q.end;
      continue;
    }
    if (!mysql && (ch === 'E' || ch === 'e') && next === "'") {
      const q = readQuoted(i + 1, "'", true);
      push('string', i, q.end, q.inner, q.closed);
      i = q.end;
      continue;
    }
    if (!mysql && ch === '$') {
      const tag = dollarTag(text, i);
      if (tag !== undefined) {
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        push('string', i, end, text.slice(i + tag.length, close < 0 ? n : close), close >= 0);
        i = end;
        continue;
      }
    }

    // Quoted identifiers (and MySQL's double-quoted strings).
    if (ch === '"') {
      if (doubleQuoteIsIdent) {
        const q = readQuoted(i, '"', false);
        push('quoted', i, q.end, q.inner, q.closed, '"');
        i = q.end;
      } else {
        const q = readQuoted(i, '"', true);
        push('string', i, q.end, q.inner, q.closed);
        i = q.end;
      }
      continue;
    }
    if (ch === '`' && mysql) {
      const q = readQuoted(i, '`', false);
      push('quoted', i, q.end, q.inner, q.closed, '`');
      i = q.end;
      continue;
    }

    // Numbers (a number running into letters is a MySQL identifier such as `1abc`, or `0x1F`: a word).
    if (isDigit(code) || (ch === '.' && next !== undefined && isDigit(next.charCodeAt(0)) && !afterName(tokens, i))) {
      let k = i;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      if (text[k] === '.' && text[k + 1] !== '.') {
        k++;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
      }
      if ((text[k] === 'e' || text[k] === 'E') && (isDigit(text.charCodeAt(k + 1)) || ((text[k + 1] === '+' || text[k + 1] === '-') && isDigit(text.charCodeAt(k + 2))))) {
        k += 2;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
      }
      if (k < n && isWordChar(text.charCodeAt(k), text, k)) {
        while (k < n && isWordChar(text.charCodeAt(k), text, k)) k++;
        push('word', i, k, text.slice(i, k));
      } else push('number', i, k, text.slice(i, k));
      i = k;
      continue;
    }

    // Words.
    if (isWordStart(code, text, i)) {
      let k = i + 1;
      while (k < n && isWordChar(text.charCodeAt(k), text, k)) k++;
      push('word', i, k, text.slice(i, k));
      i = k;
      continue;
    }

    if (PUNCT.has(ch)) {
      push('punct', i, i + 1, ch);
      i++;
      continue;
    }
    if (ch === ':' && next === ':') {
      push('operator', i, i + 2, '::');
      i += 2;
      continue;
    }
    // A lone surrogate half or any other symbol: one character.
    push('operator', i, i + 1, ch);
    i++;
  }
  return { tokens, comments };
}

/** `$tag$` or `$$` starting at i (not `$1`, a parameter), or undefined. */
function dollarTag(text: string, i: number): string | undefined {
  let k = i + 1;
  if (text[k] === '$') return '$$';
  const first = text.charCodeAt(k);
  if (!(k < text.length && isWordStart(first, text, k)) || first === 36) return undefined;
  while (k < text.length && text.charCodeAt(k) !== 36) {
    if (!isWordChar(text.charCodeAt(k), text, k)) return undefined;
    k++;
  }
  return k < text.length ? text.slice(i, k + 1) : undefined;
}

/** Right after a name, `.5` is a dot and a name part (`t.5` on MySQL), not a number. */
function afterName(tokens: Token[], offset: number): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.kind === 'word' || last.kind === 'quoted') && last.end === offset;
}
