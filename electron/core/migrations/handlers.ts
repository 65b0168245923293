import { CabinetError } from '../../../shared/errors.ts';
import type { MigrationProgress, migrationMethods } from '../../../shared/migrations.ts';
import type { Endpoint } from '../connections/connector.ts';
import type { CallContext, EmitTo, Handlers } from '../router.ts';
import { createMigrationFile } from './files/migration-folder.ts';
import { baselineAt, migrateDown, migrateUp, migrationHistory, migrationStatus, resolveFailed } from './runner/actions.ts';
import type { RunnerOptions } from './runner/migration-run.ts';

export interface MigrationHandlerDeps {
  endpointFor(connectionId: string): Endpoint;
  emitTo: EmitTo;
}

interface RunInput {
  connectionId: string;
  dir: string;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  runId?: string;
}

const notYet = () => Promise.reject(new CabinetError({ code: 'MIGRATION_ERROR', message: 'Not implemented yet.' }));

/**
 * The contract's migration methods. Each run opens its own sessions on the connection's endpoint; its
 * progress goes to the client that started it.
 */
export function createMigrationHandlers(deps: MigrationHandlerDeps): Handlers<keyof typeof migrationMethods> {
  const runnerOptions = ({ connectionId, dir, dryRun, lockTimeoutMs, runId }: RunInput, context: CallContext): RunnerOptions => ({
    ...deps.endpointFor(connectionId),
    dir,
    dryRun,
    lockTimeoutMs,
    runId,
    onProgress: (progress: MigrationProgress) => deps.emitTo(context.clientId, 'migrations/progress', progress),
  });
  return {
    'migrations/status': (input, context) => migrationStatus(runnerOptions(input, context)),
    'migrations/history': async ({ connectionId }) => ({ events: await migrationHistory(deps.endpointFor(connectionId)), foreign: [] }),
    'migrations/up': (input, context) => migrateUp({ ...runnerOptions(input, context), to: input.to, allowOutOfOrder: input.allowOutOfOrder }),
    'migrations/down': (input, context) => migrateDown({ ...runnerOptions(input, context), count: input.count, to: input.to }),
    'migrations/baseline': (input, context) => baselineAt({ ...runnerOptions(input, context), version: input.version }),
    'migrations/resolve': (input, context) => resolveFailed({ ...runnerOptions(input, context), version: input.version, choice: input.choice }),
    'migrations/create': ({ dir, name }) => createMigrationFile(dir, name),
    'migrations/cancel': notYet,
    'migrations/read-file': notYet,
    'migrations/write-file': notYet,
    'migrations/seeds': notYet,
    'migrations/seed-run': notYet,
    'migrations/seed-log': notYet,
  };
}
