/**
 * Where an export's bytes go: a hidden partial file beside the target, written in large buffers, renamed over
 * the target only when the export finished, and deleted when it did not. So a cancelled or failed export
 * never leaves half a file, and never clobbers the file it was to replace.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CabinetError } from '../../../shared/errors.ts';

/** Bytes gathered before one write to the file. */
const STAGING_BYTES = 1024 * 1024;
/** Bytes the file stream may hold before it asks its writer to wait. */
const HIGH_WATER = 8 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class FileSink {
  /** Bytes accepted so far (written or about to be). */
  bytes = 0;
  /** Small chunks (COPY's rows) are gathered here and written a megabyte at a time. */
  private staging = EMPTY;
  private used = 0;
  private waiting: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    readonly target: string,
    readonly partial: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  /** Creates the partial file (failing at once, with a sentence, when the folder is missing or not writable). */
  static async open(target: string): Promise<FileSink> {
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isDirectory()) throw new CabinetError({ code: 'BAD_INPUT', message: `${target} is a folder: choose a file name to export to.` });
    const partial = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
    const stream = createWriteStream(partial, { flags: 'wx', highWaterMark: HIGH_WATER });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    }).catch((error: NodeJS.ErrnoException) => {
      throw new CabinetError({ code: 'BAD_INPUT', message: fileProblem(target, error), detail: error.message });
    });
    return new FileSink(target, partial, stream);
  }

  /**
   * Takes bytes; false when the file has fallen behind and the writer should wait for `drained()` (the text
   * writers await it; COPY pauses its socket). A Buffer is copied at once: the ones COPY hands over are views
   * into the protocol parser's memory, which it reuses for the next messages.
   */
  push(chunk: Buffer | string): boolean {
    if (typeof chunk === 'string') {
      if (chunk.length === 0) return this.waiting === null;
      const buffer = Buffer.from(chunk, 'utf8');
      this.bytes += buffer.length;
      this.flush();
      this.write(buffer);
    } else {
      this.bytes += chunk.length;
      if (chunk.length > this.staging.length - this.used) this.flush();
      if (chunk.length > STAGING_BYTES) {
        this.write(Buffer.from(chunk));
      } else {
        if (this.staging === EMPTY) this.staging = Buffer.allocUnsafe(STAGING_BYTES);
        chunk.copy(this.staging, this.used);
        this.used += chunk.length;
      }
    }
    return this.waiting === null;
  }

  /** Resolves when the file stream can take more (at once when it can). */
  drained(): Promise<void> {
    if (this.failure) return Promise.reject(this.writeError());
    return this.waiting ?? Promise.resolve();
  }

  /** Writes what is left, closes the file and puts it in the target's place. */
  async finish(): Promise<void> {
    this.flush();
    await this.end();
    if (this.failure) throw this.writeError();
    await rename(this.partial, this.target).catch((error: NodeJS.ErrnoException) => {
      throw new CabinetError({ code: 'BAD_INPUT', message: fileProblem(this.target, error), detail: error.message });
    });
  }

  /** Stops writing and deletes the partial file. */
  async discard(): Promise<void> {
    this.used = 0;
    this.staging = EMPTY;
    await this.end();
    await rm(this.partial, { force: true }).catch(() => undefined);
  }

  /** Sends the staged bytes to the file; the stream holds on to that buffer until written, so the next is a new one. */
  private flush(): void {
    if (this.used === 0) return;
    const data = this.staging.subarray(0, this.used);
    this.staging = EMPTY;
    this.used = 0;
    this.write(data);
  }

  private write(data: Buffer): void {
    if (this.closed) return;
    if (!this.stream.write(data) && !this.waiting) {
      this.waiting = new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('close', done);
          this.waiting = null;
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
    }
  }

  private end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise<void>((resolve) => {
      if (this.stream.closed) resolve();
      else this.stream.end(() => resolve());
      this.stream.once('error', () => resolve());
    });
  }

  private writeError(): CabinetError {
    const error = this.failure as NodeJS.ErrnoException;
    return new CabinetError({ code: 'BAD_INPUT', message: fileProblem(this.target, error), detail: error.message });
  }
}

function fileProblem(target: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `The folder of ${target} does not exist.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `Cabinet may not write to ${target}: choose another folder.`;
    case 'ENOSPC':
      return `The disk of ${target} is full.`;
    case 'ENOTDIR':
      return `Part of the path ${target} is a file, not a folder.`;
    case 'EISDIR':
      return `${target} is a folder: choose a file name to export to.`;
    default:
      return `Cabinet could not write ${target} (${error.code ?? 'error'}).`;
  }
}
