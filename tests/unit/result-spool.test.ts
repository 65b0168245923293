import { describe, expect, it } from 'vitest';
import { ResultSpool } from '../../electron/core/sessions/result-spool.ts';
import type { CellValue } from '../../shared/values.ts';

const row = (i: number): CellValue[] => [String(i), i % 7 === 0 ? null : `text ${i}\nline`, { kind: 'bytes', hex: 'ff00', length: 2 }];

describe('ResultSpool', () => {
  it('reads any window back by index, exactly, across blocks and the unflushed tail', async () => {
    const spool = new ResultSpool();
    for (let i = 0; i < 2_345; i += 100) await spool.append(Array.from({ length: Math.min(100, 2_345 - i) }, (_, k) => row(i + k)));
    expect(spool.rowCount).toBe(2_345);
    expect(await spool.read(0, 3)).toEqual([row(0), row(1), row(2)]);
    expect(await spool.read(498, 4)).toEqual([row(498), row(499), row(500), row(501)]);
    expect(await spool.read(2_340, 10)).toEqual([2_340, 2_341, 2_342, 2_343, 2_344].map(row));
    expect(await spool.read(1_000, 1_200)).toEqual(Array.from({ length: 1_200 }, (_, k) => row(1_000 + k)));
    expect(await spool.read(5_000, 10)).toEqual([]);
    await spool.close();
    expect(await spool.read(0, 1)).toEqual([]);
  });

  it('keeps NULL, empty text and the text NULL apart', async () => {
    const spool = new ResultSpool();
    await spool.append([[null, '', 'NULL']]);
    expect(await spool.read(0, 1)).toEqual([[null, '', 'NULL']]);
    await spool.close();
  });
});
