/**
 * The runner's actions as the view offers them: each one a title, what it will do in words, and one call that
 * runs it for real or as a dry run (the confirmation dialog shows the dry run's statements).
 */
import type { MigrationReport, MigrationRow, ResolveChoice } from '../../../../shared/migrations.ts';
import { call } from '../../api/client.ts';

export interface RunTarget {
  connectionId: string;
  dir: string;
}

export interface RunOptions {
  dryRun?: boolean;
  runId?: string;
  lockTimeoutMs?: number;
}

export interface RunAction {
  /** The button's and the dialog's words. */
  title: string;
  /** What running it does, spelled out in the confirmation. */
  explain: string;
  exec(options: RunOptions): Promise<MigrationReport>;
}

export function applyNext(target: RunTarget, next: MigrationRow): RunAction {
  return {
    title: 'Apply next',
    explain: `Applies ${next.version} ${next.name}, the oldest version not applied.`,
    exec: (options) => call('migrations/up', { ...target, ...options, to: next.version }),
  };
}

export function applyAll(target: RunTarget): RunAction {
  return {
    title: 'Apply all pending',
    explain: 'Applies every pending version, oldest first; a failure stops the run there.',
    exec: (options) => call('migrations/up', { ...target, ...options }),
  };
}

export function applyUpTo(target: RunTarget, row: MigrationRow): RunAction {
  return {
    title: 'Apply up to here',
    explain: `Applies the pending versions up to and including ${row.version} ${row.name}, oldest first.`,
    exec: (options) => call('migrations/up', { ...target, ...options, to: row.version, allowOutOfOrder: row.status === 'out-of-order' }),
  };
}

export function revertLast(target: RunTarget): RunAction {
  return {
    title: 'Revert last',
    explain: 'Runs the down section of the newest applied version, as it was recorded when applied.',
    exec: (options) => call('migrations/down', { ...target, ...options, count: 1 }),
  };
}

export function revertTo(target: RunTarget, row: MigrationRow): RunAction {
  return {
    title: 'Revert to here',
    explain: `Reverts every applied version newer than ${row.version} ${row.name}, newest first; ${row.version} itself stays applied.`,
    exec: (options) => call('migrations/down', { ...target, ...options, to: row.version }),
  };
}

export function baseline(target: RunTarget, row: MigrationRow): RunAction {
  return {
    title: 'Baseline',
    explain: `Records every pending version up to and including ${row.version} ${row.name} as applied without running it: for a database whose schema already has them.`,
    exec: (options) => call('migrations/baseline', { ...target, ...options, version: row.version }),
  };
}

/** The three ways out of a failed run, each said in full: what runs, and what the history records. */
export function resolveFailed(target: RunTarget, row: MigrationRow, choice: ResolveChoice): RunAction {
  const done = row.statementsDone ?? 0;
  const total = row.statementsTotal ?? 0;
  const left = Math.max(0, total - done);
  const words: Record<ResolveChoice, Pick<RunAction, 'title' | 'explain'>> = {
    resume: {
      title: 'Resume',
      explain: `Runs the remaining ${left} statement${left === 1 ? '' : 's'} of ${row.version} from the file, starting with the one that failed (fix it in the file first). Refused if the ${done} statement${done === 1 ? '' : 's'} already run changed in the file.`,
    },
    revert: {
      title: 'Revert',
      explain: `Runs the down section of ${row.version} to undo the ${done} statement${done === 1 ? '' : 's'} that did run, and records it as reverted: it is pending again.`,
    },
    'mark-resolved': {
      title: 'Mark resolved',
      explain: `Runs nothing and records the failed run of ${row.version} as completed (applied, or reverted if it was a revert): for when you finished it by hand.`,
    },
  };
  return { ...words[choice], exec: (options) => call('migrations/resolve', { ...target, ...options, version: row.version, choice }) };
}
