import { describe, expect, it } from 'vitest';
import type { ColumnTypeClass } from '../../shared/browse.ts';
import type { Engine } from '../../shared/profiles.ts';
import { decimalDigits, integerRange, valueRule } from '../../renderer/src/features/row-editing/valueRules.ts';

const check = (engine: Engine, type: string, typeClass: ColumnTypeClass, text: string, allowedValues?: string[]) =>
  valueRule({ type, typeClass, ...(allowedValues ? { allowedValues } : {}) }, engine).check(text);
const value = (...args: Parameters<typeof check>) => {
  const parsed = check(...args);
  if (!parsed.ok) throw new Error(`refused: ${parsed.message}`);
  return parsed.value;
};
const message = (...args: Parameters<typeof check>) => {
  const parsed = check(...args);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.value)}`);
  return parsed.message;
};

describe('integers', () => {
  it('keeps the digits as text, trimmed, and knows each type’s range', () => {
    expect(value('postgres', 'bigint', 'integer', ' 9223372036854775807 ')).toBe('9223372036854775807');
    expect(message('postgres', 'bigint', 'integer', '9223372036854775808')).toBe('Out of range for bigint: -9223372036854775808 to 9223372036854775807');
    expect(value('postgres', 'bigint', 'integer', '-9223372036854775808')).toBe('-9223372036854775808');
    expect(message('postgres', 'smallint', 'integer', '32768')).toMatch(/Out of range for smallint/);
    expect(message('postgres', 'integer', 'integer', '1.5')).toBe('Expected a whole number');
    expect(message('postgres', 'integer', 'integer', '')).toBe('Expected a whole number');
  });

  it('gives unsigned MySQL types the range from zero', () => {
    expect(integerRange('bigint(20) unsigned')).toEqual([0n, 18446744073709551615n]);
    expect(value('mysql', 'bigint(20) unsigned', 'integer', '18446744073709551615')).toBe('18446744073709551615');
    expect(message('mysql', 'bigint unsigned', 'integer', '-1')).toMatch(/Out of range/);
    expect(message('mysql', 'tinyint(3) unsigned', 'integer', '256')).toBe('Out of range for tinyint(3) unsigned: 0 to 255');
    expect(value('mysql', 'tinyint(1)', 'integer', '-128')).toBe('-128');
    expect(message('mysql', 'mediumint(9)', 'integer', '8388608')).toMatch(/Out of range/);
    expect(message('mysql', 'year(4)', 'integer', '1900')).toBe('Expected a year from 1901 to 2155');
    expect(value('mysql', 'year(4)', 'integer', '2024')).toBe('2024');
  });
});

describe('decimals', () => {
  it('counts digits before and after the point, exponent applied', () => {
    expect(decimalDigits('0012.3400e1')).toEqual({ integer: 3, fraction: 1, negative: false });
    expect(decimalDigits('-0.005')).toEqual({ integer: 0, fraction: 3, negative: true });
    expect(decimalDigits('100')).toEqual({ integer: 3, fraction: 0, negative: false });
    expect(decimalDigits('.')).toBeNull();
  });

  it('keeps precision and scale: too many digits are refused, never rounded here', () => {
    expect(value('postgres', 'numeric', 'decimal', '-12345678901234567890.01234567890123456789')).toBe('-12345678901234567890.01234567890123456789');
    expect(value('postgres', 'numeric(10,2)', 'decimal', '12345678.91')).toBe('12345678.91');
    expect(value('postgres', 'numeric(10,2)', 'decimal', '1.50')).toBe('1.50');
    expect(message('postgres', 'numeric(10,2)', 'decimal', '1.234')).toBe('numeric(10,2) keeps 2 decimal places: this would be rounded');
    expect(message('postgres', 'numeric(10,2)', 'decimal', '123456789')).toBe('Too large for numeric(10,2): at most 8 digits before the point');
    expect(value('postgres', 'numeric', 'decimal', 'NaN')).toBe('NaN');
    expect(message('mysql', 'decimal(40,20)', 'decimal', 'NaN')).toBe('Expected a decimal number');
    expect(message('mysql', 'decimal(5,0) unsigned', 'decimal', '-1')).toMatch(/no negative/);
    expect(message('mysql', 'decimal(10,2)', 'decimal', '1,5')).toBe('Expected a decimal number');
    expect(value('mysql', 'double', 'float', '1.5e300')).toBe('1.5e300');
    expect(value('postgres', 'double precision', 'float', '-Infinity')).toBe('-Infinity');
    expect(message('mysql', 'double', 'float', 'Infinity')).toBe('Expected a number');
  });
});

describe('booleans', () => {
  it('takes the words PostgreSQL takes and sends true or false', () => {
    expect(value('postgres', 'boolean', 'boolean', 'TRUE')).toBe('true');
    expect(value('postgres', 'boolean', 'boolean', ' yes ')).toBe('true');
    expect(value('postgres', 'boolean', 'boolean', 'f')).toBe('false');
    expect(value('postgres', 'boolean', 'boolean', '0')).toBe('false');
    expect(message('postgres', 'boolean', 'boolean', 'maybe')).toBe('Expected true or false');
    expect(valueRule({ type: 'boolean', typeClass: 'boolean' }, 'postgres')).toMatchObject({ editor: 'boolean', choices: ['true', 'false'] });
  });
});

describe('dates and times', () => {
  it('keeps the text as written: fractional seconds and the zone', () => {
    expect(value('postgres', 'timestamp with time zone', 'date-time', '2024-02-29 23:59:59.123456+05:30')).toBe('2024-02-29 23:59:59.123456+05:30');
    expect(value('postgres', 'timestamp(3) with time zone', 'date-time', '2024-01-01T10:00:00.5Z')).toBe('2024-01-01T10:00:00.5Z');
    expect(value('postgres', 'timestamp with time zone', 'date-time', '2024-01-01 10:00 Europe/Paris')).toBe('2024-01-01 10:00 Europe/Paris');
    expect(value('postgres', 'time with time zone', 'date-time', '10:00:00.25+02')).toBe('10:00:00.25+02');
    expect(value('postgres', 'date', 'date-time', '0044-03-15 BC')).toBe('0044-03-15 BC');
    expect(value('postgres', 'date', 'date-time', 'infinity')).toBe('infinity');
    expect(value('postgres', 'time without time zone', 'date-time', '24:00:00')).toBe('24:00:00');
    expect(value('mysql', 'datetime(6)', 'date-time', '2024-01-01 10:00:00.000001')).toBe('2024-01-01 10:00:00.000001');
    expect(value('mysql', 'time', 'date-time', '-838:59:59')).toBe('-838:59:59');
    expect(value('mysql', 'date', 'date-time', '0000-00-00')).toBe('0000-00-00');
  });

  it('refuses what the server refuses, or would round', () => {
    expect(message('postgres', 'date', 'date-time', '2023-02-29')).toBe('No day 29 in 2023-02');
    expect(message('postgres', 'date', 'date-time', '2024-13-01')).toBe('No month 13');
    expect(message('postgres', 'date', 'date-time', '01/02/2024')).toBe('Expected a date as YYYY-MM-DD');
    expect(message('postgres', 'timestamp without time zone', 'date-time', '2024-01-01 25:00:00')).toBe('Hours go up to 23');
    expect(message('postgres', 'timestamp(3) without time zone', 'date-time', '2024-01-01 10:00:00.1234')).toBe('This column keeps 3 digits of fractional seconds: more would be rounded');
    expect(message('postgres', 'time without time zone', 'date-time', '10:00:00+02')).toBe('Expected a time without a zone');
    expect(message('mysql', 'datetime', 'date-time', '2024-01-01 10:00:00.5')).toBe('This column keeps no fractional seconds: they would be rounded');
    expect(message('mysql', 'datetime(6)', 'date-time', '2024-01-01 10:00:00+02:00')).toBe('Expected no time zone');
    expect(message('mysql', 'time', 'date-time', '839:00:00')).toBe('TIME goes up to 838:59:59');
    expect(value('mysql', 'timestamp', 'date-time', '2024-01-01')).toBe('2024-01-01');
    expect(message('mysql', 'timestamp', 'date-time', 'tomorrow')).toBe('Expected a date and time as YYYY-MM-DD HH:MM:SS');
  });
});

describe('JSON, bytes, arrays, text, enums and sets', () => {
  it('checks JSON and keeps its text as written (big numbers included)', () => {
    expect(value('postgres', 'jsonb', 'json', '{"n": 12345678901234567890}')).toBe('{"n": 12345678901234567890}');
    expect(message('postgres', 'json', 'json', '{n: 1}')).toMatch(/^Not valid JSON: /);
  });

  it('takes bytes as hex, with \\x, 0x or spaces', () => {
    expect(value('postgres', 'bytea', 'binary', '\\xDEADbeef')).toEqual({ kind: 'bytes', hex: 'deadbeef' });
    expect(value('mysql', 'blob', 'binary', '0x00 ff')).toEqual({ kind: 'bytes', hex: '00ff' });
    expect(value('mysql', 'blob', 'binary', '')).toEqual({ kind: 'bytes', hex: '' });
    expect(message('mysql', 'blob', 'binary', 'abc')).toBe('Expected hex digits, two per byte');
  });

  it('checks a PostgreSQL array’s text form', () => {
    expect(value('postgres', 'text[]', 'other', '{a,"b,}c",NULL}')).toBe('{a,"b,}c",NULL}');
    expect(value('postgres', 'integer[]', 'other', '[0:1]={1,2}')).toBe('[0:1]={1,2}');
    expect(value('postgres', 'integer[]', 'other', '{{1,2},{3,4}}')).toBe('{{1,2},{3,4}}');
    expect(message('postgres', 'text[]', 'other', '{a,"b}')).toBe('A double quote is not closed');
    expect(message('postgres', 'text[]', 'other', '{a}}')).toBe('Text after the array’s closing brace');
    expect(message('postgres', 'text[]', 'other', 'a,b')).toBe('Expected an array as {a,b,c}');
  });

  it('keeps text exactly, within a declared length', () => {
    expect(value('postgres', 'text', 'text', ' NULL ')).toBe(' NULL ');
    expect(value('postgres', 'character varying(3)', 'text', 'Zoë')).toBe('Zoë');
    expect(message('mysql', 'varchar(3)', 'text', 'abcd')).toBe('4 characters: varchar(3) takes at most 3');
  });

  it('takes an enum’s labels only, and a set’s members in declared order', () => {
    const labels = ['sad', "it's", 'happy'];
    expect(valueRule({ type: 'mood', typeClass: 'text', allowedValues: labels }, 'postgres')).toMatchObject({ editor: 'enum', choices: labels });
    expect(value('postgres', 'mood', 'text', "it's", labels)).toBe("it's");
    expect(message('postgres', 'mood', 'text', 'HAPPY', labels)).toBe('Expected one of "sad", "it\'s", "happy"');
    expect(value('mysql', "enum('sad','it''s','happy')", 'text', 'HAPPY', labels)).toBe('happy');
    const members = ['a', 'b', 'c d'];
    expect(valueRule({ type: "set('a','b','c d')", typeClass: 'text', allowedValues: members }, 'mysql').editor).toBe('set');
    expect(value('mysql', "set('a','b','c d')", 'text', 'c d,A', members)).toBe('a,c d');
    expect(value('mysql', "set('a','b','c d')", 'text', '', members)).toBe('');
    expect(message('mysql', "set('a','b','c d')", 'text', 'a,x', members)).toBe('"x" is not one of "a", "b", "c d"');
  });
});
