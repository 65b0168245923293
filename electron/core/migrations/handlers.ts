import type { migrationMethods, MigrationProgress, SeedLogEntry } from '../../../shared/migrations.ts';
import type { Endpoint } from '../connections/connector.ts';
import type { CallContext, EmitTo, Handlers } from '../router.ts';
import { readFolderFile, writeMigrationFile } from './files/folder-files.ts';
import { refuseOtherToolsFolder } from './files/folder-layout.ts';
import { createMigrationFile } from './files/migration-folder.ts';
import { baselineAt, migrateDown, migrateUp, migrationHistory, migrationStatus, otherToolsHistories, resolveFailed } from './runner/actions.ts';
import type { RunnerOptions } from './runner/migration-run.ts';
import { RunCancel } from './runner/run-cancel.ts';
import type { SeedLog } from './seeds/seed-log.ts';
import { listSeeds, runSeed, seedsFolder } from './seeds/seed-runner.ts';
import { join } from 'node:path';

export interface MigrationHandlerDeps {
  endpointFor(connectionId: string): Endpoint;
  /** The connection's profile and name, for the seed log. */
  describe(connectionId: string): { profileId: string; name: string };
  emitTo: EmitTo;
  seedLog: SeedLog;
}

interface RunInput {
  connectionId: string;
  dir: string;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  runId?: string;
}

const CANCEL_MESSAGES = {
  waiting: 'The run stopped waiting for the migration lock; nothing ran.',
  running: 'The run holds the lock: the migration under way completes, and the next ones will not start.',
  none: 'No run of that id is going on: it has ended, or never started.',
} as const;

/**
 * The contract's migration methods. Each run opens its own sessions on the connection's endpoint; its
 * progress goes to the client that started it. A run with a `runId` can be cancelled by it.
 */
export function createMigrationHandlers(deps: MigrationHandlerDeps): Handlers<keyof typeof migrationMethods> {
  const runs = new Map<string, RunCancel>();

  /** Runs `work` with a cancel registered under the run's id; the caller going away cancels it too. */
  const cancellable = async <T>(input: RunInput, context: CallContext, work: (options: RunnerOptions) => Promise<T>): Promise<T> => {
    const cancel = new RunCancel();
    const { runId } = input;
    // Run ids come from the windows; should two runs share one, a cancel reaches the later.
    if (runId !== undefined) runs.set(runId, cancel);
    const onCallerGone = () => cancel.cancel();
    context.signal.addEventListener('abort', onCallerGone);
    try {
      return await work(runnerOptions(input, context, cancel));
    } finally {
      context.signal.removeEventListener('abort', onCallerGone);
      if (runId !== undefined && runs.get(runId) === cancel) runs.delete(runId);
    }
  };

  const runnerOptions = ({ connectionId, dir, dryRun, lockTimeoutMs, runId }: RunInput, context: CallContext, cancel?: RunCancel): RunnerOptions => ({
    ...deps.endpointFor(connectionId),
    dir,
    dryRun,
    lockTimeoutMs,
    runId,
    cancel,
    onProgress: (progress: MigrationProgress) => deps.emitTo(context.clientId, 'migrations/progress', progress),
    onLockWait: (wait) => deps.emitTo(context.clientId, 'migrations/lock-wait', { runId: runId ?? '', ...wait }),
  });

  return {
    'migrations/status': (input, context) => migrationStatus(runnerOptions(input, context)),
    'migrations/history': async ({ connectionId }) => {
      const endpoint = deps.endpointFor(connectionId);
      const [events, foreign] = await Promise.all([migrationHistory(endpoint), otherToolsHistories(endpoint)]);
      return { events, foreign };
    },
    'migrations/up': (input, context) => cancellable(input, context, (options) => migrateUp({ ...options, to: input.to, allowOutOfOrder: input.allowOutOfOrder })),
    'migrations/down': (input, context) => cancellable(input, context, (options) => migrateDown({ ...options, count: input.count, to: input.to })),
    'migrations/baseline': (input, context) => cancellable(input, context, (options) => baselineAt({ ...options, version: input.version })),
    'migrations/resolve': (input, context) => cancellable(input, context, (options) => resolveFailed({ ...options, version: input.version, choice: input.choice })),
    'migrations/cancel': async ({ runId }) => {
      const stage = runs.get(runId)?.cancel() ?? 'none';
      return { stage, message: CANCEL_MESSAGES[stage] };
    },
    'migrations/create': async ({ dir, name }) => {
      await refuseOtherToolsFolder(dir);
      return createMigrationFile(dir, name);
    },
    'migrations/read-file': ({ dir, file }) => readFolderFile(dir, file),
    'migrations/write-file': async ({ dir, file, text, expectedModifiedAt }) => {
      await refuseOtherToolsFolder(dir);
      return writeMigrationFile(dir, file, text, expectedModifiedAt);
    },
    'migrations/seeds': ({ connectionId, dir }) => listSeeds(dir, deps.endpointFor(connectionId).params.engine),
    'migrations/seed-run': async ({ connectionId, dir, file, dryRun, runId }, context) => {
      const endpoint = deps.endpointFor(connectionId);
      const at = new Date().toISOString();
      const result = await runSeed({
        endpoint,
        migrationsDir: dir,
        file,
        dryRun,
        onProgress: (statementsDone, statementsTotal) =>
          deps.emitTo(context.clientId, 'migrations/seed-progress', { runId: runId ?? '', file, statementsDone, statementsTotal }),
      });
      if (result.dryRun) return result;
      const { params } = endpoint;
      const { profileId, name } = deps.describe(connectionId);
      const entry: SeedLogEntry = {
        at,
        profileId,
        connectionName: name,
        engine: params.engine,
        host: params.host,
        port: params.port,
        database: params.database,
        file: join(seedsFolder(dir), file),
        result: result.ok ? 'ok' : 'failed',
        statementsDone: result.statementsDone,
        statementsTotal: result.statementsTotal,
        executionMs: result.executionMs,
      };
      if (result.error) entry.error = result.error.message;
      if (result.failedStatement) entry.failedStatement = result.failedStatement;
      if (!result.ok) entry.rolledBack = result.rolledBack;
      await deps.seedLog.append(entry);
      return { ...result, logEntry: entry };
    },
    'migrations/seed-log': async ({ connectionId }) => ({
      entries: await deps.seedLog.read(connectionId === undefined ? undefined : deps.describe(connectionId).profileId),
    }),
  };
}
