import { hostname, userInfo } from 'node:os';
import { CabinetError } from '../../../../shared/errors.ts';
import type {
  HistoryAction,
  HistoryState,
  LockHolder,
  MigrationFailure,
  MigrationProgress,
  MigrationReport,
  MigrationStepResult,
  PlannedStatement,
} from '../../../../shared/migrations.ts';
import type { DbSession } from '../../drivers/driver.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import { dialectFor, renderSql, type BoundSql, type Literal, type MigrationDialect, type SessionProbe } from '../engines/migration-dialect.ts';
import { runPostgresScript, ScriptFailed, type ScriptStatement } from '../engines/postgres-script.ts';
import { loadFolder, type FolderContents } from '../files/folder-layout.ts';
import type { Direction, Migration, MigrationSection } from '../files/migration-file.ts';
import { storedSectionText } from '../files/stored-section.ts';
import type { SqlStatement } from '../../../../shared/sql-split.ts';
import { readForeignHistories } from '../history/foreign-histories.ts';
import { insertEventsSql, progressSql, readLatestEvents, type NewHistoryEvent } from '../history/history-table.ts';
import { computeStatus, type VersionState } from '../status/compute-status.ts';
import { toolEvents } from '../status/tool-history.ts';
import { APP_VERSION } from '../../version.ts';
import { acquireLock, type LockWait } from './lock.ts';
import type { RunCancel } from './run-cancel.ts';
import { connect, type Endpoint } from '../../connections/connector.ts';
import { mayChangeMysqlSession } from './session-state.ts';
import { locateFailure, type ScriptPart } from './script-failure.ts';

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** The endpoint is where the run connects: `params` and `password`, as the connector takes them. */
export interface RunnerOptions extends Endpoint {
  dir: string;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  runId?: string;
  /** Shown to the server (PostgreSQL application_name), so another runner can name this one. */
  applicationName?: string;
  /** Who the history says ran it; the operating-system user and host unless given (the demo's build names itself). */
  appliedBy?: string;
  onProgress?: (progress: MigrationProgress) => void;
  /** Told when the run starts waiting for another runner's lock, and about every second while it waits. */
  onLockWait?: (wait: LockWait) => void;
  cancel?: RunCancel;
}

/** One version to run in one direction. `startAt` skips statements that already ran (resume). */
export interface SectionRun {
  state: VersionState;
  direction: Direction;
  section: MigrationSection;
  statements: SqlStatement[];
  action: HistoryAction;
  startAt: number;
}

/** When a section started: wall time for the history, a monotonic clock for its duration. */
interface RunClock {
  begun: number;
  startedAt: string;
}

/** A section run statement by statement whose final history row waits to travel with the next insert. */
interface DeferredRow {
  event: NewHistoryEvent;
  run: SectionRun;
  step: MigrationStepResult;
}

/** The step failed; the run stops and reports it. */
class StepFailed extends Error {
  constructor(readonly failure: MigrationFailure) {
    super(failure.error.message);
  }
}

/** Writing the history failed while a section ran statement by statement. */
class HistoryWriteFailed extends Error {
  constructor(readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Migrations run against one database: a connection that names none is refused before it connects. */
export function openRunnerSession(endpoint: Endpoint, applicationName = 'Cabinet migrations'): Promise<DbSession> {
  if (endpoint.params.database === '') {
    throw new CabinetError({ code: 'BAD_INPUT', message: 'Migrations run against one database, and this connection names none: add the database name.' });
  }
  return connect(endpoint, { applicationName });
}

function whoRuns(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return hostname();
  }
}

/**
 * One runner invocation against one database: loads the folder, opens a working session and (unless a
 * dry run) a dedicated lock session, keeps the report, and applies sections with the engine's rules.
 *
 * Sessions: migrations run on the working session. On PostgreSQL a migration, the statements that put the
 * session back as it connected, its history row and COMMIT travel as one script in one round trip. Rows
 * written outside a migration's transaction (MySQL, `transaction:false`) go through the lock's session,
 * where no migration ever runs, so no session state a migration leaves behind (role, search path, current
 * database, time-outs, autocommit) reaches the history.
 */
export class MigrationRun {
  readonly dialect: MigrationDialect;
  private work!: DbSession;
  private lockSession?: DbSession;
  /** Opened only when the lock's session was lost and a history row must still be written. */
  private rescue?: DbSession;
  private probe!: SessionProbe;
  private literal!: Literal;
  private readonly statements: PlannedStatement[] = [];
  private readonly steps: MigrationStepResult[] = [];
  private readonly startedAt = performance.now();
  private readonly appliedBy: string;
  /** The server dropped the lock with its session: another runner may start, so this one must stop. */
  private lockLost = false;
  /** Final rows of statement-by-statement sections, written with the next history insert (one round trip less). */
  private deferred: DeferredRow[] = [];
  /** The working session ran a section outside a transaction and may hold what it SET (PostgreSQL). */
  private workDirty = false;
  /** A migration committed without waiting for the WAL to reach the disk; the run makes it durable before it ends. */
  private walUnflushed = false;

  readonly migrations: Migration[];

  private constructor(
    readonly options: RunnerOptions,
    readonly folder: FolderContents,
  ) {
    this.dialect = dialectFor(options.params.engine, options.params.database);
    this.migrations = folder.migrations;
    this.appliedBy = options.appliedBy ?? whoRuns();
  }

  get hasHistoryTable(): boolean {
    return this.probe.exists;
  }

  get dryRun(): boolean {
    return this.options.dryRun === true;
  }

  /**
   * Reads the folder while the sessions connect (a broken file stops the run before anything runs on them),
   * then takes the lock and probes the working session at once.
   */
  static async open(options: RunnerOptions, lock: boolean): Promise<MigrationRun> {
    const locking = lock && options.dryRun !== true;
    const connect = async () => openRunnerSession(options, options.applicationName);
    const [loaded, work, lockSession] = await Promise.allSettled([loadFolder(options.dir), connect(), locking ? connect() : Promise.resolve(undefined)]);
    const opened = [work, lockSession].flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
    const failed = [loaded, work, lockSession].find((s) => s.status === 'rejected');
    const readOnly = lock && loaded.status === 'fulfilled' ? loaded.value.readOnlyReason : undefined;
    if (failed || readOnly || loaded.status !== 'fulfilled' || work.status !== 'fulfilled') {
      await Promise.all(opened.map((session) => session.close()));
      throw readOnly ? new CabinetError({ code: 'MIGRATION_ERROR', message: readOnly }) : (failed as PromiseRejectedResult).reason;
    }
    const run = new MigrationRun(options, loaded.value);
    run.work = work.value;
    if (lockSession.status === 'fulfilled') run.lockSession = lockSession.value;
    try {
      run.literal = run.dialect.literalFor(run.work);
      const probing = run.dialect.probe(run.work);
      if (run.lockSession) {
        run.lockSession.onLost(() => (run.lockLost = true));
        await Promise.all([
          acquireLock(run.lockSession, run.dialect, {
            timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
            database: options.params.database,
            signal: options.cancel?.signal,
            onWait: options.onLockWait,
          }),
          probing.catch(() => undefined),
        ]);
        if (options.cancel) options.cancel.holdsLock = true;
      } else if (lock) {
        run.record('control', run.render(run.dialect.lock.acquire));
      }
      run.probe = await probing;
    } catch (error) {
      await run.close();
      throw error;
    }
    return run;
  }

  private connect(): Promise<DbSession> {
    return openRunnerSession(this.options, this.options.applicationName);
  }

  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    if (this.lockSession) {
      const session = this.lockSession;
      const { release } = this.dialect.lock;
      closing.push(session.query(release.sql, release.params).then(() => undefined, () => undefined).then(() => session.close()));
    }
    if (this.work) closing.push(this.work.close());
    if (this.rescue) closing.push(this.rescue.close());
    await Promise.all(closing);
  }

  /**
   * Versions joined with the history. With the lock held, a `running` row can only be an interrupted run;
   * without it, the holder (read here unless given) tells a live run from a dead one.
   */
  async states(holder?: LockHolder | null): Promise<VersionState[]> {
    if (this.folder.layout !== 'cabinet') {
      // Another tool's folder: its state is in that tool's own history table.
      const histories = await readForeignHistories(this.work);
      return computeStatus(this.migrations, toolEvents(this.migrations, histories.find((h) => h.tool === this.folder.layout)), false);
    }
    const events = this.probe.exists ? await readLatestEvents(this.work, this.dialect, this.table) : [];
    const heldElsewhere = this.lockSession ? false : (holder === undefined ? await this.lockHolder() : holder) !== null;
    return computeStatus(this.migrations, events, heldElsewhere);
  }

  lockHolder(): Promise<LockHolder | null> {
    return this.dialect.lock.holder(this.work);
  }

  /** The history table as written in SQL; PostgreSQL needs a schema to create it in. */
  private get table(): string {
    if (this.probe.table === null) {
      throw new CabinetError({
        code: 'MIGRATION_ERROR',
        message: "The connection's search_path names no schema that exists, so there is nowhere to create cabinet_migrations. Create the schema, or set search_path for this user.",
      });
    }
    return this.probe.table;
  }

  /** Creates `cabinet_migrations` on first use (the lock is held, so two runners cannot race here). */
  async ensureHistoryTable(): Promise<void> {
    if (this.probe.exists) return;
    await this.execute('history', { sql: this.dialect.createHistoryTable(this.table), params: [] });
    this.probe.exists = !this.dryRun;
  }

  report(action: MigrationReport['action'], failure?: MigrationFailure): MigrationReport {
    const report: MigrationReport = {
      action,
      dryRun: this.dryRun,
      steps: this.steps,
      statements: this.statements,
      elapsedMs: Math.round(performance.now() - this.startedAt),
    };
    if (failure) report.failure = failure;
    return report;
  }

  /** Runs each section in order, stopping at the first failure, which the report carries. */
  async runAll(action: MigrationReport['action'], runs: SectionRun[]): Promise<MigrationReport> {
    try {
      for (const [n, run] of runs.entries()) {
        if (this.options.cancel?.signal.aborted) {
          await this.flushDeferred();
          await this.makeDurable();
          return { ...this.report(action), cancelled: true };
        }
        if (this.lockLost) {
          throw new CabinetError({
            code: 'CONNECTION_LOST',
            message: `The session holding the migration lock was lost; stopped before version ${run.state.version} so that two runners cannot overlap.`,
          });
        }
        try {
          await this.runSection(run, n === runs.length - 1);
        } catch (error) {
          if (error instanceof StepFailed) {
            await this.makeDurable();
            return this.report(action, error.failure);
          }
          throw error;
        }
      }
      await this.flushDeferred();
      await this.makeDurable();
      return this.report(action);
    } finally {
      // A section that completed keeps its history row, durably, even when the run stops on an error.
      if (this.deferred.length > 0) await this.flushDeferred().catch(() => undefined);
      await this.makeDurable().catch(() => undefined);
    }
  }

  /** Appends one event that runs no SQL of the migration (baseline, mark resolved). */
  async recordEvent(run: Omit<SectionRun, 'statements' | 'startAt'>, status: HistoryState, statementsTotal: number): Promise<void> {
    const now = new Date().toISOString();
    await this.appendEvents(
      [{ ...this.eventBase(run, statementsTotal), status, statementsDone: statementsTotal, startedAt: now, finishedAt: now, executionMs: 0 }],
      run.state.version,
    );
    this.steps.push({
      version: run.state.version,
      name: run.state.name,
      direction: run.direction,
      result: status === 'baseline' ? 'baseline' : 'resolved',
      statementsDone: statementsTotal,
      statementsTotal,
      executionMs: 0,
    });
  }

  /** `last`: the run's last section, whose commit makes every earlier one durable too. */
  private async runSection(run: SectionRun, last: boolean): Promise<void> {
    const clock = { begun: performance.now(), startedAt: new Date().toISOString() };
    // PostgreSQL: the migration and its history row commit together. Otherwise: statement by statement.
    if (this.dialect.transactionalDdl && run.section.transaction && run.startAt === 0) {
      await this.runInTransaction(run, clock, last);
    } else {
      await this.runStepwise(run, clock);
    }
  }

  private stepResult(run: SectionRun, clock: RunClock): MigrationStepResult {
    const statementsTotal = run.statements.length;
    return {
      version: run.state.version,
      name: run.state.name,
      direction: run.direction,
      result: run.direction === 'up' ? 'applied' : 'reverted',
      statementsDone: statementsTotal,
      statementsTotal,
      executionMs: Math.round(performance.now() - clock.begun),
    };
  }

  private completed(run: SectionRun, step: MigrationStepResult): void {
    this.steps.push(step);
    this.progress(run, 'done', step.statementsTotal);
  }

  /**
   * PostgreSQL: BEGIN, the statements, the statements that put the session back as it connected (a
   * migration may have emptied the search path, as pg_dump's files do, or SET ROLE), the history row with
   * its values quoted by the driver, and COMMIT: one script, one round trip. The server reports each
   * statement as it completes, which drives the progress and names the statement that failed.
   */
  private async runInTransaction(run: SectionRun, clock: RunClock, last: boolean): Promise<void> {
    const { version } = run.state;
    await this.flushDeferred();
    this.progress(run, 'start', 0);
    const parts: ScriptPart[] = [];
    if (this.workDirty) parts.push(...this.restoreParts());
    const begin: ScriptPart = { kind: 'control', sql: 'BEGIN' };
    parts.push(begin);
    run.statements.forEach((statement, index) => parts.push({ kind: 'migration', sql: statement.sql, copyData: statement.copyData, index }));
    parts.push(...this.restoreParts());
    // Each migration still commits alone with its history row, but only the run's last commit waits for the
    // disk; it makes the earlier ones durable with it (as does makeDurable when the run stops early). After a
    // server crash mid-run, a lost commit loses its migration and its history row together.
    if (!last) parts.push({ kind: 'control', sql: 'SET LOCAL synchronous_commit = off' });
    // Its times are the server's: the script's start, and the moment the row is written.
    parts.push({ kind: 'history', sql: this.render(insertEventsSql(this.dialect, this.table, [this.finalEvent(run, clock)], this.dialect.scriptClock)) });
    parts.push({ kind: 'control', sql: 'COMMIT' });

    if (this.dryRun) {
      for (const part of parts) {
        this.record(part.kind, part.copyData === undefined ? part.sql : copyText(part.sql, part.copyData), version);
        if (part.index !== undefined) this.progress(run, 'statement', part.index + 1, part.sql);
      }
      this.completed(run, this.stepResult(run, clock));
      return;
    }
    try {
      await runPostgresScript(this.work, parts.map(scriptStatement), (completed) => {
        const part = parts[completed - 1]!;
        if (part.index !== undefined) this.progress(run, 'statement', part.index + 1, part.sql);
      });
      this.workDirty = false;
      this.walUnflushed = !last;
    } catch (error) {
      const located = error instanceof ScriptFailed ? locateFailure(parts, error) : undefined;
      const cause = located?.cause ?? toCabinetError(error);
      if (cause.code !== 'CONNECTION_LOST') await this.work.query('ROLLBACK').catch(() => undefined);
      // The runner's own statements count as before the migration's (BEGIN) or after them (the history row).
      const part = located?.part;
      const index = part?.index ?? (located && located.partIndex > parts.indexOf(begin) ? run.statements.length : 0);
      this.progress(run, 'failed', index);
      const failure = this.failure(run, index, cause, true, part);
      if (located?.copyLine !== undefined && failure.line !== undefined) failure.line += located.copyLine;
      throw new StepFailed(failure);
    }
    this.completed(run, this.stepResult(run, clock));
  }

  /**
   * Statement by statement, each committing on its own (MySQL; PostgreSQL with `transaction:false`): a
   * `running` row first (with the previous section's final row, in one INSERT), the progress after each
   * statement (written on the lock's session while the next statement runs), and the final row.
   */
  private async runStepwise(run: SectionRun, clock: RunClock): Promise<void> {
    const { version } = run.state;
    const total = run.statements.length;
    if (this.workDirty) await this.restoreWork(version);
    const running: NewHistoryEvent = {
      ...this.eventBase(run, total),
      status: 'running',
      statementsDone: run.startAt,
      startedAt: clock.startedAt,
      finishedAt: null,
      executionMs: null,
    };
    // The running row (in one INSERT with the previous section's final row) goes out on the lock's session,
    // and the first statement right after it on the working session: one wait for both. A runner stopped
    // between the two sends leaves the row and nothing run; once both are sent, the server runs both.
    const appending = this.appendEvents([running], version);
    const first = this.dryRun || run.startAt >= total ? undefined : run.statements[run.startAt]!;
    const firstRun = first && this.dialect.runStatement(this.work, first.sql, first.copyData);
    // `done` counts the statements that completed.
    let done = run.startAt;
    let historyError: unknown;
    let progressWrite: Promise<void> = Promise.resolve();
    let id: number | null = null;
    const writeProgress = (books: DbSession) => {
      const update = progressSql(this.dialect, this.table, id, done);
      if (this.dryRun) return this.record('history', this.render(update), version);
      // Written on the lock's session while the next statement runs; never rejects: a failed write is
      // noticed after that statement, and stops the run there.
      progressWrite = progressWrite.then(() => books.query(update.sql, update.params)).then(
        () => undefined,
        (error: unknown) => void (historyError ??= error),
      );
    };
    try {
      const [written, ran] = await Promise.allSettled([appending, firstRun]);
      if (ran.status === 'fulfilled' && first) done++;
      if (written.status === 'rejected') throw new HistoryWriteFailed(written.reason);
      id = written.value;
      this.progress(run, 'start', run.startAt);
      if (ran.status === 'rejected') throw ran.reason;
      if (first) {
        this.progress(run, 'statement', done, first.sql);
        if (done < total) writeProgress(await this.books());
      }
      while (done < total) {
        await this.runStatement(run, done);
        done++;
        if (historyError !== undefined) throw new HistoryWriteFailed(historyError);
        if (done < total) writeProgress(await this.books());
      }
      await progressWrite;
      if (historyError !== undefined) throw new HistoryWriteFailed(historyError);
    } catch (error) {
      await progressWrite;
      const lateWrite = error instanceof HistoryWriteFailed;
      const cause = toCabinetError(lateWrite ? error.cause : error);
      this.progress(run, 'failed', done);
      const failure = this.failure(run, done, cause, false, lateWrite ? { kind: 'history', sql: '' } : undefined);
      await this.recordFailure(run, failure, clock);
      throw new StepFailed(failure);
    }
    if (this.dialect.engine === 'postgres') this.workDirty = true;
    else if (!this.dryRun && run.statements.slice(run.startAt).some((s) => mayChangeMysqlSession(s.sql))) {
      // USE, SET NAMES, SET autocommit=0...: the next migration starts on a fresh session, as the mysql client would.
      await this.work.close();
      this.work = await this.connect();
    }
    this.deferred.push({ event: this.finalEvent(run, clock), run, step: this.stepResult(run, clock) });
  }

  private async runStatement(run: SectionRun, index: number): Promise<void> {
    const statement = run.statements[index]!;
    if (this.dryRun) this.record('migration', statement.copyData === undefined ? statement.sql : copyText(statement.sql, statement.copyData), run.state.version);
    else await this.dialect.runStatement(this.work, statement.sql, statement.copyData);
    this.progress(run, 'statement', index + 1, statement.sql);
  }

  private restoreParts(): ScriptPart[] {
    return this.probe.restore.map((sql) => ({ kind: 'control', sql }));
  }

  /** Puts the working session back as it connected, before a section that does not run as one script. */
  private async restoreWork(version: string): Promise<void> {
    const parts = this.restoreParts();
    if (this.dryRun) {
      for (const part of parts) this.record(part.kind, part.sql, version);
    } else if (parts.length > 0) {
      await runPostgresScript(this.work, parts.map(scriptStatement)).catch((error: unknown) => {
        throw toCabinetError(error instanceof ScriptFailed ? error.cause : error);
      });
    }
    this.workDirty = false;
  }

  /**
   * A transaction that gets an id commits with a flush of the WAL up to its commit record (synchronous_commit
   * is on outside the migrations' own transactions): every earlier commit of the run reaches the disk with it.
   */
  private async makeDurable(): Promise<void> {
    if (!this.walUnflushed) return;
    await (await this.books()).query('SELECT txid_current()');
    this.walUnflushed = false;
  }

  /** The session that writes history rows outside a migration's transaction: the lock's, where no migration runs. */
  private async books(): Promise<DbSession> {
    if (!this.lockSession) return this.work;
    if (!this.lockLost) return this.lockSession;
    // The lock is gone, but what ran must still be recorded: on a new session, as clean as the lock's was.
    this.rescue ??= await this.connect();
    return this.rescue;
  }

  /** Appends rows, after any deferred final rows, in one INSERT; returns the last row's id (null in a dry run). */
  private async appendEvents(events: NewHistoryEvent[], version?: string): Promise<number | null> {
    const deferred = this.deferred;
    const rows = [...deferred.map((d) => d.event), ...events];
    if (rows.length === 0) return null;
    const insert = insertEventsSql(this.dialect, this.table, rows);
    let id: number | null = null;
    if (this.dryRun) this.record('history', this.render(insert), version);
    else {
      // No wait before the INSERT goes out while the lock's session is alive: the caller may send a statement
      // right after calling this, and the row must leave first.
      const books = this.lockSession && !this.lockLost ? this.lockSession : await this.books();
      id = await this.dialect.insertReturningLastId(books, insert, rows.length);
    }
    this.deferred = [];
    for (const row of deferred) this.completed(row.run, row.step);
    return id;
  }

  private async flushDeferred(): Promise<void> {
    if (this.deferred.length > 0) await this.appendEvents([]);
  }

  /** The failed row, written even when the working connection dropped: history rows never use it. */
  private async recordFailure(run: SectionRun, failure: MigrationFailure, clock: RunClock): Promise<void> {
    await this.appendEvents(
      [
        {
          ...this.eventBase(run, failure.statementsTotal),
          status: 'failed',
          statementsDone: failure.statementsDone,
          error: failure.error.message,
          failedStatement: failure.statement,
          startedAt: clock.startedAt,
          finishedAt: new Date().toISOString(),
          executionMs: Math.round(performance.now() - clock.begun),
        },
      ],
      run.state.version,
    );
  }

  private finalEvent(run: SectionRun, clock: RunClock): NewHistoryEvent {
    const total = run.statements.length;
    return {
      ...this.eventBase(run, total),
      status: run.direction === 'up' ? 'applied' : 'reverted',
      statementsDone: total,
      startedAt: clock.startedAt,
      finishedAt: new Date().toISOString(),
      executionMs: Math.round(performance.now() - clock.begun),
    };
  }

  private eventBase(run: Omit<SectionRun, 'statements' | 'startAt'>, statementsTotal: number) {
    const { migration, latest } = run.state;
    const base: Omit<NewHistoryEvent, 'status' | 'statementsDone' | 'startedAt' | 'finishedAt' | 'executionMs'> = {
      version: run.state.version,
      name: run.state.name,
      action: run.action,
      checksum: migration?.checksum ?? latest?.checksum ?? null,
      upSql: migration ? storedSectionText('up', migration.up) : (latest?.upSql ?? null),
      downSql: storedSectionText('down', migration?.down) ?? latest?.downSql ?? null,
      statementsTotal,
      error: null,
      failedStatement: null,
      appliedBy: this.appliedBy,
      toolVersion: APP_VERSION,
    };
    return base;
  }

  /** `part` names what failed when it was not one of the migration's statements. */
  private failure(run: SectionRun, index: number, cause: CabinetError, rolledBack: boolean, part?: ScriptPart): MigrationFailure {
    const statement = part === undefined || part.kind === 'migration' ? run.statements[index] : undefined;
    const failure: MigrationFailure = {
      version: run.state.version,
      name: run.state.name,
      file: run.section.file,
      statement: statement?.sql ?? notAStatement(part),
      statementsDone: index,
      statementsTotal: run.statements.length,
      error: cause.toData(),
      rolledBack,
    };
    if (statement) failure.line = statement.line + linesBefore(statement.sql, cause.position);
    return failure;
  }

  private progress(run: SectionRun, phase: MigrationProgress['phase'], statementsDone: number, statement?: string): void {
    const { onProgress, runId } = this.options;
    if (!onProgress) return;
    const event: MigrationProgress = {
      runId: runId ?? '',
      version: run.state.version,
      name: run.state.name,
      direction: run.direction,
      phase,
      statementsDone,
      statementsTotal: run.statements.length,
      dryRun: this.dryRun,
    };
    if (statement !== undefined) event.statement = statement;
    onProgress(event);
  }

  /** The statement with its values written in by the driver's own quoting. */
  private render(bound: BoundSql): string {
    return renderSql(this.dialect, bound, this.literal);
  }

  /** Sends a statement, or in a dry run only writes it down with its values filled in. */
  async execute(kind: PlannedStatement['kind'], bound: BoundSql, version?: string): Promise<void> {
    if (this.dryRun) {
      this.record(kind, this.render(bound), version);
      return;
    }
    await this.work.query(bound.sql, bound.params);
  }

  private record(kind: PlannedStatement['kind'], sql: string, version?: string): void {
    this.statements.push(version === undefined ? { kind, sql } : { version, kind, sql });
  }
}

function scriptStatement(part: ScriptPart): ScriptStatement {
  return part.copyData === undefined ? { sql: part.sql } : { sql: part.sql, copyData: part.copyData };
}

/** A COPY with its data as psql reads it, for a dry run to print. */
function copyText(sql: string, data: string): string {
  return `${sql};\n${data}\\.`;
}

function notAStatement(part: ScriptPart | undefined): string {
  if (!part || part.kind === 'history') return '(recording the history row)';
  if (part.sql === 'COMMIT') return '(COMMIT: deferred constraints and triggers run here)';
  if (part.sql === 'BEGIN') return '(BEGIN)';
  return '(putting the session back as it connected)';
}

/** Lines between a statement's start and the server's error position (in characters), so the message points into the file. */
function linesBefore(sql: string, position: number | undefined): number {
  if (!position) return 0;
  return Array.from(sql).slice(0, position - 1).join('').split('\n').length - 1;
}
