/**
 * Tab-separated text as spreadsheets put it on the clipboard (and the grid's own Ctrl+C): fields split by
 * tabs, rows by line breaks, a field in double quotes may hold tabs, line breaks and doubled quotes. One
 * line break at the very end is the spreadsheet's, not an empty row.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const input = text.replace(/\r\n?$|\n$/, '');
  while (i <= input.length) {
    const c = input[i];
    if (field === '' && c === '"' && isQuotedField(input, i)) {
      const close = closingQuote(input, i);
      field = input.slice(i + 1, close).replace(/""/g, '"');
      i = close + 1;
      continue;
    }
    if (c === '\t') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r' || c === undefined) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && input[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  return rows;
}

/** The quote that closes a quoted field opened at `open` (a doubled quote is text). */
function closingQuote(input: string, open: number): number {
  let i = open + 1;
  while (i < input.length) {
    if (input[i] === '"') {
      if (input[i + 1] === '"') i += 2;
      else return i;
    } else i++;
  }
  return -1;
}

/** A quote opens a quoted field only when its closing quote is followed by a tab, a line break or the end. */
function isQuotedField(input: string, open: number): boolean {
  const close = closingQuote(input, open);
  if (close < 0) return false;
  const after = input[close + 1];
  return after === undefined || after === '\t' || after === '\n' || after === '\r';
}
