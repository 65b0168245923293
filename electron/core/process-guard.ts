import { randomBytes } from 'node:crypto';
import type { Log } from './router.ts';

/** The line a stray error leaves in the log; tests look for it. */
export const STRAY_ERROR_MARK = 'stray error';

/**
 * The last line of defence of a host process (browser mode, Electron main): an error no handler caught, on
 * some socket or timer, is logged under an id and the process goes on, so one bad moment cannot take every
 * open tab and transaction with it. Each such line is a bug to fix where the error came from.
 */
export function surviveStrayErrors(log: Log): void {
  const report = (kind: string) => (error: unknown) => {
    const id = randomBytes(4).toString('hex');
    log(`${STRAY_ERROR_MARK} ${id} (${kind}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));
}
