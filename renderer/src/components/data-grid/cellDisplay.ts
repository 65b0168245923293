/**
 * What a cell shows. Always plain text (React text children, never HTML), and never more than
 * `MAX_CELL_CHARS` characters: a 1 MB value stays in the row cache, its first line or so goes to the DOM.
 */
import { isBytes, type CellValue } from '../../../../shared/values.ts';

export const MAX_CELL_CHARS = 200;
/** Bytes shown in a cell before the hex is cut (the size always follows). */
const MAX_CELL_BYTES = 32;

export type CellKind = 'null' | 'empty' | 'text' | 'bytes';

export interface CellDisplay {
  kind: CellKind;
  /** The text on screen, which is also the cell's accessible name. */
  text: string;
  /** Whether the value is longer than what is shown (open it whole with `onCellOpen`). */
  cut: boolean;
}

export function formatByteSize(length: number): string {
  if (length < 1024) return `${length} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let size = length / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${size < 10 ? size.toFixed(1) : Math.round(size)} ${units[unit]}`;
}

/** Line breaks would make a 24 px row two lines tall; they show as ↵ (the side panel shows them as is). */
const LINE_BREAK = /\r\n|\r|\n/g;

export function cellDisplay(value: CellValue | undefined): CellDisplay {
  if (value === null) return { kind: 'null', text: 'NULL', cut: false };
  if (value === undefined || value === '') return { kind: 'empty', text: '', cut: false };
  if (isBytes(value)) {
    const shown = value.hex.slice(0, MAX_CELL_BYTES * 2).toUpperCase();
    const cut = value.hex.length > shown.length || value.hex.length < value.length * 2;
    return { kind: 'bytes', text: `\\x${shown}${cut ? '…' : ''} (${formatByteSize(value.length)})`, cut };
  }
  const cut = value.length > MAX_CELL_CHARS;
  let head = value;
  if (cut) {
    // Never split a surrogate pair (an emoji would turn into U+FFFD).
    const code = value.charCodeAt(MAX_CELL_CHARS - 1);
    head = value.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_CELL_CHARS - 1 : MAX_CELL_CHARS);
  }
  return { kind: 'text', text: (cut ? `${head}…` : head).replace(LINE_BREAK, '↵'), cut };
}

/**
 * Upper bounds of a glyph's width in the grid's cell fonts (12.5 px at most, see data-grid.css): digits and the
 * punctuation of numbers, times and dates; any other printable ASCII character (W and @ are about 1 em).
 */
const NARROW_GLYPH_PX = 8.5;
const ASCII_GLYPH_PX = 15;
/** A cell's horizontal padding and border. */
const CELL_CHROME_PX = 17;

function isNarrow(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x20 || code === 0x2c || code === 0x2d || code === 0x2e || code === 0x3a;
}

/**
 * Whether `text` surely fits in a cell `width` px wide, so that the cell can go without clipping (a clipping
 * cell is a clip node of its own that the browser builds and composites in every frame that paints the cell,
 * a cost a fast scroll pays for each cell on screen). Conservative: printable ASCII only, every character
 * counted at the widest it can be; anything else clips.
 */
export function surelyFits(text: string, width: number): boolean {
  let px = CELL_CHROME_PX;
  for (let i = 0; i < text.length && px <= width; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
    px += isNarrow(code) ? NARROW_GLYPH_PX : ASCII_GLYPH_PX;
  }
  return px <= width;
}
