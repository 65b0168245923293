import { describe, expect, it } from 'vitest';
import { toTsv } from '../../renderer/src/components/data-grid/copyFormats.ts';
import { parseTsv } from '../../renderer/src/features/row-editing/tsv.ts';

describe('pasted TSV', () => {
  it('splits rows and fields; the spreadsheet’s last line break is not a row', () => {
    expect(parseTsv('a\tb\n1\t2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseTsv('a\t\tc\r\n\t\t')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
    expect(parseTsv('one')).toEqual([['one']]);
  });

  it('reads quoted fields with tabs, line breaks and doubled quotes; a quote inside a field is text', () => {
    expect(parseTsv('"x\ty"\t"line 1\nline 2"\t"say ""hi"""\n5" tall\tb')).toEqual([
      ['x\ty', 'line 1\nline 2', 'say "hi"'],
      ['5" tall', 'b'],
    ]);
    expect(parseTsv('"open\tb')).toEqual([['"open', 'b']]);
  });

  it('reads back what the grid copies', () => {
    const rows = [
      ['plain', 'tab\there', 'quote " and\nbreak'],
      ['', '"', 'x'],
    ];
    const columns = [{ name: 'a', type: 'text' }, { name: 'b', type: 'text' }, { name: 'c', type: 'text' }];
    expect(parseTsv(toTsv(columns, rows))).toEqual(rows);
  });
});
