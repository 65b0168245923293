import type { CancelResult } from '../../../../shared/migrations.ts';

/**
 * Lets `migrations/cancel` stop one run: at once while it waits for the lock (nothing ran), or once it holds
 * the lock, before its next migration (the one under way completes: PostgreSQL never tears a migration
 * half-way, and a MySQL migration stopped between statements would be left failed).
 */
export class RunCancel {
  private readonly controller = new AbortController();
  /** Set by the run once the lock is held: from then on a cancel waits for the migration under way. */
  holdsLock = false;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(): CancelResult['stage'] {
    this.controller.abort();
    return this.holdsLock ? 'running' : 'waiting';
  }
}
