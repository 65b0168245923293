import { CabinetError } from '../../../../shared/errors.ts';
import type { ForeignHistory, HistoryEvent, MigrationReport, MigrationStatusReport, ResolveChoice } from '../../../../shared/migrations.ts';
import { dialectFor } from '../engines/migration-dialect.ts';
import { compareVersions, sectionStatements, versionKey, type Direction } from '../files/migration-file.ts';
import { sectionFromHistory, sectionOf } from '../files/stored-section.ts';
import { readForeignHistories } from '../history/foreign-histories.ts';
import { readHistory } from '../history/history-table.ts';
import { toMigrationRow, upBlocker, type VersionState } from '../status/compute-status.ts';
import type { Endpoint } from '../../connections/connector.ts';
import type { DbSession } from '../../drivers/driver.ts';
import { MigrationRun, openRunnerSession, type RunnerOptions, type SectionRun } from './migration-run.ts';

const migrationError = (message: string) => new CabinetError({ code: 'MIGRATION_ERROR', message });

function checkVersion(version: string, what: string): string {
  if (!/^\d+$/.test(version)) throw new CabinetError({ code: 'BAD_INPUT', message: `${what} "${version}" is not a version: a version is a number.` });
  return version;
}

/** Opens a run, hands it to `work`, and always releases the lock and closes the sessions. */
async function withRun<T>(options: RunnerOptions, lock: boolean, work: (run: MigrationRun) => Promise<T>): Promise<T> {
  const run = await MigrationRun.open(options, lock);
  try {
    return await work(run);
  } finally {
    await run.close();
  }
}

const label = (state: VersionState) => `${state.version} (${state.migration?.files.join(', ') ?? state.name})`;

/** The section to run for a version, with its statements split: a broken file fails before anything runs. */
function sectionRun(run: MigrationRun, state: VersionState, direction: Direction, action: SectionRun['action']): SectionRun {
  const stored = direction === 'up' ? state.latest?.upSql : state.latest?.downSql;
  const section = sectionOf(direction, state.version, state.migration, stored);
  if (!section) {
    throw migrationError(`Version ${label(state)} has no ${direction} section${direction === 'down' ? ', so it cannot be reverted' : ''}.`);
  }
  return { state, direction, section, statements: sectionStatements(section, run.dialect.engine), action, startAt: 0 };
}

/** Every version with its status, the lock holder, and why `up` would refuse, if it would. */
export async function migrationStatus(options: RunnerOptions): Promise<MigrationStatusReport> {
  return withRun(options, false, async (run) => {
    const lockHolder = await run.lockHolder();
    const states = await run.states(lockHolder);
    const { layout, readOnlyReason } = run.folder;
    const report: MigrationStatusReport = {
      engine: options.params.engine,
      database: options.params.database,
      historyTableExists: run.hasHistoryTable,
      // Another tool's files are shown as they are: they have no `-- migrate:` sections.
      rows: states.map((state) => (readOnlyReason ? toMigrationRow(state, (_, section) => section?.sql ?? null) : toMigrationRow(state))),
      lockHolder,
      layout,
    };
    if (readOnlyReason) report.readOnlyReason = readOnlyReason;
    const blocked = readOnlyReason ? undefined : upBlocker(states);
    if (blocked) report.upBlockedBy = blocked;
    return report;
  });
}

/** Opens a session for reading, hands it to `read`, closes it. */
async function withSession<T>(endpoint: Endpoint, read: (session: DbSession) => Promise<T>): Promise<T> {
  const session = await openRunnerSession(endpoint);
  try {
    return await read(session);
  } finally {
    await session.close();
  }
}

/** Every history event, oldest first, for the timeline. */
export function migrationHistory(endpoint: Endpoint): Promise<HistoryEvent[]> {
  return withSession(endpoint, async (session) => {
    const { params } = endpoint;
    const dialect = dialectFor(params.engine, params.database);
    const probe = await dialect.probe(session);
    return probe.exists && probe.table ? await readHistory(session, dialect, probe.table) : [];
  });
}

/** Other tools' history tables in the database, with their rows: shown beside Cabinet's own, read-only. */
export function otherToolsHistories(endpoint: Endpoint): Promise<ForeignHistory[]> {
  return withSession(endpoint, readForeignHistories);
}

/** Applies pending versions in order, all or up to `to`. Refuses while a version is failed or modified. */
export async function migrateUp(options: RunnerOptions & { to?: string; allowOutOfOrder?: boolean }): Promise<MigrationReport> {
  const to = options.to === undefined ? undefined : checkVersion(options.to, 'The target');
  return withRun(options, true, async (run) => {
    await run.ensureHistoryTable();
    const states = await run.states();
    const blocked = upBlocker(states);
    if (blocked) throw migrationError(blocked);
    if (to !== undefined && !states.some((s) => versionKey(s.version) === versionKey(to))) {
      throw new CabinetError({ code: 'NOT_FOUND', message: `No migration has version ${to}.` });
    }
    const todo = states.filter(
      (s) =>
        s.migration &&
        (s.status === 'pending' || s.status === 'reverted' || s.status === 'out-of-order') &&
        (to === undefined || compareVersions(s.version, to) <= 0),
    );
    const outOfOrder = todo.filter((s) => s.status === 'out-of-order');
    if (outOfOrder.length > 0 && !options.allowOutOfOrder) {
      throw migrationError(
        `Version${outOfOrder.length > 1 ? 's' : ''} ${outOfOrder.map((s) => s.version).join(', ')} ` +
          `${outOfOrder.length > 1 ? 'are' : 'is'} older than the newest applied version and not applied (out of order). ` +
          'Apply anyway with --allow-out-of-order, or give the file a newer version.',
      );
    }
    return run.runAll('up', todo.map((s) => sectionRun(run, s, 'up', 'up')));
  });
}

const inEffect = (s: VersionState) => ['applied', 'baseline', 'modified', 'missing'].includes(s.status);

/** Reverts the newest applied versions: `count` (1 unless given), or every one above `to`. */
export async function migrateDown(options: RunnerOptions & { count?: number; to?: string }): Promise<MigrationReport> {
  const to = options.to === undefined ? undefined : checkVersion(options.to, 'The target');
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new CabinetError({ code: 'BAD_INPUT', message: `The count must be a whole number of at least 1, not ${count}.` });
  return withRun(options, true, async (run) => {
    await run.ensureHistoryTable();
    const states = await run.states();
    refuseWhileStuck(states);
    const applied = states.filter(inEffect).reverse();
    const targets = to === undefined ? applied.slice(0, count) : applied.filter((s) => compareVersions(s.version, to) > 0);
    return run.runAll('down', targets.map((s) => sectionRun(run, s, 'down', 'down')));
  });
}

function refuseWhileStuck(states: VersionState[]): void {
  const stuck = states.find((s) => s.status === 'failed' || s.status === 'running');
  if (stuck) throw migrationError(upBlocker([stuck])!);
}

/** Records every pending version up to `version` as applied without running it: for a database that already has them. */
export async function baselineAt(options: RunnerOptions & { version: string }): Promise<MigrationReport> {
  const version = checkVersion(options.version, 'The baseline version');
  return withRun(options, true, async (run) => {
    await run.ensureHistoryTable();
    const states = await run.states();
    if (!states.some((s) => s.migration && versionKey(s.version) === versionKey(version))) {
      throw new CabinetError({ code: 'NOT_FOUND', message: `No migration file has version ${version}; a baseline names one of them.` });
    }
    refuseWhileStuck(states);
    const todo = states.filter(
      (s) => s.migration && ['pending', 'reverted', 'out-of-order'].includes(s.status) && compareVersions(s.version, version) <= 0,
    );
    for (const state of todo) {
      await run.recordEvent({ state, direction: 'up', section: state.migration!.up, action: 'baseline' }, 'baseline', 0);
    }
    return run.report('baseline');
  });
}

/**
 * Settles a failed version. `resume` runs the remaining statements (only if those that ran are unchanged),
 * `revert` runs its down section, `mark-resolved` records the run's direction as completed by hand.
 */
export async function resolveFailed(options: RunnerOptions & { version: string; choice: ResolveChoice }): Promise<MigrationReport> {
  const version = checkVersion(options.version, 'The version');
  return withRun(options, true, async (run) => {
    await run.ensureHistoryTable();
    const states = await run.states();
    const state = states.find((s) => versionKey(s.version) === versionKey(version));
    if (!state) throw new CabinetError({ code: 'NOT_FOUND', message: `No migration has version ${version}.` });
    if (state.status !== 'failed') throw migrationError(`Version ${label(state)} is ${state.status}, not failed: there is nothing to resolve.`);
    const latest = state.latest!;
    const direction: Direction = ['down', 'resume-down', 'revert-failed'].includes(latest.action) ? 'down' : 'up';
    if (options.choice === 'mark-resolved') {
      const section = sectionRun(run, state, direction, 'mark-resolved');
      await run.recordEvent(section, direction === 'up' ? 'applied' : 'reverted', section.statements.length);
      return run.report('resolve');
    }
    if (options.choice === 'revert') return run.runAll('resolve', [sectionRun(run, state, 'down', 'revert-failed')]);
    const resume = { ...sectionRun(run, state, direction, `resume-${direction}`), startAt: latest.statementsDone };
    checkResumable(run, resume, direction === 'up' ? latest.upSql : latest.downSql);
    return run.runAll('resolve', [resume]);
  });
}

/** Resuming skips the statements that ran: refused when the file no longer starts with those same statements. */
function checkResumable(run: MigrationRun, resume: SectionRun, storedSql: string | null): void {
  const { version } = resume.state;
  const ran = sectionFromHistory(resume.direction, version, storedSql);
  if (!ran) throw migrationError(`Version ${version}: the history kept no SQL of the failed run, so resuming cannot check it.`);
  const before = sectionStatements(ran, run.dialect.engine);
  for (let k = 0; k < resume.startAt; k++) {
    if (before[k]?.sql !== resume.statements[k]?.sql) {
      throw migrationError(
        `Version ${label(resume.state)}: statement ${k + 1}, which ran before the failure, changed since. ` +
          'Resuming would skip SQL that never ran; use --revert or --mark-resolved instead.',
      );
    }
  }
}
