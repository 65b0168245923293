import type { sessionMethods } from '../../../shared/sessions.ts';
import type { Handlers } from '../router.ts';
import type { SessionRegistry } from './session-registry.ts';

/** The contract's session methods, each acting for the client that calls it. */
export function createSessionHandlers(sessions: SessionRegistry): Handlers<keyof typeof sessionMethods> {
  return {
    'sessions/open': ({ connectionId, database }, context) => sessions.open(context, connectionId, database),
    'sessions/execute': ({ sessionId, sql, firstRows }, context) => sessions.execute(context, sessionId, sql, firstRows),
    'sessions/rows': ({ resultId, start, count }, context) => sessions.rows(context, resultId, start, count),
    'sessions/stop': ({ resultId }, context) => sessions.stop(context, resultId),
    'sessions/cancel': ({ sessionId }, context) => sessions.cancel(context, sessionId),
    'sessions/status': ({ sessionId }, context) => sessions.status(context, sessionId),
    'sessions/close-result': async ({ resultId }, context) => {
      await sessions.closeResult(context, resultId);
      return {};
    },
    'sessions/close': async ({ sessionId, finish }, context) => {
      await sessions.close(context, sessionId, finish);
      return {};
    },
  };
}
