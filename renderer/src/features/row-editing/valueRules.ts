/**
 * What an editor accepts for a column, read from the column's declared type: text is checked the way the
 * server would check it, and refused here with a one-line reason when the server would refuse it or would
 * silently change it (round a decimal or fractional seconds, cut a string). What is accepted is sent as the
 * user wrote it (trimmed, for non-text types): numbers stay exact strings, dates keep their fraction and zone.
 */
import type { BrowseColumn } from '../../../../shared/browse.ts';
import type { EditValue } from '../../../../shared/edits.ts';
import type { Engine } from '../../../../shared/profiles.ts';

export type Parsed = { ok: true; value: EditValue } | { ok: false; message: string };

/** Which control edits the column: a text field, a true/false choice, one of a list, or any of a list. */
export type EditorKind = 'text' | 'boolean' | 'enum' | 'set';

export interface ValueRule {
  editor: EditorKind;
  /** Text that may hold line breaks or grow long (text, JSON, arrays): edited in a textarea when it does. */
  multiline: boolean;
  /** The choices of a boolean, enum or set editor. */
  choices: string[];
  /** What the text should look like, for a placeholder and the error line. */
  hint: string;
  /** True for types whose empty text is a value (text); elsewhere an empty field means NULL when pasted. */
  emptyIsText: boolean;
  check(text: string): Parsed;
}

const ok = (value: EditValue): Parsed => ({ ok: true, value });
const refuse = (message: string): Parsed => ({ ok: false, message });

// ---- integers ----

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [-(2n ** 7n), 2n ** 7n - 1n],
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  mediumint: [-(2n ** 23n), 2n ** 23n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n],
};
const INTEGER = /^[+-]?\d+$/;

/** The range of an integer type as declared (`int(10) unsigned`, `bigint`, `oid`, `year`); null when unknown. */
export function integerRange(type: string): [bigint, bigint] | null {
  const t = type.toLowerCase();
  const name = /^[a-z0-9]+/.exec(t)?.[0] ?? '';
  if (name === 'oid') return [0n, 2n ** 32n - 1n];
  const signed = INTEGER_RANGES[name];
  if (!signed) return null;
  // Unsigned: the same number of values, from zero.
  return /\bunsigned\b/.test(t) ? [0n, signed[1] * 2n + 1n] : signed;
}

function checkInteger(text: string, type: string): Parsed {
  const t = text.trim();
  if (!INTEGER.test(t)) return refuse('Expected a whole number');
  if (/^year\b/i.test(type)) {
    const year = Number(t);
    return year === 0 || (year >= 1 && year <= 99) || (year >= 1901 && year <= 2155) ? ok(t) : refuse('Expected a year from 1901 to 2155');
  }
  const range = integerRange(type);
  if (range) {
    const n = BigInt(t);
    if (n < range[0] || n > range[1]) return refuse(`Out of range for ${type}: ${range[0]} to ${range[1]}`);
  }
  return ok(t);
}

// ---- decimals ----

const DECIMAL = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Digits before and after the point of a decimal text (exponent applied, leading and trailing zeros dropped). */
export function decimalDigits(text: string): { integer: number; fraction: number; negative: boolean } | null {
  const m = DECIMAL.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const exponent = Number(m[3] ?? 0);
  const whole = m[1]!.replace(/^0+/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  const digits = whole + fraction;
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return { integer: 0, fraction: 0, negative: false };
  // Position of the point counted from the first significant digit.
  const point = whole.length - (digits.length - significant.length) + exponent;
  return {
    integer: Math.max(0, point),
    fraction: Math.max(0, significant.replace(/0+$/, '').length - point),
    negative: text.startsWith('-'),
  };
}

/**
 * A decimal or floating-point number: NaN and Infinity where PostgreSQL takes them, no minus sign on an
 * unsigned type, and the digits a declared `(precision, scale)` keeps (a MySQL `float(7,4)` has one too).
 */
function checkNumber(text: string, type: string, engine: Engine, expected: string): Parsed {
  const t = text.trim();
  if (engine === 'postgres' && /^[+-]?(?:nan|infinity|inf)$/i.test(t)) return ok(t);
  const digits = decimalDigits(t);
  if (!digits) return refuse(expected);
  if (digits.negative && /\bunsigned\b/i.test(type)) return refuse(`${type} takes no negative numbers`);
  const m = /\((\d+)(?:\s*,\s*(\d+))?\)/.exec(type);
  if (m) {
    const precision = Number(m[1]);
    const scale = Number(m[2] ?? 0);
    if (digits.integer > precision - scale) return refuse(`Too large for ${type}: at most ${precision - scale} digits before the point`);
    if (digits.fraction > scale) return refuse(`${type} keeps ${scale} decimal place${scale === 1 ? '' : 's'}: this would be rounded`);
  }
  return ok(t);
}

// ---- booleans ----

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);

function checkBoolean(text: string): Parsed {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return ok('true');
  if (FALSE_WORDS.has(word)) return ok('false');
  return refuse('Expected true or false');
}

// ---- dates and times ----

const DATE = /^(\d{4,})-(\d{2})-(\d{2})$/;
/** Hours, minutes, optional seconds and fraction. */
const TIME = /^(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
/** A zone after a time: Z, an offset, or a zone name. */
const ZONE = /^(?:Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?|\s*[A-Za-z][A-Za-z_]*(?:\/[A-Za-z0-9_+-]+)*)$/i;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function checkDate(text: string, engine: Engine): string | null {
  if (engine === 'mysql' && text === '0000-00-00') return null;
  const m = DATE.exec(text);
  if (!m) return 'Expected a date as YYYY-MM-DD';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `No month ${m[2]}`;
  if (day < 1 || day > daysIn(year, month)) return `No day ${m[3]} in ${m[1]}-${m[2]}`;
  if (engine === 'mysql' && year > 9999) return 'Years go up to 9999';
  return null;
}

/** `fsp`: fractional digits the column keeps. `wide`: MySQL TIME, hours up to 838. */
function checkTime(text: string, fsp: number, wide: boolean): string | null {
  const m = TIME.exec(text);
  if (!m) return 'Expected a time as HH:MM:SS';
  const [hours, minutes, seconds] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const fraction = m[4] ?? '';
  if (minutes > 59 || seconds > 59) return 'Minutes and seconds go up to 59';
  if (wide ? hours > 838 : hours > 24 || (hours === 24 && (minutes > 0 || seconds > 0 || /[1-9]/.test(fraction)))) {
    return wide ? 'TIME goes up to 838:59:59' : 'Hours go up to 23';
  }
  if (fraction.replace(/0+$/, '').length > fsp) return fsp === 0 ? 'This column keeps no fractional seconds: they would be rounded' : `This column keeps ${fsp} digits of fractional seconds: more would be rounded`;
  return null;
}

function dateTimeKind(type: string): 'date' | 'time' | 'timestamp' {
  const lower = type.toLowerCase();
  if (/^(?:datetime|timestamp)/.test(lower)) return 'timestamp';
  return lower.startsWith('date') ? 'date' : lower.startsWith('time') ? 'time' : 'timestamp';
}

function checkDateTime(text: string, type: string, engine: Engine): Parsed {
  const t = text.trim();
  const lower = type.toLowerCase();
  const declared = /\((\d)\)/.exec(lower);
  // Without a declared precision PostgreSQL keeps microseconds, MySQL none.
  const fsp = declared ? Number(declared[1]) : engine === 'postgres' ? 6 : 0;
  const zoned = engine === 'postgres' && /with time zone|^time(?:stamp)?tz/.test(lower);
  const kind = dateTimeKind(type);
  if (engine === 'postgres' && kind !== 'time' && /^[+-]?infinity$/i.test(t)) return ok(t);
  // PostgreSQL writes an era after the value: `0044-03-15 BC`.
  const body = engine === 'postgres' ? t.replace(/\s+BC$/i, '') : t;
  let problem: string | null;
  if (kind === 'date') {
    problem = checkDate(body, engine);
  } else if (kind === 'time') {
    if (engine === 'mysql') {
      // MySQL TIME: `-838:59:59` to `838:59:59`, or `D HH:MM:SS`.
      const m = /^-?(?:(\d{1,2}) )?(.*)$/.exec(body)!;
      problem = checkTime(m[2]!, fsp, true);
      if (!problem && m[1] !== undefined && Number(m[1]) > 34) problem = 'TIME goes up to 34 days';
    } else {
      const m = /^(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(.*)$/.exec(body);
      problem = m ? checkTime(m[1]!, fsp, false) : 'Expected a time as HH:MM:SS';
      if (!problem && m![2] !== '' && !(zoned && ZONE.test(m![2]!))) problem = zoned ? `Not a time zone: ${m![2]!.trim()}` : 'Expected a time without a zone';
    }
  } else {
    const m = /^(\S+)[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(.*)$/.exec(body);
    if (!m) {
      problem = checkDate(body, engine) ? 'Expected a date and time as YYYY-MM-DD HH:MM:SS' : null;
    } else {
      problem = checkDate(m[1]!, engine) ?? checkTime(m[2]!, fsp, false);
      const zone = m[3]!;
      // PostgreSQL reads and ignores a zone given to a timestamp without one; MySQL takes none.
      if (!problem && zone !== '' && (engine === 'mysql' || !ZONE.test(zone))) problem = engine === 'mysql' ? 'Expected no time zone' : `Not a time zone: ${zone.trim()}`;
    }
  }
  return problem ? refuse(problem) : ok(t);
}

// ---- JSON, bytes, arrays ----

function checkJson(text: string): Parsed {
  try {
    JSON.parse(text);
    return ok(text);
  } catch (error) {
    return refuse(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const HEX = /^(?:\\x|0x)?((?:[0-9a-fA-F]{2})*)$/;

function checkHex(text: string): Parsed {
  const match = HEX.exec(text.replace(/\s+/g, ''));
  return match ? ok({ kind: 'bytes', hex: match[1]!.toLowerCase() }) : refuse('Expected hex digits, two per byte');
}

/** A PostgreSQL array's text form: braces balanced outside double quotes, quotes closed. */
function checkArray(text: string): Parsed {
  const t = text.trim();
  const body = t.replace(/^(?:\[-?\d+:-?\d+\])+=/, '');
  if (!body.startsWith('{') || !body.endsWith('}')) return refuse('Expected an array as {a,b,c}');
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '{') depth++;
    else if (!quoted && c === '}' && --depth === 0 && i !== body.length - 1) return refuse('Text after the array’s closing brace');
  }
  if (quoted) return refuse('A double quote is not closed');
  if (depth !== 0) return refuse('Braces do not match');
  return ok(t);
}

// ---- text, enums, sets ----

/** The declared length of `varchar(n)`, `character varying(n)`, `char(n)`; null when unbounded. */
function textLength(type: string): number | null {
  const m = /^(?:var)?char(?:acter)?(?: varying)?\((\d+)\)/i.exec(type);
  return m ? Number(m[1]) : null;
}

function checkText(text: string, type: string): Parsed {
  const max = textLength(type);
  if (max !== null) {
    const length = [...text].length;
    if (length > max) return refuse(`${length} characters: ${type} takes at most ${max}`);
  }
  return ok(text);
}

function checkEnum(text: string, labels: readonly string[], engine: Engine): Parsed {
  if (labels.includes(text)) return ok(text);
  // MySQL compares enum labels without case.
  const label = engine === 'mysql' ? labels.find((l) => l.toLowerCase() === text.trim().toLowerCase()) : undefined;
  return label !== undefined ? ok(label) : refuse(`Expected one of ${labels.map((l) => JSON.stringify(l)).join(', ')}`);
}

/** A MySQL SET: members comma-separated, kept in declared order as the server stores them. */
function checkSet(text: string, members: readonly string[]): Parsed {
  const chosen = new Set<string>();
  for (const part of text.split(',')) {
    const word = part.trim();
    if (word === '') continue;
    const member = members.find((m) => m.toLowerCase() === word.toLowerCase());
    if (member === undefined) return refuse(`${JSON.stringify(word)} is not one of ${members.map((m) => JSON.stringify(m)).join(', ')}`);
    chosen.add(member);
  }
  return ok(members.filter((m) => chosen.has(m)).join(','));
}

// ---- the rule of a column ----

const HINTS: Record<string, string> = {
  integer: 'a whole number',
  decimal: 'a decimal number',
  float: 'a number',
  json: 'JSON',
  binary: 'hex, two digits per byte',
  array: '{a,b,c}',
  date: 'YYYY-MM-DD',
  time: 'HH:MM:SS',
  timestamp: 'YYYY-MM-DD HH:MM:SS',
};

function rule(editor: EditorKind, hint: string, check: (text: string) => Parsed, extra: Partial<ValueRule> = {}): ValueRule {
  return { editor, multiline: false, choices: [], hint, emptyIsText: false, check, ...extra };
}

/** The rule of one column, by its declared type, type class and allowed values. */
export function valueRule(column: Pick<BrowseColumn, 'type' | 'typeClass' | 'allowedValues'>, engine: Engine): ValueRule {
  const { type, typeClass, allowedValues } = column;
  if (allowedValues) {
    if (engine === 'mysql' && /^set\(/i.test(type)) return rule('set', 'any of the listed values', (t) => checkSet(t, allowedValues), { choices: allowedValues });
    return rule('enum', 'one of the listed values', (t) => checkEnum(t, allowedValues, engine), { choices: allowedValues, emptyIsText: allowedValues.includes('') });
  }
  if (engine === 'postgres' && type.endsWith('[]')) return rule('text', HINTS.array!, checkArray, { multiline: true });
  switch (typeClass) {
    case 'integer':
      return rule('text', HINTS.integer!, (t) => checkInteger(t, type));
    case 'decimal':
      return rule('text', HINTS.decimal!, (t) => checkNumber(t, type, engine, 'Expected a decimal number'));
    case 'float':
      return rule('text', HINTS.float!, (t) => checkNumber(t, type, engine, 'Expected a number'));
    case 'boolean':
      return rule('boolean', 'true or false', checkBoolean, { choices: ['true', 'false'] });
    case 'date-time':
      return rule('text', HINTS[dateTimeKind(type)]!, (t) => checkDateTime(t, type, engine));
    case 'json':
      return rule('text', HINTS.json!, checkJson, { multiline: true });
    case 'binary':
      return rule('text', HINTS.binary!, checkHex);
    case 'text':
      return rule('text', 'text', (t) => checkText(t, type), { multiline: true, emptyIsText: true });
    default:
      // uuid, inet, interval, xml, geometry…: the server checks the text.
      return rule('text', type, ok, { multiline: true });
  }
}
