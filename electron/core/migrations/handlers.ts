import type { MigrationMethods } from '../../../shared/migrations.ts';
import type { ConnectionParams } from '../../../shared/profiles.ts';
import type { Emit, Handlers } from '../router.ts';
import { createMigrationFile } from './files/migration-folder.ts';
import { baselineAt, migrateDown, migrateUp, migrationHistory, migrationStatus, resolveFailed } from './runner/actions.ts';
import type { RunnerOptions } from './runner/migration-run.ts';

export interface MigrationHandlerDeps {
  credentialsFor(connectionId: string): { params: ConnectionParams; password?: string };
  emit: Emit;
}

interface RunInput {
  connectionId: string;
  dir: string;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  runId?: string;
}

/** The contract's migration methods. Each run opens its own sessions from the connection's credentials. */
export function createMigrationHandlers(deps: MigrationHandlerDeps): Handlers<keyof MigrationMethods> {
  const runnerOptions = ({ connectionId, dir, dryRun, lockTimeoutMs, runId }: RunInput): RunnerOptions => {
    const { params, password } = deps.credentialsFor(connectionId);
    return {
      params,
      password,
      dir,
      dryRun,
      lockTimeoutMs,
      runId,
      onProgress: (progress) => deps.emit('migrations/progress', progress),
    };
  };
  return {
    'migrations/status': (input) => migrationStatus(runnerOptions(input)),
    'migrations/history': async ({ connectionId }) => {
      const { params, password } = deps.credentialsFor(connectionId);
      return { events: await migrationHistory(params, password) };
    },
    'migrations/up': (input) => migrateUp({ ...runnerOptions(input), to: input.to, allowOutOfOrder: input.allowOutOfOrder }),
    'migrations/down': (input) => migrateDown({ ...runnerOptions(input), count: input.count, to: input.to }),
    'migrations/baseline': (input) => baselineAt({ ...runnerOptions(input), version: input.version }),
    'migrations/resolve': (input) => resolveFailed({ ...runnerOptions(input), version: input.version, choice: input.choice }),
    'migrations/create': ({ dir, name }) => createMigrationFile(dir, name),
  };
}
