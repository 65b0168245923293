/**
 * The grid's window of rows: blocks of `blockSize` rows fetched from a row source as the viewport asks
 * for them, kept in an LRU bounded by an estimate of their memory, so scrolling through 200,000 rows
 * (or 50 million) keeps memory flat. No React here: the grid subscribes to `version`.
 *
 * Fetch policy:
 * - only blocks intersecting the wanted range (viewport plus overscan) are fetched;
 * - when the wanted range keeps moving (a fast scroll or a dragged thumb), fetch rounds are spaced by
 *   `throttleMs`, each for the range wanted at that moment, so blocks scrolled past in between are
 *   never asked for; after a pause the next round starts at once;
 * - a fetch whose block leaves the wanted range (plus one block either side) is aborted;
 * - blocks in the wanted range are never evicted, whatever the budget (1,000 columns × 1 MB cells).
 * - `refresh()` keeps showing the rows it has while their new version loads: no flash of placeholders.
 */
import type { CellValue } from '../../../../shared/values.ts';

/** Rows from a source that may place rows by a guess, and learn later where they really are. */
export interface PlacedRows {
  rows: CellValue[][];
  /** The index is a guess (a far jump into a big table placed approximately): right rows, in order, numbered roughly. */
  approximate: boolean;
  /** Grows when rows placed before have moved: blocks read under a smaller number are read again. */
  placement: number;
}

/**
 * Where the grid's rows come from. `getRows` may return fewer rows than asked at the end of the data; a
 * plain list is rows at their exact index.
 */
export interface RowSource {
  getRows(start: number, count: number, signal: AbortSignal): Promise<CellValue[][] | PlacedRows>;
}

const rowsOf = (read: CellValue[][] | PlacedRows): CellValue[][] => (Array.isArray(read) ? read : read.rows);

export type RowStatus = 'loaded' | 'loading' | 'error' | 'missing';

interface Block {
  index: number;
  /** Rows as last loaded (possibly stale after `refresh`); null until the first load. */
  rows: CellValue[][] | null;
  /** False after `refresh` until the new rows arrive. */
  fresh: boolean;
  /** The rows' indices are a guess (the source said so). */
  approximate: boolean;
  /** The source's `placement` the rows were read under. */
  placement: number;
  controller: AbortController | null;
  error: unknown;
  weight: number;
}

export interface BlockCacheOptions {
  source: RowSource;
  blockSize?: number;
  /** Estimated bytes of rows kept, beyond the blocks on screen. */
  budgetBytes?: number;
  /** Minimum time between two fetch rounds while the wanted range keeps changing. */
  throttleMs?: number;
  /** A fetch failed (aborts are not failures). */
  onError?: (error: unknown) => void;
  /** A block came back short: the data ends at this row count (the count given may be an estimate). */
  onEndFound?: (rowCount: number) => void;
  now?: () => number;
}

export const DEFAULT_BLOCK_SIZE = 200;
export const DEFAULT_BUDGET_BYTES = 48 * 1024 * 1024;

/** A rough size of a block in memory: enough to bound the cache, not an exact accounting. */
export function estimateRowsWeight(rows: readonly (readonly CellValue[])[]): number {
  let bytes = 1024;
  for (const row of rows) {
    bytes += 32 + row.length * 8;
    for (const value of row) {
      if (typeof value === 'string') bytes += 24 + value.length * 2;
      else if (value !== null) bytes += 64 + value.hex.length * 2;
    }
  }
  return bytes;
}

export class BlockCache {
  readonly blockSize: number;
  private readonly source: RowSource;
  private readonly budget: number;
  private readonly throttleMs: number;
  private events: Pick<BlockCacheOptions, 'onError' | 'onEndFound'>;
  private readonly now: () => number;
  /** Map order is LRU order: first is least recently wanted. */
  private readonly blocks = new Map<number, Block>();
  private weight = 0;
  private wantFirst = 0;
  private wantEnd = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRound = Number.NEGATIVE_INFINITY;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private approximateView: ((index: number) => boolean) | null = null;
  /** The newest `placement` a source gave. */
  private placement = 0;

  constructor(options: BlockCacheOptions) {
    this.events = { onError: options.onError, onEndFound: options.onEndFound };
    this.source = options.source;
    this.blockSize = Math.max(1, options.blockSize ?? DEFAULT_BLOCK_SIZE);
    this.budget = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
    this.throttleMs = options.throttleMs ?? 40;
    this.now = options.now ?? (() => performance.now());
  }

  /** Replaces the error and end-of-data callbacks (the grid's props change over time). */
  setEvents(events: Pick<BlockCacheOptions, 'onError' | 'onEndFound'>): void {
    this.events = events;
  }

  // ---- subscription (useSyncExternalStore) ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    this.approximateView = null;
    for (const listener of this.listeners) listener();
  }

  // ---- reading ----

  row(index: number): CellValue[] | undefined {
    return this.blocks.get(Math.floor(index / this.blockSize))?.rows?.[index % this.blockSize];
  }

  /** Whether a loaded row's index is only a guess. */
  rowApproximate(index: number): boolean {
    return this.blocks.get(Math.floor(index / this.blockSize))?.approximate === true;
  }

  /** `rowApproximate` as a function that is new whenever blocks changed: memoised row numbers redraw then only. */
  approximateRows(): (index: number) => boolean {
    this.approximateView ??= (index) => this.rowApproximate(index);
    return this.approximateView;
  }

  rowStatus(index: number): RowStatus {
    const block = this.blocks.get(Math.floor(index / this.blockSize));
    if (block?.rows) return index % this.blockSize < block.rows.length ? 'loaded' : 'missing';
    if (block && !block.controller && block.error !== null) return 'error';
    return 'loading';
  }

  rowError(index: number): unknown {
    return this.blocks.get(Math.floor(index / this.blockSize))?.error ?? null;
  }

  /** Whether every row of [top, bottom] is loaded (or known to be past the end). */
  hasRows(top: number, bottom: number): boolean {
    for (let b = Math.floor(top / this.blockSize); b <= Math.floor(bottom / this.blockSize); b++) {
      const block = this.blocks.get(b);
      if (!block?.rows || !block.fresh) return false;
      if (block.rows.length < this.blockSize) return true;
    }
    return true;
  }

  /** Rows [start, start + count) from loaded blocks only; stops at the first row not loaded. */
  loadedRows(start: number, count: number): CellValue[][] {
    const out: CellValue[][] = [];
    for (let i = start; i < start + count; i++) {
      const row = this.row(i);
      if (!row) break;
      out.push(row);
    }
    return out;
  }

  /**
   * Rows [start, start + count): loaded blocks from the cache, the rest straight from the source in as
   * few calls as possible. What is fetched here is not cached (a copy of 100,000 rows must not evict
   * the rows on screen).
   */
  read = async (start: number, count: number, signal?: AbortSignal): Promise<CellValue[][]> => {
    const out: CellValue[][] = [];
    const end = start + count;
    let i = start;
    while (i < end) {
      const b = Math.floor(i / this.blockSize);
      const block = this.blocks.get(b);
      if (block?.rows && block.fresh) {
        const from = i - b * this.blockSize;
        const to = Math.min(block.rows.length, end - b * this.blockSize);
        for (let r = from; r < to; r++) out.push(block.rows[r]!);
        if (block.rows.length < this.blockSize) return out;
        i = (b + 1) * this.blockSize;
        continue;
      }
      // A run of blocks not loaded: one call.
      let runEnd = (b + 1) * this.blockSize;
      while (runEnd < end) {
        const next = this.blocks.get(Math.floor(runEnd / this.blockSize));
        if (next?.rows && next.fresh) break;
        runEnd += this.blockSize;
      }
      const want = Math.min(runEnd, end) - i;
      const rows = rowsOf(await this.source.getRows(i, want, signal ?? new AbortController().signal));
      for (const row of rows.slice(0, want)) out.push(row);
      if (rows.length < want) return out;
      i += want;
    }
    return out;
  };

  // ---- fetching ----

  /** The viewport now needs rows [first, end). Cheap to call on every frame. */
  want(first: number, end: number): void {
    const wantFirst = Math.floor(Math.max(0, first) / this.blockSize);
    const wantEnd = end > first ? Math.floor((end - 1) / this.blockSize) + 1 : wantFirst;
    if (wantFirst === this.wantFirst && wantEnd === this.wantEnd) return;
    this.wantFirst = wantFirst;
    this.wantEnd = wantEnd;
    this.abortOutside(wantFirst - 1, wantEnd + 1);
    for (let b = wantFirst; b < wantEnd; b++) this.touch(b);
    this.schedule();
  }

  /** Re-fetch the blocks on screen, showing the old rows until the new ones arrive; drop the rest. */
  refresh(): void {
    for (const [index, block] of [...this.blocks]) {
      block.controller?.abort();
      block.controller = null;
      if (index < this.wantFirst || index >= this.wantEnd || !block.rows) {
        this.drop(index);
      } else {
        block.fresh = false;
        block.error = null;
      }
    }
    this.cancelTimer();
    this.fetchWanted();
    this.changed();
  }

  /** Stop every fetch (the grid unmounts, or its source changes). The cache stays usable. */
  abortAll(): void {
    this.cancelTimer();
    for (const [index, block] of [...this.blocks]) {
      if (!block.controller) continue;
      block.controller.abort();
      block.controller = null;
      if (!block.rows) this.drop(index);
    }
    // A later `want`, even of the same range, fetches again, at once.
    this.wantFirst = this.wantEnd = 0;
    this.lastRound = Number.NEGATIVE_INFINITY;
  }

  /** For tests and the dev harness. */
  stats(): { blocks: number; weight: number; inFlight: number } {
    let inFlight = 0;
    for (const block of this.blocks.values()) if (block.controller) inFlight++;
    return { blocks: this.blocks.size, weight: this.weight, inFlight };
  }

  private schedule(): void {
    if (this.timer !== null || !this.needsFetch()) return;
    const wait = this.lastRound + this.throttleMs - this.now();
    if (wait <= 0) this.fetchWanted();
    else this.timer = setTimeout(() => this.fetchWanted(), wait);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private needsFetch(): boolean {
    for (let b = this.wantFirst; b < this.wantEnd; b++) {
      const block = this.blocks.get(b);
      if (!block || (!block.fresh && !block.controller && block.error === null)) return true;
    }
    return false;
  }

  private fetchWanted(): void {
    this.timer = null;
    this.lastRound = this.now();
    for (let b = this.wantFirst; b < this.wantEnd; b++) {
      const block = this.blocks.get(b);
      if (!block || (!block.fresh && !block.controller && block.error === null)) this.fetchBlock(b, block);
    }
  }

  private fetchBlock(index: number, existing: Block | undefined): void {
    const block: Block = existing ?? { index, rows: null, fresh: false, approximate: false, placement: 0, controller: null, error: null, weight: 0 };
    const controller = new AbortController();
    block.controller = controller;
    this.blocks.delete(index);
    this.blocks.set(index, block);
    const start = index * this.blockSize;
    let request: Promise<CellValue[][] | PlacedRows>;
    try {
      request = this.source.getRows(start, this.blockSize, controller.signal);
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (read) => {
        if (block.controller !== controller || this.blocks.get(index) !== block) return;
        const rows = rowsOf(read);
        const kept = rows.length > this.blockSize ? rows.slice(0, this.blockSize) : rows;
        block.controller = null;
        block.rows = kept;
        block.error = null;
        block.approximate = !Array.isArray(read) && read.approximate;
        block.placement = Array.isArray(read) ? this.placement : read.placement;
        // Read under an older placement than one already seen: shown until read again.
        block.fresh = block.placement >= this.placement;
        this.weight += estimateRowsWeight(kept) - block.weight;
        block.weight = estimateRowsWeight(kept);
        if (kept.length < this.blockSize) this.events.onEndFound?.(start + kept.length);
        if (block.placement > this.placement) this.placedAgain(block.placement);
        this.evict();
        this.changed();
        this.schedule();
      },
      (error: unknown) => {
        if (controller.signal.aborted || block.controller !== controller || this.blocks.get(index) !== block) return;
        block.controller = null;
        block.error = error ?? new Error('The rows could not be read.');
        block.fresh = true;
        this.events.onError?.(error);
        this.changed();
      },
    );
  }

  /** The source placed rows anew: blocks read before are read again (those on screen shown until then). */
  private placedAgain(placement: number): void {
    this.placement = placement;
    for (const [index, block] of [...this.blocks]) {
      if (block.controller || !block.rows || block.placement >= placement) continue;
      if (index >= this.wantFirst && index < this.wantEnd) block.fresh = false;
      else this.drop(index);
    }
  }

  private touch(index: number): void {
    const block = this.blocks.get(index);
    if (!block) return;
    this.blocks.delete(index);
    this.blocks.set(index, block);
  }

  private drop(index: number): void {
    const block = this.blocks.get(index);
    if (!block) return;
    this.weight -= block.weight;
    this.blocks.delete(index);
  }

  /**
   * Abort in-flight fetches of blocks outside [first, end), and forget failures there, so that coming
   * back to a block that failed tries it again.
   */
  private abortOutside(first: number, end: number): void {
    for (const [index, block] of [...this.blocks]) {
      if (index >= first && index < end) continue;
      if (block.controller) {
        block.controller.abort();
        block.controller = null;
        if (!block.rows) this.drop(index); // a stale block keeps its old rows until wanted again
      } else if (!block.rows && block.error !== null) {
        this.drop(index);
      }
    }
  }

  private evict(): void {
    if (this.weight <= this.budget) return;
    for (const [index, block] of [...this.blocks]) {
      if (this.weight <= this.budget) break;
      if (block.controller || (index >= this.wantFirst && index < this.wantEnd)) continue;
      this.drop(index);
    }
  }
}
