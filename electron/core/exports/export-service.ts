/**
 * Export jobs: each runs its statement again on a read-only session of its own and streams the rows into a
 * file (see file-sink.ts), never holding the result in memory. CSV on PostgreSQL goes through
 * `COPY (<query>) TO STDOUT WITH (FORMAT csv)`, as psql's \copy does: the server formats, and its bytes go to
 * the file untouched. Every other case reads the statement's cursor in batches and formats in the core
 * (formats.ts), with the same CSV rules, so both ways write the same bytes.
 *
 * A job belongs to the client that started it: another client's calls about it answer NOT_FOUND, progress
 * events reach only its client, and when that client goes away a running job is cancelled and a finished
 * browser-mode file deleted.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type pg from 'pg';
import { CabinetError, type CabinetErrorData } from '../../../shared/errors.ts';
import { EXPORT_EXTENSIONS, type ExportFormat, type ExportProgress, type ExportStarted, type ExportStatus } from '../../../shared/exports.ts';
import type { Engine } from '../../../shared/profiles.ts';
import { connect, type Endpoint } from '../connections/connector.ts';
import type { DbSession, StatementCursor } from '../drivers/driver.ts';
import { toCabinetError } from '../drivers/errors.ts';
import { loadDriver } from '../drivers/registry.ts';
import { splitStatements } from '../../../shared/sql-split.ts';
import type { CallContext, Log } from '../router.ts';
import { copyOut, type CopyOut } from './copy-out.ts';
import { downloadFile, findDownload, offerDownload, removeDownloadFile, withdrawDownload } from './downloads.ts';
import { FileSink } from './file-sink.ts';
import { createFormatWriter, EXPORT_CONTENT_TYPES, exportFileName } from './formats.ts';

/** How often a running export reports its progress. */
const PROGRESS_EVERY_MS = 250;
/** Rows read from a cursor per round trip. MySQL's stream holds 2,000 rows before it pauses the socket. */
const READ_BATCH: Record<Engine, number> = { postgres: 5000, mysql: 2000 };
/** Exports one client may run at once (each holds a server connection). */
const MAX_RUNNING_PER_CLIENT = 4;
/** How long a cancel waits for the job to end before it answers (the job still ends, and reports, later). */
const CANCEL_WAIT_MS = 3000;
/** How long closing the statement and the session may take after a failure or a cancel. */
const CLEANUP_WAIT_MS = 3000;

export interface ExportStartInput {
  connectionId: string;
  database?: string;
  sql: string;
  format: ExportFormat;
  table?: string | string[];
  rowsPerInsert?: number;
  headers?: boolean;
  name?: string;
  path?: string;
}

export interface ExportServiceDeps {
  endpointFor(connectionId: string, database?: string): Endpoint;
  /** The embedded demo: one backend in this process, no COPY to rely on and no second connection to cancel from. */
  isDemo(connectionId: string): boolean;
  progress(clientId: string, progress: ExportProgress): void;
  log?: Log;
}

type JobState = 'running' | 'finished' | 'failed' | 'cancelled';

interface ExportJob {
  id: string;
  clientId: string;
  format: ExportFormat;
  path: string;
  fileName: string;
  /** Browser mode: the file is fetched from the download route, then deleted. */
  download: boolean;
  engine: Engine;
  endpoint: Endpoint;
  session: DbSession;
  /** False on the demo: nothing can cancel its statement from outside. */
  canCancel: boolean;
  sink: FileSink;
  rows: number;
  started: number;
  ended?: number;
  state: JobState;
  error?: CabinetErrorData;
  cancelRequested: boolean;
  /** A write to the file failed: the statement is stopped and this is the export's error. */
  writeError?: unknown;
  copy?: CopyOut;
  run: Promise<void>;
}

/** Thrown inside run() when a cancel was asked for; the job then ends as cancelled. */
class Cancelled extends Error {}

export class ExportService {
  private readonly jobs = new Map<string, ExportJob>();
  /** Clients whose going away is watched (one listener per client, however many exports it runs). */
  private readonly watched = new Set<string>();

  constructor(private readonly deps: ExportServiceDeps) {}

  async start(context: CallContext, input: ExportStartInput): Promise<ExportStarted> {
    const endpoint = this.deps.endpointFor(input.connectionId, input.database);
    const running = [...this.jobs.values()].filter((j) => j.clientId === context.clientId && j.state === 'running').length;
    if (running >= MAX_RUNNING_PER_CLIENT) {
      throw new CabinetError({ code: 'BAD_INPUT', message: `${MAX_RUNNING_PER_CLIENT} exports are running already: wait for one, or cancel one.` });
    }
    const id = randomUUID();
    const extension = EXPORT_EXTENSIONS[input.format];
    const download = input.path === undefined;
    const path = input.path ?? (await downloadFile(id, extension));
    const hint = input.name || (Array.isArray(input.table) ? input.table.at(-1) : input.table);
    const fileName = download ? exportFileName(hint, extension) : basename(path);
    let sink: FileSink | undefined;
    let session: DbSession;
    try {
      sink = await FileSink.open(path);
      // Read-only: the export runs the statement a second time, and must not repeat what it changed.
      session = await connect({ ...endpoint, readOnly: true }, { applicationName: 'Cabinet (export)' });
    } catch (error) {
      await sink?.discard();
      if (download) await removeDownloadFile(path);
      throw error;
    }
    if (context.signal.aborted) {
      await Promise.all([session.close().catch(() => undefined), sink.discard()]);
      if (download) await removeDownloadFile(path);
      throw new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that asked for this export has closed.' });
    }
    const job: ExportJob = {
      id,
      clientId: context.clientId,
      format: input.format,
      path,
      fileName,
      download,
      engine: endpoint.params.engine,
      endpoint,
      session,
      canCancel: !this.deps.isDemo(input.connectionId),
      sink,
      rows: 0,
      started: performance.now(),
      state: 'running',
      cancelRequested: false,
      run: Promise.resolve(),
    };
    this.jobs.set(id, job);
    this.watch(context);
    job.run = this.run(job, input);
    const started: ExportStarted = { exportId: id, path, fileName };
    if (download) started.downloadUrl = `/downloads/${id}`;
    return started;
  }

  async cancel(context: CallContext, exportId: string): Promise<{ cancelled: boolean }> {
    const job = this.owned(context, exportId);
    if (job.state !== 'running') {
      // Cancelled after it finished: a browser-mode file nobody will fetch now is deleted.
      if (job.download) await withdrawDownload(job.id);
      return { cancelled: false };
    }
    await this.stop(job);
    return { cancelled: (job.state as JobState) !== 'finished' };
  }

  status(context: CallContext, exportId: string): ExportStatus {
    const job = this.owned(context, exportId);
    const status: ExportStatus = { ...this.snapshot(job), format: job.format, path: job.path, fileName: job.fileName };
    if (job.download && findDownload(job.id)) status.downloadUrl = `/downloads/${job.id}`;
    return status;
  }

  private async run(job: ExportJob, input: ExportStartInput): Promise<void> {
    const timer = setInterval(() => this.report(job), PROGRESS_EVERY_MS);
    timer.unref();
    let cursor: StatementCursor | undefined;
    try {
      const copied = input.format === 'csv' && job.engine === 'postgres' && job.canCancel && (await this.runCopy(job, input));
      if (!copied) cursor = await this.runCursor(job, input, (c) => (cursor = c));
      if (job.cancelRequested) throw new Cancelled();
      await job.sink.finish();
      job.state = 'finished';
      if (job.download) {
        offerDownload(job.id, { file: job.path, fileName: job.fileName, contentType: EXPORT_CONTENT_TYPES[job.format] });
      }
    } catch (error) {
      await job.sink.discard();
      if (job.download) await removeDownloadFile(job.path);
      if (job.cancelRequested && job.writeError === undefined) {
        job.state = 'cancelled';
      } else {
        job.state = 'failed';
        job.error = this.publicError(job.writeError ?? error);
      }
    } finally {
      clearInterval(timer);
      job.ended = performance.now();
      await within(this.release(job, cursor), CLEANUP_WAIT_MS);
      this.report(job);
    }
  }

  /**
   * CSV on PostgreSQL: the server formats it. False (nothing written) when the statement cannot go inside
   * COPY (...): not one query, or the server refuses it as such; the cursor way then runs it.
   */
  private async runCopy(job: ExportJob, input: ExportStartInput): Promise<boolean> {
    const query = singleQuery(input.sql);
    const client = (job.session as unknown as { client?: pg.Client }).client;
    if (!query || !client) return false;
    // COPY writes bytea as the session shows it: hex, as the other formats do, whatever the server's default.
    await job.session.query("SET bytea_output = 'hex'");
    if (job.cancelRequested) throw new Cancelled();
    const prefix = 'COPY (\n';
    const headers = input.headers ?? true;
    const copySql = `${prefix}${query.sql}\n) TO STDOUT WITH (FORMAT csv${headers ? ', HEADER' : ''})`;
    let messages = 0;
    let paused = false;
    const copy: CopyOut = copyOut(client, copySql, (chunk) => {
      if (job.cancelRequested) return;
      messages++;
      // One CopyData message per row; the header is the first one.
      if (!headers || messages > 1) job.rows++;
      if (!job.sink.push(chunk) && !paused) {
        paused = true;
        copy.pause();
        job.sink.drained().then(
          () => {
            paused = false;
            copy.resume();
          },
          (error: unknown) => this.writeFailed(job, error),
        );
      }
    });
    job.copy = copy;
    try {
      job.rows = await copy.finished;
      return true;
    } catch (error) {
      const mapped = toCabinetError(error);
      // Not a query COPY takes (a syntax error is reported by the cursor way, at the user's own position).
      if (messages === 0 && !job.cancelRequested && (mapped.sqlState === '42601' || mapped.sqlState === '0A000')) return false;
      throw withPosition(mapped, query.offset - prefix.length, input.sql.length);
    } finally {
      delete job.copy;
    }
  }

  private async runCursor(job: ExportJob, input: ExportStartInput, opened: (cursor: StatementCursor) => void): Promise<StatementCursor> {
    if (job.cancelRequested) throw new Cancelled();
    const cursor = await job.session.openStatement(input.sql);
    opened(cursor);
    if (cursor.columns.length === 0) {
      throw new CabinetError({ code: 'BAD_INPUT', message: 'The statement returns no rows to export: export a SELECT (or a statement that returns rows).' });
    }
    const writer = createFormatWriter(input.format, {
      engine: job.engine,
      columns: cursor.columns,
      headers: input.headers,
      table: input.table,
      rowsPerInsert: input.rowsPerInsert,
    });
    job.sink.push(writer.start());
    const batch = READ_BATCH[job.engine];
    while (!job.cancelRequested) {
      const rows = await cursor.read(batch);
      if (rows.length === 0) break;
      job.sink.push(writer.rows(rows));
      job.rows += rows.length;
      await job.sink.drained();
    }
    job.sink.push(writer.end());
    return cursor;
  }

  /** Ends the statement (a cancelled MySQL stream is drained of what was in flight) and closes the session. */
  private async release(job: ExportJob, cursor: StatementCursor | undefined): Promise<void> {
    if (cursor && !cursor.done) await within(cursor.close().catch(() => undefined), CLEANUP_WAIT_MS);
    await job.session.close().catch(() => undefined);
  }

  /** Cancels a running job: the server is asked to stop its statement, and the job ends as cancelled. */
  private async stop(job: ExportJob): Promise<void> {
    if (!job.cancelRequested) {
      job.cancelRequested = true;
      // A paused COPY must read on to hear the server's answer to the cancel.
      job.copy?.resume();
      // The statement may not have reached the server yet when the first cancel arrives: ask again while it runs.
      const ended = job.run.then(() => true);
      for (let attempt = 0; attempt < 3 && job.state === 'running'; attempt++) {
        if (job.canCancel) await this.cancelOnServer(job);
        if (await Promise.race([ended, delay(attempt === 0 ? 300 : 1000).then(() => false)])) break;
      }
    }
    await within(job.run, CANCEL_WAIT_MS);
  }

  private async cancelOnServer(job: ExportJob): Promise<void> {
    try {
      const driver = await loadDriver(job.engine);
      const via = await connect(job.endpoint, { applicationName: 'Cabinet (cancel)' });
      try {
        await driver.cancel(via, job.session);
      } finally {
        await via.close();
      }
    } catch (error) {
      this.deps.log?.(`an export's cancel failed: ${String(error)}`);
    }
  }

  private writeFailed(job: ExportJob, error: unknown): void {
    job.writeError ??= error;
    void this.stop(job);
  }

  private watch(context: CallContext): void {
    if (this.watched.has(context.clientId)) return;
    this.watched.add(context.clientId);
    context.signal.addEventListener(
      'abort',
      () => {
        this.watched.delete(context.clientId);
        for (const job of [...this.jobs.values()]) if (job.clientId === context.clientId) void this.forget(job);
      },
      { once: true },
    );
  }

  /** The client went away: a running job is cancelled, a waiting download deleted, the job forgotten. */
  private async forget(job: ExportJob): Promise<void> {
    this.jobs.delete(job.id);
    if (job.state === 'running') await this.stop(job);
    await job.run.catch(() => undefined);
    await withdrawDownload(job.id);
  }

  private owned(context: CallContext, exportId: string): ExportJob {
    const job = this.jobs.get(exportId);
    // Another client's export is answered exactly like one that does not exist.
    if (!job || job.clientId !== context.clientId) {
      throw new CabinetError({ code: 'NOT_FOUND', message: 'That export is unknown, or its window has closed.' });
    }
    return job;
  }

  private snapshot(job: ExportJob): ExportProgress {
    const progress: ExportProgress = {
      exportId: job.id,
      rows: job.rows,
      bytes: job.sink.bytes,
      elapsedMs: Math.round((job.ended ?? performance.now()) - job.started),
      done: job.state !== 'running',
    };
    if (job.error) progress.error = job.error;
    if (job.state === 'cancelled') progress.cancelled = true;
    return progress;
  }

  private report(job: ExportJob): void {
    this.deps.progress(job.clientId, this.snapshot(job));
  }

  /** What the client may see: an unexpected failure's JavaScript message stays in the log. */
  private publicError(error: unknown): CabinetErrorData {
    const mapped = toCabinetError(error);
    if (mapped.code !== 'INTERNAL') return mapped.toData();
    const errorId = randomUUID().slice(0, 8);
    this.deps.log?.(`error ${errorId} in an export: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { code: 'INTERNAL', message: `The export failed inside Cabinet (error ${errorId}). Its details are in Cabinet's log; please report it.` };
  }
}

/**
 * The statement when `sql` is one query COPY can wrap (SELECT, WITH, VALUES, TABLE), without its delimiter and
 * the comments around it; `offset` is where it starts in `sql`.
 */
export function singleQuery(sql: string): { sql: string; offset: number } | undefined {
  let statements;
  try {
    statements = splitStatements(sql, { engine: 'postgres' });
  } catch {
    return undefined;
  }
  const [statement] = statements;
  if (statements.length !== 1 || !statement || statement.copyData !== undefined) return undefined;
  if (!/^[\s(]*(select|with|values|table)\b/i.test(statement.sql)) return undefined;
  return { sql: statement.sql, offset: statement.start };
}

/** Moves a server's error position from the COPY statement onto the user's SQL (dropped when it falls outside). */
function withPosition(error: CabinetError, shift: number, length: number): CabinetError {
  if (error.position === undefined) return error;
  const data = error.toData();
  const position = error.position + shift;
  if (position >= 1 && position <= length) data.position = position;
  else delete data.position;
  return new CabinetError(data);
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** Waits for `work`, but no longer than `ms`; a failure counts as done. */
function within(work: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([work.then(() => undefined, () => undefined), delay(ms)]);
}
