/** Text typed into an editor, checked against the column's kind and turned into the value sent to the core. */
import type { ColumnTypeClass } from '../../../../shared/browse.ts';
import type { EditValue } from '../../../../shared/edits.ts';
import { isBytes, type CellValue } from '../../../../shared/values.ts';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_WORDS = /^(?:[+-]?infinity|nan)$/i;
const HEX = /^(?:\\x|0x)?((?:[0-9a-fA-F]{2})*)$/;

export type Parsed = { ok: true; value: EditValue } | { ok: false; message: string };

export function parseEditText(text: string, typeClass: ColumnTypeClass): Parsed {
  switch (typeClass) {
    case 'integer':
      return INTEGER.test(text.trim()) ? { ok: true, value: text.trim() } : { ok: false, message: 'Expected a whole number' };
    case 'decimal':
      return DECIMAL.test(text.trim()) ? { ok: true, value: text.trim() } : { ok: false, message: 'Expected a decimal number' };
    case 'float':
      return DECIMAL.test(text.trim()) || FLOAT_WORDS.test(text.trim()) ? { ok: true, value: text.trim() } : { ok: false, message: 'Expected a number' };
    case 'boolean': {
      const word = text.trim().toLowerCase();
      return word === 'true' || word === 'false' ? { ok: true, value: word } : { ok: false, message: 'Expected true or false' };
    }
    case 'binary': {
      const match = HEX.exec(text.trim());
      return match ? { ok: true, value: { kind: 'bytes', hex: match[1]!.toLowerCase() } } : { ok: false, message: 'Expected hex digits, two per byte' };
    }
    default:
      return { ok: true, value: text };
  }
}

/** The text an editor starts from: the value's own text, bytes as hex, NULL as empty. */
export function editText(value: CellValue | EditValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return value.hex;
}

/** A value to send, from a loaded cell (bytes lose their length, which the core ignores anyway). */
export function toEditValue(value: CellValue): EditValue {
  return isBytes(value) ? { kind: 'bytes', hex: value.hex } : value;
}

/** A value sent, as the grid shows it. */
export function toCellValue(value: EditValue): CellValue {
  if (value === null || typeof value === 'string') return value;
  return { kind: 'bytes', hex: value.hex, length: value.hex.length / 2 };
}

export function describeValue(value: CellValue | EditValue | undefined): string {
  if (value === undefined) return '(absent)';
  if (value === null) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  return `0x${value.hex}`;
}
