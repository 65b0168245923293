import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CellValue } from '../../shared/values.ts';
import { BlockCache, estimateRowsWeight } from '../../renderer/src/components/data-grid/blockCache.ts';

/** A row source over a synthetic table, recording calls and settling when the test says. */
function fakeSource(total: number, columns = 3) {
  const calls: { start: number; count: number; signal: AbortSignal; resolve: () => void }[] = [];
  // One shared string per column keeps a 200,000 × 50 run fast; the cache weighs each cell anyway.
  const filler = Array.from({ length: columns }, (_, c) => `value of column ${c}`);
  const rowsAt = (start: number, count: number): CellValue[][] =>
    Array.from({ length: Math.max(0, Math.min(count, total - start)) }, (_, k) => {
      const row: CellValue[] = filler.slice();
      row[0] = String(start + k);
      return row;
    });
  const source = {
    getRows(start: number, count: number, signal: AbortSignal) {
      return new Promise<CellValue[][]>((resolve, reject) => {
        const call = { start, count, signal, resolve: () => resolve(rowsAt(start, count)) };
        calls.push(call);
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    },
  };
  const settleAll = async () => {
    for (const call of calls.splice(0)) if (!call.signal.aborted) call.resolve();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { source, calls, settleAll, rowsAt };
}

let clock = 0;
beforeEach(() => {
  vi.useFakeTimers();
  clock = 1000;
});
afterEach(() => vi.useRealTimers());
const now = () => clock;
const advance = async (ms: number) => {
  clock += ms;
  await vi.advanceTimersByTimeAsync(ms);
};

describe('BlockCache', () => {
  it('fetches only the blocks intersecting the wanted range, and shows placeholders until they arrive', async () => {
    const { source, calls, settleAll } = fakeSource(1_000_000);
    const cache = new BlockCache({ source, blockSize: 200, now });
    cache.want(150, 250);
    expect(calls.map((c) => [c.start, c.count])).toEqual([
      [0, 200],
      [200, 200],
    ]);
    expect(cache.rowStatus(150)).toBe('loading');
    expect(cache.row(150)).toBeUndefined();
    const before = cache.getVersion();
    await settleAll();
    expect(cache.getVersion()).toBeGreaterThan(before);
    expect(cache.rowStatus(150)).toBe('loaded');
    expect(cache.row(399)![0]).toBe('399');
  });

  it('jumping to the end or the middle never reads the rows in between', async () => {
    const { source, calls, settleAll } = fakeSource(5_000_000);
    const cache = new BlockCache({ source, blockSize: 200, now });
    cache.want(0, 40);
    await settleAll();
    await advance(100);
    cache.want(4_999_975, 5_000_000);
    await settleAll();
    await advance(100);
    cache.want(2_499_980, 2_500_020);
    await settleAll();
    expect(calls).toHaveLength(0);
    expect(cache.stats().blocks).toBe(4);
    expect(cache.row(4_999_999)![0]).toBe('4999999');
    expect(cache.row(2_500_000)![0]).toBe('2500000');
  });

  it('spaces fetch rounds while the range keeps moving, and aborts blocks scrolled past', async () => {
    const { source, calls } = fakeSource(5_000_000);
    const cache = new BlockCache({ source, blockSize: 200, throttleMs: 40, now });
    cache.want(0, 40); // idle before: fetched at once
    expect(calls).toHaveLength(1);
    // A dragged thumb: a new far-away range every frame.
    for (let frame = 1; frame <= 10; frame++) {
      await advance(16);
      cache.want(frame * 100_000, frame * 100_000 + 40);
    }
    const started = calls.map((c) => c.start);
    // Not one fetch per frame: rounds at most every 40 ms.
    expect(started.length).toBeLessThanOrEqual(1 + Math.ceil((10 * 16) / 40));
    // Everything but the block on screen now was aborted.
    const live = calls.filter((c) => !c.signal.aborted).map((c) => c.start);
    expect(live.every((start) => start === 1_000_000)).toBe(true);
    await advance(100);
    expect(calls.filter((c) => !c.signal.aborted).map((c) => c.start)).toEqual([1_000_000]);
    expect(cache.stats().inFlight).toBe(1);
  });

  it('keeps memory bounded while scrolling through 200,000 rows × 50 columns', async () => {
    const { source, settleAll } = fakeSource(200_000, 50);
    const budget = 8 * 1024 * 1024;
    const cache = new BlockCache({ source, blockSize: 200, budgetBytes: budget, now });
    let peak = 0;
    for (let first = 0; first < 200_000; first += 100) {
      cache.want(first, first + 40);
      await settleAll();
      clock += 50; // a steady pace: every round is past the throttle, no timer needed
      peak = Math.max(peak, cache.stats().weight);
    }
    const oneBlock = estimateRowsWeight(fakeSource(200, 50).rowsAt(0, 200));
    expect(peak).toBeLessThanOrEqual(budget + 2 * oneBlock);
    expect(cache.stats().blocks).toBeLessThan(budget / oneBlock + 3);
    expect(cache.row(199_999)![0]).toBe('199999');
  });

  it('never evicts the blocks on screen, even over budget', async () => {
    const { source, settleAll } = fakeSource(10_000, 200);
    const cache = new BlockCache({ source, blockSize: 200, budgetBytes: 1, now });
    cache.want(190, 230);
    await settleAll();
    expect(cache.rowStatus(190)).toBe('loaded');
    expect(cache.rowStatus(229)).toBe('loaded');
  });

  it('refresh re-reads the blocks on screen while still showing the old rows, and drops the rest', async () => {
    const { source, calls, settleAll } = fakeSource(100_000);
    const cache = new BlockCache({ source, blockSize: 200, now });
    cache.want(0, 40);
    await settleAll();
    await advance(100);
    cache.want(5000, 5040);
    await settleAll();
    cache.refresh();
    expect(calls.map((c) => c.start)).toEqual([5000]);
    expect(cache.rowStatus(5001)).toBe('loaded'); // old rows stay on screen
    expect(cache.hasRows(5000, 5039)).toBe(false); // but a copy would not use them
    expect(cache.row(10)).toBeUndefined(); // off-screen blocks are forgotten
    await settleAll();
    expect(cache.hasRows(5000, 5039)).toBe(true);
  });

  it('reports where the data ends when a block comes back short', async () => {
    const { source, settleAll } = fakeSource(1_050);
    const onEndFound = vi.fn();
    const cache = new BlockCache({ source, blockSize: 200, now, onEndFound });
    cache.want(1_000, 1_100); // the estimate said 1,100 rows
    await settleAll();
    expect(onEndFound).toHaveBeenCalledWith(1_050);
    expect(cache.rowStatus(1_049)).toBe('loaded');
    expect(cache.rowStatus(1_050)).toBe('missing');
  });

  it('reports a failed read once, shows it as an error, and tries again after scrolling away and back', async () => {
    let fail = true;
    const calls: number[] = [];
    const source = {
      getRows: async (start: number) => {
        calls.push(start);
        if (fail) throw new Error('connection lost');
        return [[String(start)]];
      },
    };
    const onError = vi.fn();
    const cache = new BlockCache({ source, blockSize: 200, now, onError });
    cache.want(0, 10);
    await advance(1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(cache.rowStatus(0)).toBe('error');
    expect((cache.rowError(0) as Error).message).toBe('connection lost');
    cache.want(0, 12); // same block: no retry storm
    expect(calls).toEqual([0]);
    fail = false;
    cache.want(10_000, 10_010);
    await advance(100);
    cache.want(0, 10);
    await advance(100);
    expect(cache.rowStatus(0)).toBe('loaded');
  });

  it('read() serves loaded rows from the cache and fetches only the gaps, without caching them', async () => {
    const { source, calls, settleAll } = fakeSource(10_000);
    const cache = new BlockCache({ source, blockSize: 200, now });
    cache.want(400, 440);
    await settleAll();
    const reading = cache.read(100, 1_000);
    await Promise.resolve();
    expect(calls.map((c) => [c.start, c.count])).toEqual([[100, 300]]);
    await settleAll();
    await Promise.resolve();
    expect(calls.map((c) => [c.start, c.count])).toEqual([[600, 500]]);
    await settleAll();
    const rows = await reading;
    expect(rows).toHaveLength(1_000);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 1_000 }, (_, i) => 100 + i));
    expect(cache.stats().blocks).toBe(1);
  });

  it('abortAll stops every fetch and the cache keeps working', async () => {
    const { source, calls, settleAll } = fakeSource(10_000);
    const cache = new BlockCache({ source, blockSize: 200, now });
    cache.want(0, 40);
    cache.abortAll();
    expect(calls[0]!.signal.aborted).toBe(true);
    cache.want(0, 40);
    expect(calls).toHaveLength(2);
    await settleAll();
    expect(cache.rowStatus(0)).toBe('loaded');
  });

  it('marks the rows a source placed by a guess, and gives the row numbers a new view of them when blocks arrive', async () => {
    // Rows from 1,000,000 on come from a far jump placed approximately.
    const source = {
      getRows: async (start: number, count: number) => {
        const rows: CellValue[][] = Array.from({ length: count }, (_, k) => [String(start + k)]);
        return start >= 1_000_000 ? { rows, approximate: true, placement: 0 } : rows;
      },
    };
    const cache = new BlockCache({ source, blockSize: 100, now });
    const before = cache.approximateRows();
    expect(cache.approximateRows()).toBe(before);
    cache.want(999_950, 1_000_050);
    await vi.advanceTimersByTimeAsync(0);
    const after = cache.approximateRows();
    expect(after).not.toBe(before);
    expect([after(999_999), after(1_000_000), after(1_000_099), after(1_000_100)]).toEqual([false, true, true, false]);
    expect(cache.row(1_000_000)).toEqual(['1000000']);
    expect(await cache.read(999_998, 4)).toEqual([['999998'], ['999999'], ['1000000'], ['1000001']]);
  });

  it('reads again the blocks placed before, when the source says it placed rows anew', async () => {
    // The source's rows move by 1000 once it has "learned" where they are (placement 1).
    let placement = 0;
    const calls: number[] = [];
    const source = {
      getRows: async (start: number, count: number) => {
        calls.push(start);
        const shift = placement * 1000;
        return { rows: Array.from({ length: count }, (_, k): CellValue[] => [String(start + k + shift)]), approximate: placement === 0, placement };
      },
    };
    const cache = new BlockCache({ source, blockSize: 100, now });
    cache.want(0, 150);
    await vi.advanceTimersByTimeAsync(0);
    cache.want(1000, 1100);
    await advance(100);
    expect(cache.row(50)).toEqual(['50']);
    cache.want(0, 150);
    await advance(100);
    expect(calls).toEqual([0, 100, 1000]);
    // A read under the new placement: the blocks on screen are read again, the others forgotten.
    placement = 1;
    cache.want(0, 250);
    await advance(100);
    expect(calls.slice(3).sort((a, b) => a - b)).toEqual([0, 100, 200]);
    expect([cache.row(50), cache.row(150), cache.row(250)]).toEqual([['1050'], ['1150'], ['1250']]);
    expect(cache.approximateRows()(50)).toBe(false);
    expect(cache.stats().blocks).toBe(3);
  });
});
