import pg from 'pg';
import type { CellValue } from '../../../../shared/values.ts';

const BYTEA = 17;
const BOOL = 16;

/** Every value stays the server's text; bytea becomes hex with its length; bool reads as true/false. */
export const exactTypes = {
  getTypeParser(oid: number, format?: string) {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    if (oid === BYTEA) return parseBytea;
    if (oid === BOOL) return (text: string) => (text === 't' ? 'true' : 'false');
    return (text: string) => text;
  },
};

function parseBytea(text: string): CellValue {
  // hex output format (bytea_output = 'hex', the default since 9.0): \x0102...
  if (text.startsWith('\\x')) {
    const hex = text.slice(2);
    return { kind: 'bytes', hex, length: hex.length / 2 };
  }
  const buf = pg.types.getTypeParser(BYTEA, 'text')(text) as Buffer;
  return { kind: 'bytes', hex: buf.toString('hex'), length: buf.length };
}

const TYPE_NAMES: Record<number, string> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 26: 'oid',
  114: 'json', 142: 'xml', 700: 'float4', 701: 'float8', 790: 'money', 1042: 'bpchar', 1043: 'varchar',
  1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval', 1266: 'timetz',
  1560: 'bit', 1562: 'varbit', 1700: 'numeric', 2950: 'uuid', 3802: 'jsonb', 869: 'inet', 650: 'cidr',
  829: 'macaddr', 1000: '_bool', 1001: '_bytea', 1005: '_int2', 1007: '_int4', 1016: '_int8', 1009: '_text',
  1015: '_varchar', 1231: '_numeric', 1021: '_float4', 1022: '_float8', 2951: '_uuid', 3807: '_jsonb', 199: '_json',
  1182: '_date', 1115: '_timestamp', 1185: '_timestamptz', 3614: 'tsvector', 3904: 'int4range', 3926: 'int8range',
};

export function pgTypeName(oid: number): string {
  return TYPE_NAMES[oid] ?? `oid:${oid}`;
}
