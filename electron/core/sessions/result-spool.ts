import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellValue } from '../../../shared/values.ts';

/** Rows per block: the unit of the index on disk and of the memory cache. */
const BLOCK_ROWS = 500;
/** Blocks kept in memory: with 50 columns of short values, a few MB at most. */
const CACHED_BLOCKS = 8;

let spoolDir: string | undefined;
/** One folder per process, removed when the process exits. */
function spoolFolder(): string {
  if (!spoolDir) {
    spoolDir = mkdtempSync(join(tmpdir(), 'cabinet-results-'));
    const dir = spoolDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return spoolDir;
}

/**
 * A result's rows on disk, read back by row index: rows are appended as JSON lines in blocks, and an index of
 * each block's byte range lets any window be read without reading what comes before it. A small cache of
 * blocks serves scrolling. Memory stays bounded whatever the result's size.
 */
export class ResultSpool {
  private readonly path = join(spoolFolder(), `${randomBytes(8).toString('hex')}.jsonl`);
  private file: Promise<FileHandle> | undefined;
  private readonly blocks: { offset: number; length: number }[] = [];
  private pending: CellValue[][] = [];
  private size = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<number, CellValue[][]>();
  private closed = false;
  /** Rows appended so far, flushed or not. */
  rowCount = 0;

  /** Adds rows at the end. Full blocks go to disk; the last partial block stays in memory. */
  append(rows: CellValue[][]): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending.push(...rows);
    this.rowCount += rows.length;
    const writes: Promise<void>[] = [];
    while (this.pending.length >= BLOCK_ROWS) writes.push(this.writeBlock(this.pending.splice(0, BLOCK_ROWS)));
    return Promise.all(writes).then(() => undefined);
  }

  /** Rows [start, start + count), clipped to what the spool holds. */
  async read(start: number, count: number): Promise<CellValue[][]> {
    const end = Math.min(this.rowCount, start + count);
    const rows: CellValue[][] = [];
    for (let index = Math.max(0, start); index < end; ) {
      const block = Math.floor(index / BLOCK_ROWS);
      const blockRows = await this.block(block);
      const from = index - block * BLOCK_ROWS;
      const take = Math.min(blockRows.length - from, end - index);
      if (take <= 0) break;
      for (let i = 0; i < take; i++) rows.push(blockRows[from + i]!);
      index += take;
    }
    return rows;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.rowCount = 0;
    this.cache.clear();
    this.pending = [];
    await this.writes.catch(() => undefined);
    const file = await this.file?.catch(() => undefined);
    await file?.close().catch(() => undefined);
    rmSync(this.path, { force: true });
  }

  private block(index: number): Promise<CellValue[][]> {
    if (index === this.blocks.length) return Promise.resolve(this.pending);
    const cached = this.cache.get(index);
    if (cached) {
      // Most recently used last.
      this.cache.delete(index);
      this.cache.set(index, cached);
      return Promise.resolve(cached);
    }
    return this.readBlock(index);
  }

  private async readBlock(index: number): Promise<CellValue[][]> {
    await this.writes;
    const { offset, length } = this.blocks[index]!;
    const buffer = Buffer.alloc(length);
    const file = await this.handle();
    await file.read(buffer, 0, length, offset);
    const rows = buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as CellValue[]);
    this.cache.set(index, rows);
    while (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
    return rows;
  }

  private writeBlock(rows: CellValue[][]): Promise<void> {
    const text = Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n') + '\n', 'utf8');
    const offset = this.size;
    this.size += text.length;
    this.blocks.push({ offset, length: text.length });
    const write = this.writes.then(async () => {
      const file = await this.handle();
      await file.write(text, 0, text.length, offset);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  private handle(): Promise<FileHandle> {
    this.file ??= open(this.path, 'w+', 0o600);
    return this.file;
  }
}
