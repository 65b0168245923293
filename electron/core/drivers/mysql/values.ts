import type { FieldPacket, TypeCast } from 'mysql2';
import mysql from 'mysql2';
import type { CellValue } from '../../../../shared/values.ts';

const BYTE_TYPES = new Set(['BLOB', 'TINY_BLOB', 'MEDIUM_BLOB', 'LONG_BLOB', 'STRING', 'VAR_STRING', 'GEOMETRY', 'BIT']);

function bytes(buf: Buffer | null): CellValue {
  return buf === null ? null : { kind: 'bytes', hex: buf.toString('hex'), length: buf.length };
}

/**
 * Exact values: binary columns become hex, JSON stays its text. Numbers and dates are kept as the
 * server's text by the connection options (bigNumberStrings, dateStrings, decimals as strings).
 */
export const exactTypeCast: TypeCast = (field, next) => {
  if (field.type === 'JSON') return field.string('utf8');
  if (field.type === 'BIT' || field.type === 'GEOMETRY') return bytes(field.buffer());
  if (BYTE_TYPES.has(field.type)) {
    // The driver decodes text-charset columns and leaves binary-charset ones (BLOB, BINARY) as a Buffer.
    const value = next() as unknown;
    return Buffer.isBuffer(value) ? bytes(value) : (value as string | null);
  }
  // Every other scalar: the text the server sent (INT, FLOAT, DOUBLE too, so nothing is rounded on the way).
  if (field.type === 'NULL') return null;
  return field.string('utf8') ?? null;
};

export const exactConnectionOptions = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
  decimalNumbers: false,
  // MariaDB's JSON is LONGTEXT marked as JSON, which the driver would otherwise parse.
  jsonStrings: true,
  rowsAsArray: true,
  typeCast: exactTypeCast,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(mysql.Types).map(([name, id]) => [Number(id), name]));
const UNSIGNED_FLAG = 32;

export function mysqlTypeName(field: FieldPacket): string {
  const base = (TYPE_NAMES.get(field.columnType ?? -1) ?? `type:${field.columnType}`).replace(/^VAR_STRING$/, 'VARCHAR');
  const flags = typeof field.flags === 'number' ? field.flags : 0;
  return flags & UNSIGNED_FLAG ? `${base} UNSIGNED` : base;
}
