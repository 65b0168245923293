/** Values between the grid (cells as loaded), the editors (text) and the core (values sent). */
import type { EditValue } from '../../../../shared/edits.ts';
import { isBytes, type CellValue } from '../../../../shared/values.ts';

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
