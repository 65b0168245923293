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
import { dialectFor, renderSql, type BoundSql, type MigrationDialect } from '../engines/migration-dialect.ts';
import { loadMigrations } from '../files/migration-folder.ts';
import type { Direction, Migration, MigrationSection } from '../files/migration-file.ts';
import { storedSectionText } from '../files/stored-section.ts';
import type { SqlStatement } from '../files/split-statements.ts';
import { historyTableExists, insertEventSql, progressSql, readHistory, type NewHistoryEvent } from '../history/history-table.ts';
import { computeStatus, type VersionState } from '../status/compute-status.ts';
import { APP_VERSION } from '../../version.ts';
import { acquireLock } from './lock.ts';
import { connect, type Endpoint } from '../../connections/connector.ts';

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** The endpoint is where the run connects: `params` and `password`, as the connector takes them. */
export interface RunnerOptions extends Endpoint {
  dir: string;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  runId?: string;
  /** Shown to the server (PostgreSQL application_name), so another runner can name this one. */
  applicationName?: string;
  onProgress?: (progress: MigrationProgress) => void;
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

/** The step failed; the run stops and reports it. */
class StepFailed extends Error {
  constructor(readonly failure: MigrationFailure) {
    super(failure.error.message);
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
 */
export class MigrationRun {
  readonly dialect: MigrationDialect;
  private work!: DbSession;
  private lockSession?: DbSession;
  private readonly statements: PlannedStatement[] = [];
  private readonly steps: MigrationStepResult[] = [];
  private readonly startedAt = performance.now();
  private readonly appliedBy = whoRuns();
  private tableExists = false;
  /** The server dropped the lock with its session: another runner may start, so this one must stop. */
  private lockLost = false;

  private constructor(
    readonly options: RunnerOptions,
    readonly migrations: Migration[],
  ) {
    this.dialect = dialectFor(options.params.engine, options.params.database);
  }

  get hasHistoryTable(): boolean {
    return this.tableExists;
  }

  get dryRun(): boolean {
    return this.options.dryRun === true;
  }

  /** Reads the folder first (a broken file fails before anything connects), then connects and locks. */
  static async open(options: RunnerOptions, lock: boolean): Promise<MigrationRun> {
    const run = new MigrationRun(options, await loadMigrations(options.dir));
    run.work = await run.connect();
    try {
      if (lock && !run.dryRun) {
        run.lockSession = await run.connect();
        run.lockSession.onLost(() => (run.lockLost = true));
        await acquireLock(run.lockSession, run.dialect, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, options.params.database);
      } else if (lock) {
        run.record('control', renderSql(run.dialect, run.dialect.lock.acquire));
      }
      run.tableExists = await historyTableExists(run.work, run.dialect);
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
    if (this.lockSession) {
      const { release } = this.dialect.lock;
      await this.lockSession.query(release.sql, release.params).catch(() => undefined);
      await this.lockSession.close();
    }
    await this.work.close();
  }

  /**
   * Versions joined with the history. With the lock held, a `running` row can only be an interrupted run;
   * without it, the holder (read here unless given) tells a live run from a dead one.
   */
  async states(holder?: LockHolder | null): Promise<VersionState[]> {
    const events = this.tableExists ? await readHistory(this.work, this.dialect) : [];
    const heldElsewhere = this.lockSession ? false : (holder === undefined ? await this.lockHolder() : holder) !== null;
    return computeStatus(this.migrations, events, heldElsewhere);
  }

  lockHolder(): Promise<LockHolder | null> {
    return this.dialect.lock.holder(this.work);
  }

  /** Creates `cabinet_migrations` on first use (the lock is held, so two runners cannot race here). */
  async ensureHistoryTable(): Promise<void> {
    if (this.tableExists) return;
    await this.execute('history', { sql: this.dialect.createHistoryTable, params: [] });
    this.tableExists = !this.dryRun;
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
    for (const run of runs) {
      if (this.lockLost) {
        throw new CabinetError({
          code: 'CONNECTION_LOST',
          message: `The session holding the migration lock was lost; stopped before version ${run.state.version} so that two runners cannot overlap.`,
        });
      }
      try {
        await this.runSection(run);
      } catch (error) {
        if (error instanceof StepFailed) return this.report(action, error.failure);
        throw error;
      }
    }
    return this.report(action);
  }

  /** Appends one event that runs no SQL of the migration (baseline, mark resolved). */
  async recordEvent(run: Omit<SectionRun, 'statements' | 'startAt'>, status: HistoryState, statementsTotal: number): Promise<void> {
    const now = new Date().toISOString();
    await this.execute('history', insertEventSql(this.dialect, {
      ...this.eventBase(run, statementsTotal),
      status,
      statementsDone: statementsTotal,
      startedAt: now,
      finishedAt: now,
      executionMs: 0,
    }), run.state.version);
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

  private async runSection(run: SectionRun): Promise<void> {
    const clock = { begun: performance.now(), startedAt: new Date().toISOString() };
    this.progress(run, 'start', run.startAt);
    // PostgreSQL: the migration and its history row commit together. Otherwise: statement by statement.
    if (this.dialect.transactionalDdl && run.section.transaction && run.startAt === 0) {
      await this.runInTransaction(run, clock);
    } else {
      await this.runStepwise(run, clock);
    }
    const statementsTotal = run.statements.length;
    this.steps.push({
      version: run.state.version,
      name: run.state.name,
      direction: run.direction,
      result: run.direction === 'up' ? 'applied' : 'reverted',
      statementsDone: statementsTotal,
      statementsTotal,
      executionMs: Math.round(performance.now() - clock.begun),
    });
    this.progress(run, 'done', statementsTotal);
  }

  private async runInTransaction(run: SectionRun, clock: RunClock): Promise<void> {
    const { version } = run.state;
    // BEGIN travels with the first statement (one round trip less per migration); it cannot fail, so an
    // error is still the statement's.
    const beginWithFirst = !this.dryRun && run.statements.length > 0;
    if (!beginWithFirst) await this.execute('control', { sql: 'BEGIN', params: [] }, version);
    let done = 0;
    try {
      for (; done < run.statements.length; done++) await this.runStatement(run, done, done === 0 && beginWithFirst ? BEGIN_PREFIX : '');
      await this.execute('history', this.finalEvent(run, clock), version);
      await this.execute('control', { sql: 'COMMIT', params: [] }, version);
    } catch (error) {
      const cause = toCabinetError(error);
      if (cause.code !== 'CONNECTION_LOST') await this.work.query('ROLLBACK').catch(() => undefined);
      this.progress(run, 'failed', done);
      throw new StepFailed(this.failure(run, done, cause, true));
    }
  }

  private async runStepwise(run: SectionRun, clock: RunClock): Promise<void> {
    const { version } = run.state;
    const total = run.statements.length;
    const running = insertEventSql(this.dialect, {
      ...this.eventBase(run, total),
      status: 'running',
      statementsDone: run.startAt,
      startedAt: clock.startedAt,
      finishedAt: null,
      executionMs: null,
    });
    const id = await this.insertReturningId(running, version);
    let done = run.startAt;
    try {
      for (; done < total; done++) {
        await this.runStatement(run, done);
        if (done + 1 < total) await this.execute('history', progressSql(this.dialect, id, done + 1), version);
      }
    } catch (error) {
      const cause = toCabinetError(error);
      this.progress(run, 'failed', done);
      const failure = this.failure(run, done, cause, false);
      await this.recordFailure(run, failure, clock);
      throw new StepFailed(failure);
    }
    await this.execute('history', this.finalEvent(run, clock), version);
  }

  private async runStatement(run: SectionRun, index: number, prefix = ''): Promise<void> {
    const statement = run.statements[index]!;
    if (this.dryRun) this.record('migration', statement.sql, run.state.version);
    else {
      try {
        await this.dialect.runStatement(this.work, prefix + statement.sql);
      } catch (error) {
        // Positions count from the start of what was sent: make them the statement's own again.
        const data = toCabinetError(error).toData();
        if (data.position !== undefined) data.position = Math.max(1, data.position - prefix.length);
        throw new CabinetError(data);
      }
    }
    this.progress(run, 'statement', index + 1, statement.sql);
  }

  /** The failed row, written even when the working connection dropped: on a new one if need be. */
  private async recordFailure(run: SectionRun, failure: MigrationFailure, clock: RunClock): Promise<void> {
    const failed = insertEventSql(this.dialect, {
      ...this.eventBase(run, failure.statementsTotal),
      status: 'failed',
      statementsDone: failure.statementsDone,
      error: failure.error.message,
      failedStatement: failure.statement,
      startedAt: clock.startedAt,
      finishedAt: new Date().toISOString(),
      executionMs: Math.round(performance.now() - clock.begun),
    });
    if (failure.error.code === 'CONNECTION_LOST') {
      await this.work.close();
      this.work = await this.connect();
    }
    await this.execute('history', failed, run.state.version);
  }

  private finalEvent(run: SectionRun, clock: RunClock): BoundSql {
    const total = run.statements.length;
    return insertEventSql(this.dialect, {
      ...this.eventBase(run, total),
      status: run.direction === 'up' ? 'applied' : 'reverted',
      statementsDone: total,
      startedAt: clock.startedAt,
      finishedAt: new Date().toISOString(),
      executionMs: Math.round(performance.now() - clock.begun),
    });
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

  private failure(run: SectionRun, index: number, cause: CabinetError, rolledBack: boolean): MigrationFailure {
    const statement = run.statements[index];
    const failure: MigrationFailure = {
      version: run.state.version,
      name: run.state.name,
      file: run.section.file,
      statement: statement?.sql ?? '(recording the history row)',
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

  /** Sends a statement, or in a dry run only writes it down with its values filled in. */
  async execute(kind: PlannedStatement['kind'], bound: BoundSql, version?: string): Promise<void> {
    if (this.dryRun) {
      this.record(kind, renderSql(this.dialect, bound), version);
      return;
    }
    await this.work.query(bound.sql, bound.params);
  }

  /** The new row's id; null in a dry run, which inserts nothing. */
  private async insertReturningId(bound: BoundSql, version: string): Promise<number | null> {
    if (!this.dryRun) return this.dialect.insertReturningId(this.work, bound);
    this.record('history', renderSql(this.dialect, bound), version);
    return null;
  }

  private record(kind: PlannedStatement['kind'], sql: string, version?: string): void {
    this.statements.push(version === undefined ? { kind, sql } : { version, kind, sql });
  }
}

const BEGIN_PREFIX = 'BEGIN;\n';

/** Lines between a statement's start and the server's error position, so the message points into the file. */
function linesBefore(sql: string, position: number | undefined): number {
  if (!position) return 0;
  return sql.slice(0, position - 1).split('\n').length - 1;
}
