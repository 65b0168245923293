import { CabinetError } from './errors.ts';
import type { Engine } from './profiles.ts';

export interface SqlStatement {
  /** The statement without its delimiter, from its first keyword; comments before it are left out. */
  sql: string;
  /** 1-based line of the statement's first keyword, in the file when `firstLine` was given. */
  line: number;
  /** Where the statement (as `sql` holds it) is in the text: the editor highlights and marks errors there. */
  start: number;
  end: number;
  /**
   * `COPY ... FROM stdin` (PostgreSQL, as pg_dump writes it): the data lines that follow the statement up to
   * the `\.` line, each ending in a newline. The runner sends them as the COPY's input.
   */
  copyData?: string;
}

export interface SplitOptions {
  engine: Engine;
  /** Named in error messages. */
  file?: string;
  /** The file line of the text's first line (a section starts below its marker). */
  firstLine?: number;
}

const IDENT_CHAR = /[\p{L}\p{N}_$]/u;
const WORD_START = /[\p{L}_]/u;
const WORD = /[\p{L}\p{N}_$]*/uy;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;
const DELIMITER_COMMAND = /delimiter[ \t]+(\S+)[^\n]*/iy;
const COPY_FROM_STDIN = /^copy\b[\s\S]*\bfrom\s+stdin\b/i;
/**
 * psql meta-commands that a runner sending SQL may pass over: pg_dump (since 17.6, 16.10, 15.14...) brackets
 * its output in `\restrict KEY` ... `\unrestrict KEY`, which only stop psql from running other meta-commands
 * inside the dump, and Cabinet runs none at all.
 */
const SKIPPED_META_COMMANDS = new Set(['restrict', 'unrestrict']);

/** ASCII letters, digits, `_` and `$` answer without a Unicode regex: the splitter asks for every character. */
const isIdentChar = (c: string | undefined) => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
  return IDENT_CHAR.test(c);
};
const isWordStart = (c: string) => {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
  return WORD_START.test(c);
};

/**
 * Splits SQL into statements (a migration section, an editor's script) the way `psql` and the `mysql` client do: semicolons end
 * statements except inside quotes, comments, `$tag$` bodies and (PostgreSQL) `BEGIN ATOMIC ... END`
 * bodies; on MySQL a `DELIMITER` line changes the terminator. Comment-only pieces are dropped.
 */
export function splitStatements(text: string, options: SplitOptions): SqlStatement[] {
  return new StatementSplitter(text, options).split();
}

class StatementSplitter {
  private readonly mysql: boolean;
  private readonly lineStarts: number[] = [0];
  private readonly out: SqlStatement[] = [];
  private i = 0;
  private delimiter = ';';
  /** Index of the current statement's first code character, -1 before it has one. */
  private start = -1;
  private parenDepth = 0;
  /** Depth of `BEGIN ... END` inside a CREATE FUNCTION/PROCEDURE body (PostgreSQL's BEGIN ATOMIC). */
  private blockDepth = 0;
  private leadingWords: string[] = [];

  constructor(
    private readonly text: string,
    private readonly options: SplitOptions,
  ) {
    this.mysql = options.engine === 'mysql';
    for (let k = 0; k < text.length; k++) if (text[k] === '\n') this.lineStarts.push(k + 1);
  }

  split(): SqlStatement[] {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i]!;
      const next = text[this.i + 1];
      if (this.mysql && this.atLineStart() && this.readDelimiterCommand()) continue;
      if (!this.mysql && c === '\\' && this.start < 0) {
        this.skipMetaCommand();
        continue;
      }
      if (c === '-' && next === '-' && (!this.mysql || isMysqlDashCommentEnd(text[this.i + 2]))) {
        this.i = this.endOfLine(this.i);
      } else if (this.mysql && c === '#') {
        this.i = this.endOfLine(this.i);
      } else if (c === '/' && next === '*') {
        // MySQL runs `/*! ... */` (versioned code) and `/*+ ... */` (hints): they are code, not comments.
        if (this.mysql && (text[this.i + 2] === '!' || text[this.i + 2] === '+')) this.markCode();
        this.i = this.skipBlockComment(this.i);
      } else if (this.blockDepth === 0 && text.startsWith(this.delimiter, this.i)) {
        const ended = this.finish(this.i);
        this.i += this.delimiter.length;
        if (ended && !this.mysql && COPY_FROM_STDIN.test(ended.sql)) this.readCopyData(ended);
      } else if (c <= ' ') {
        this.i++;
      } else {
        this.markCode();
        this.i = this.skipToken(c);
      }
    }
    this.finish(text.length);
    return this.out;
  }

  /** Skips one code token: a quoted string or identifier, a dollar-quoted body, a word, or one character. */
  private skipToken(c: string): number {
    const { text, i } = this;
    if (c === "'") return this.skipQuoted(i, "'", this.mysql || this.isEscapeString(i));
    if (c === '"') return this.skipQuoted(i, '"', this.mysql);
    if (c === '`' && this.mysql) return this.skipQuoted(i, '`', false);
    if (c === '$' && !this.mysql && !isIdentChar(text[i - 1])) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(text)?.[0];
      if (tag) return this.skipDollarQuoted(i, tag);
    }
    if (c === '(') this.parenDepth++;
    if (c === ')') this.parenDepth = Math.max(0, this.parenDepth - 1);
    // Words matter on PostgreSQL only (BEGIN ATOMIC); on MySQL a delimiter such as $$ may end a word (END$$).
    if (!this.mysql && isWordStart(c) && !isIdentChar(text[i - 1])) {
      WORD.lastIndex = i + 1;
      WORD.exec(text);
      this.trackWord(text.slice(i, WORD.lastIndex).toLowerCase());
      return WORD.lastIndex;
    }
    return i + 1;
  }

  /** psql's rule: in CREATE [OR REPLACE] FUNCTION/PROCEDURE, BEGIN (and CASE inside it) opens a block END closes. */
  private trackWord(word: string): void {
    if (this.leadingWords.length < 4) this.leadingWords.push(word);
    const [w0, w1, w2, w3] = this.leadingWords;
    const routine = (w: string | undefined) => w === 'function' || w === 'procedure';
    const inRoutine = w0 === 'create' && (routine(w1) || (w1 === 'or' && w2 === 'replace' && routine(w3)));
    if (!inRoutine || this.parenDepth > 0) return;
    if (word === 'begin') this.blockDepth++;
    else if (word === 'case' && this.blockDepth > 0) this.blockDepth++;
    else if (word === 'end' && this.blockDepth > 0) this.blockDepth--;
  }

  /** `E'...'` on PostgreSQL takes backslash escapes; a plain `'...'` does not. */
  private isEscapeString(quote: number): boolean {
    const prefix = this.text[quote - 1];
    return (prefix === 'E' || prefix === 'e') && !isIdentChar(this.text[quote - 2]);
  }

  private skipQuoted(open: number, quote: string, backslashEscapes: boolean): number {
    const { text } = this;
    let k = open + 1;
    while (k < text.length) {
      const c = text[k];
      if (backslashEscapes && c === '\\') {
        k += 2;
      } else if (c === quote) {
        if (text[k + 1] !== quote) return k + 1;
        k += 2;
      } else {
        k++;
      }
    }
    const what = quote === '`' || (quote === '"' && !this.mysql) ? 'quoted identifier' : 'string';
    throw this.unterminated(open, `${what} (${quote}...${quote})`);
  }

  private skipDollarQuoted(open: number, tag: string): number {
    const close = this.text.indexOf(tag, open + tag.length);
    if (close < 0) throw this.unterminated(open, `dollar-quoted body (${tag}...${tag})`);
    return close + tag.length;
  }

  private skipBlockComment(open: number): number {
    const { text } = this;
    let depth = 0;
    let k = open;
    while (k < text.length) {
      if (text[k] === '/' && text[k + 1] === '*') {
        // PostgreSQL nests block comments; MySQL does not.
        if (depth === 0 || !this.mysql) depth++;
        k += 2;
      } else if (text[k] === '*' && text[k + 1] === '/') {
        depth--;
        k += 2;
        if (depth === 0) return k;
      } else {
        k++;
      }
    }
    throw this.unterminated(open, 'comment (/*...*/)');
  }

  /** `DELIMITER $$` on a line of its own (mysql client syntax): not sent to the server. */
  private readDelimiterCommand(): boolean {
    DELIMITER_COMMAND.lastIndex = this.i;
    const match = DELIMITER_COMMAND.exec(this.text);
    if (!match) return false;
    if (this.start >= 0) {
      throw this.error(
        this.i,
        `DELIMITER inside a statement: the statement above does not end with its delimiter "${this.delimiter}".`,
      );
    }
    this.delimiter = match[1]!;
    this.i = DELIMITER_COMMAND.lastIndex;
    return true;
  }

  /** A psql backslash command where a statement would start: `\restrict` and `\unrestrict` are passed over. */
  private skipMetaCommand(): void {
    const end = this.endOfLine(this.i);
    const command = this.text.slice(this.i, end).trim();
    const name = /^\\([A-Za-z]*)/.exec(command)![1]!;
    if (!SKIPPED_META_COMMANDS.has(name)) {
      throw this.error(
        this.i,
        `"${command.split(/\s/)[0]}" is a psql meta-command, not SQL: the runner sends statements to the server and runs no psql commands.`,
      );
    }
    this.i = end;
  }

  /**
   * After `COPY ... FROM stdin;` the data follows on the next lines, up to a line `\.` (or the end of the
   * text, as psql reads it). The statement keeps the data; the splitter resumes after it.
   */
  private readCopyData(statement: SqlStatement): void {
    const { text } = this;
    // The rest of the statement's line is not data (pg_dump leaves it empty).
    let lineStart = this.endOfLine(this.i);
    const lines: string[] = [];
    while (lineStart < text.length) {
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
      lineStart = lineEnd < 0 ? text.length : lineEnd + 1;
      if (line === '\\.') break;
      lines.push(`${line}\n`);
    }
    statement.copyData = lines.join('');
    this.i = lineStart;
  }

  private atLineStart(): boolean {
    const { text, i } = this;
    if (text[i] !== 'd' && text[i] !== 'D') return false;
    let k = i - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
    return k < 0 || text[k] === '\n';
  }

  private endOfLine(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end + 1;
  }

  private markCode(): void {
    if (this.start < 0) this.start = this.i;
  }

  /** Ends the current statement; returns it, or undefined when there was only whitespace and comments. */
  private finish(end: number): SqlStatement | undefined {
    let statement: SqlStatement | undefined;
    if (this.start >= 0) {
      const raw = this.text.slice(this.start, end).trimEnd();
      statement = { sql: raw.trim(), line: this.lineOf(this.start), start: this.start, end: this.start + raw.length };
      this.out.push(statement);
    }
    this.start = -1;
    this.parenDepth = 0;
    this.blockDepth = 0;
    this.leadingWords = [];
    return statement;
  }

  private lineOf(index: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + (this.options.firstLine ?? 1);
  }

  private unterminated(open: number, what: string): CabinetError {
    return this.error(open, `Unterminated ${what}: it opens here and never closes.`);
  }

  private error(index: number, message: string): CabinetError {
    const where = `${this.options.file ?? 'SQL'}, line ${this.lineOf(index)}`;
    return new CabinetError({ code: 'MIGRATION_ERROR', message: `${where}: ${message}` });
  }
}

/** MySQL reads `--` as a comment only when a space or control character follows (`1--1` is arithmetic). */
function isMysqlDashCommentEnd(c: string | undefined): boolean {
  return c === undefined || c <= ' ';
}
