/**
 * The arithmetic of approximate jumps: the leading value expected at a position, on the values' text, exact
 * for 64-bit integers and wide decimals, for dates and timestamps (zoned or not), with NULLs and descending
 * sorts; and the rule that decides when a jump is placed approximately.
 */
import { describe, expect, it } from 'vitest';
import { approximateJumpAllowed, interpolate, type LeadRange } from '../../electron/core/browse/jump.ts';
import type { ViewQuery } from '../../electron/core/browse/select-sql.ts';

const bigint = { typeClass: 'integer', dataType: 'int8' } as const;
const numeric = { typeClass: 'decimal', dataType: 'numeric' } as const;
const timestamptz = { typeClass: 'date-time', dataType: 'timestamptz' } as const;
const range = (first: string, last: string, rows: number, more: Partial<LeadRange> = {}): LeadRange => ({ first, last, rows, nulls: 0, nullsFirst: false, ...more });

describe('interpolating a far jump', () => {
  it('finds the value at a position between the first and last values', () => {
    expect(interpolate(bigint, range('1', '5000000', 5_000_000), 2_499_999)).toEqual({ kind: 'value', value: '2500000' });
    expect(interpolate(bigint, range('1', '5000000', 5_000_000), 0)).toEqual({ kind: 'value', value: '1' });
    expect(interpolate(bigint, range('1', '5000000', 5_000_000), 4_999_999)).toEqual({ kind: 'value', value: '5000000' });
  });

  it('keeps every digit of integers near ±2^63', () => {
    const min = '-9223372036854775808';
    const max = '9223372036854775807';
    expect(interpolate(bigint, range(min, max, 3), 1)).toEqual({ kind: 'value', value: '-1' });
    expect(interpolate(bigint, range('9223372036854775000', max, 808), 7)).toEqual({ kind: 'value', value: '9223372036854775007' });
  });

  it('interpolates decimals at the larger scale of the two ends, signs included', () => {
    expect(interpolate(numeric, range('-1.5', '2.25', 4), 1)).toEqual({ kind: 'value', value: '-0.25' });
    expect(interpolate(numeric, range('0', '100000000000000000000.000001', 2), 1)).toEqual({ kind: 'value', value: '100000000000000000000.000001' });
    expect(interpolate(numeric, range('NaN', '1', 10), 5)).toBeNull();
  });

  it('interpolates dates and timestamps, in UTC when they carry a zone', () => {
    expect(interpolate(timestamptz, range('2020-01-01 00:00:00+00', '2020-01-03 00:00:00+00', 3), 1)).toEqual({ kind: 'value', value: '2020-01-02 00:00:00+00' });
    expect(interpolate(timestamptz, range('2020-01-01 01:00:00+01', '2020-01-01 12:00:00.5+00', 2), 1)).toEqual({ kind: 'value', value: '2020-01-01 12:00:00.5+00' });
    const datetime = { typeClass: 'date-time', dataType: 'datetime' } as const;
    expect(interpolate(datetime, range('1999-12-31 23:59:59.000000', '2000-01-01 00:00:01.000000', 3), 1)).toEqual({ kind: 'value', value: '2000-01-01 00:00:00.000000' });
    const date = { typeClass: 'date-time', dataType: 'date' } as const;
    expect(interpolate(date, range('2024-02-28', '2024-03-01', 3), 1)).toEqual({ kind: 'value', value: '2024-02-29' });
    expect(interpolate(date, range('0999-01-01', '0999-01-03', 3), 1)).toEqual({ kind: 'value', value: '0999-01-02' });
    expect(interpolate(timestamptz, range('-infinity', '2020-01-01 00:00:00+00', 3), 1)).toBeNull();
    expect(interpolate(date, range('2020-01-01 BC', '2020-01-01', 3), 1)).toBeNull();
  });

  it('runs from the largest value to the smallest in a descending sort', () => {
    expect(interpolate(bigint, range('100', '0', 101), 30)).toEqual({ kind: 'value', value: '70' });
    expect(interpolate(numeric, range('1.0', '0.0', 11), 2)).toEqual({ kind: 'value', value: '0.8' });
  });

  it('lands among the NULLs when the position is in them, and counts them out of the values', () => {
    // 10 rows: NULLs first (MySQL ascending), then 1…8.
    const nullsFirst = range('1', '8', 10, { nulls: 2, nullsFirst: true });
    expect(interpolate(bigint, nullsFirst, 1)).toEqual({ kind: 'nulls' });
    expect(interpolate(bigint, nullsFirst, 2)).toEqual({ kind: 'value', value: '1' });
    expect(interpolate(bigint, nullsFirst, 9)).toEqual({ kind: 'value', value: '8' });
    // NULLs last (PostgreSQL ascending).
    const nullsLast = range('1', '8', 10, { nulls: 2 });
    expect(interpolate(bigint, nullsLast, 7)).toEqual({ kind: 'value', value: '8' });
    expect(interpolate(bigint, nullsLast, 8)).toEqual({ kind: 'nulls' });
    // Nothing but NULLs, or nothing at all.
    expect(interpolate(bigint, range('1', '1', 5, { nulls: 5 }), 2)).toEqual({ kind: 'nulls' });
    expect(interpolate(bigint, range('1', '1', 0), 0)).toBeNull();
  });
});

describe('the rule for approximate jumps', () => {
  const column = (typeClass: string, dataType: string) => ({ name: 'c', nullable: false, typeClass, dataType }) as ViewQuery['order'][number]['column'];
  const query = (more: Partial<ViewQuery> = {}, lead = column('integer', 'int8')): ViewQuery =>
    ({ filters: [], where: null, order: [{ column: lead, index: 0, descending: false }], mode: 'keyset', ...more }) as unknown as ViewQuery;

  it('places a far jump approximately on an unfiltered keyset view led by a number, date or timestamp', () => {
    expect(approximateJumpAllowed(query(), 200_000, 100_000)).toBe(true);
    expect(approximateJumpAllowed(query({}, column('date-time', 'timestamptz')), 200_000, 100_000)).toBe(true);
    expect(approximateJumpAllowed(query({}, column('decimal', 'numeric')), 200_000, 100_000)).toBe(true);
  });

  it('keeps exact placement for near jumps, filters, OFFSET paging and other leading types', () => {
    expect(approximateJumpAllowed(query(), 99_999, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({ where: 'c > 1' }), 200_000, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({ filters: [{}] as ViewQuery['filters'] }), 200_000, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({ mode: 'offset' }), 200_000, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({}, column('text', 'varchar')), 200_000, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({}, column('float', 'float8')), 200_000, 100_000)).toBe(false);
    expect(approximateJumpAllowed(query({}, column('date-time', 'time')), 200_000, 100_000)).toBe(false);
  });
});
