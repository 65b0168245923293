/**
 * Far jumps placed approximately: when finding the exact row at index n would mean walking n rows, the row is
 * guessed instead, by interpolating between the first and last values of the leading sort column (both ends
 * are one index probe each), and the window is read by keyset from the first row at or after the guessed
 * value. Its index is then a guess (`startExact: false`), and the rows around it are exact relative to it
 * (positions.ts, the JUMP space).
 *
 * The rule, explicit so it can be read in one place (`approximateJumpAllowed`, and the dialect's
 * `exactSkipRows`): a jump is placed approximately only when
 * - the exact placement would skip at least the engine's `exactSkipRows` rows: PostgreSQL skips rows in an
 *   index-only scan (2.5 million in 0.12 s), so only very far jumps qualify there; InnoDB walks the clustered
 *   index, whole rows, and a table larger than its buffer pool is read from disk (2.5 million in 0.8 s), so
 *   any jump past a few hundred thousand rows does. Below that, and so on every small table, placement is exact;
 * - the view is unfiltered: the planner's estimate of a filtered count is too rough to interpolate on, and a
 *   MIN/MAX under a filter is no longer an index probe;
 * - the leading sort column is an integer, decimal, date or timestamp column, and the first column of a
 *   B-tree index (read at the jump: `buildLeadIndexed`). Values of other types (text, floats) have no
 *   arithmetic that follows their order, or no exact one.
 *
 * The guess is as good as the values are evenly spread: right for auto-increment keys and event times, off
 * for skewed data (a few outliers at one end). Either way the rows are the right rows in the right order.
 */
import type { CellValue } from '../../../shared/values.ts';
import type { ColumnShape } from './dialect.ts';
import type { OrderTerm, Predicate } from './keyset.ts';
import type { ViewQuery } from './select-sql.ts';

/** What the interpolation knows of the leading sort column, in the view's order. */
export interface LeadRange {
  /** The first and last non-NULL values in the order (MIN and MAX, swapped for a descending sort). */
  first: string;
  last: string;
  /** Rows in the view (its total, or the estimate). */
  rows: number;
  /** Rows whose leading value is NULL, and whether they come before the values in the order. */
  nulls: number;
  nullsFirst: boolean;
}

/** Where the guessed row is: the first row at or after a value, or the first of the NULLs. */
export type JumpTarget = { kind: 'value'; value: string } | { kind: 'nulls' };

const TEMPORAL = new Set(['date', 'timestamp', 'timestamptz', 'datetime']);

/** Whether values of this column can be interpolated exactly: integers, decimals, dates and timestamps. */
export function interpolatable(column: Pick<ColumnShape, 'typeClass' | 'dataType'>): boolean {
  return column.typeClass === 'integer' || column.typeClass === 'decimal' || (column.typeClass === 'date-time' && TEMPORAL.has(column.dataType));
}

/** The rule (see the top of this file), except for the index, which needs the server. */
export function approximateJumpAllowed(query: ViewQuery, skip: number, exactSkipRows: number): boolean {
  const lead = query.order[0];
  const unfiltered = query.filters.length === 0 && query.where === null;
  return query.mode === 'keyset' && unfiltered && skip >= exactSkipRows && lead !== undefined && interpolatable(lead.column);
}

/** The keyset segment whose first row is the guessed row. */
export function targetSegment(term: OrderTerm, target: JumpTarget): Predicate {
  if (target.kind === 'nulls') return { kind: 'null', term, negated: false };
  return { kind: 'compare', term, op: term.descending ? '<=' : '>=', value: target.value };
}

/**
 * The leading value expected at `position` (0-based, in the order) if the values were evenly spread between
 * `first` and `last`: exact arithmetic on the values' text (BigInt), so 64-bit keys and wide decimals keep
 * every digit. Null when the values cannot be read (PostgreSQL's `infinity`, `NaN`, a BC date…).
 */
export function interpolate(column: Pick<ColumnShape, 'typeClass' | 'dataType'>, range: LeadRange, position: number): JumpTarget | null {
  const values = range.rows - range.nulls;
  const at = range.nullsFirst ? position - range.nulls : position;
  if (values <= 0 || at < 0 || at >= values) return range.nulls > 0 ? { kind: 'nulls' } : null;
  const numerator = BigInt(Math.floor(at));
  const denominator = BigInt(Math.max(1, values - 1));
  const between = (a: bigint, b: bigint) => a + ((b - a) * numerator) / denominator;
  let value: string | null = null;
  if (column.typeClass === 'integer') {
    const [a, b] = [integer(range.first), integer(range.last)];
    if (a !== null && b !== null) value = between(a, b).toString();
  } else if (column.typeClass === 'decimal') {
    const [a, b] = [decimal(range.first), decimal(range.last)];
    if (a && b) {
      const scale = Math.max(a.scale, b.scale);
      value = formatDecimal(between(rescale(a, scale), rescale(b, scale)), scale);
    }
  } else if (interpolatable(column)) {
    const [a, b] = [temporal(range.first), temporal(range.last)];
    if (a && b && a.hasTime === b.hasTime) value = formatTemporal(between(a.micros, b.micros), a, b);
  }
  return value === null ? null : { kind: 'value', value };
}

function integer(text: string): bigint | null {
  return /^[-+]?\d+$/.test(text) ? BigInt(text) : null;
}

interface Decimal {
  digits: bigint;
  scale: number;
}

function decimal(text: string): Decimal | null {
  const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && !match[3])) return null;
  const fraction = match[3] ?? '';
  return { digits: BigInt(`${match[1]}${match[2] || '0'}${fraction}`), scale: fraction.length };
}

const rescale = (d: Decimal, scale: number) => d.digits * 10n ** BigInt(scale - d.scale);

function formatDecimal(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return negative ? `-${whole}` : whole;
}

interface Temporal {
  /** Microseconds since 1970-01-01 00:00 UTC (the text's own zone offset taken off, when it has one). */
  micros: bigint;
  hasTime: boolean;
  fractionDigits: number;
  zoned: boolean;
}

const TEMPORAL_TEXT = /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(?:([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?)?$/;
const MICROS_PER_DAY = 86_400_000_000n;

/** A date or timestamp as PostgreSQL (ISO DateStyle) and MySQL write it. */
function temporal(text: string): Temporal | null {
  const m = TEMPORAL_TEXT.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const hasTime = m[4] !== undefined;
  const seconds = hasTime ? Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]) : 0;
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) : 0;
  const fraction = m[7] ?? '';
  const micros = BigInt(daysFromCivil(year, month, day)) * MICROS_PER_DAY + BigInt(seconds - offset) * 1_000_000n + BigInt(fraction.padEnd(6, '0') || '0');
  return { micros, hasTime, fractionDigits: fraction.length, zoned: m[8] !== undefined };
}

/** In the form of the two ends: a date, or a timestamp with as many fraction digits as they have, in UTC when they were zoned. */
function formatTemporal(micros: bigint, a: Temporal, b: Temporal): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const { year, month, day } = civilFromDays(Number(days));
  const date = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
  if (!a.hasTime) return date;
  const inDay = micros - days * MICROS_PER_DAY;
  const seconds = Number(inDay / 1_000_000n);
  const digits = Math.max(a.fractionDigits, b.fractionDigits);
  const fraction = digits > 0 ? `.${String(inDay % 1_000_000n).padStart(6, '0').slice(0, digits)}` : '';
  const time = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}${fraction}`;
  return `${date} ${time}${a.zoned || b.zoned ? '+00' : ''}`;
}

const two = (n: number) => String(n).padStart(2, '0');

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil, in integers). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** A cell value as the interpolation reads it: text, or nothing (NULL, bytes). */
export function leadText(value: CellValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}
