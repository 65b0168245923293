import { randomBytes } from 'node:crypto';
import { methods, type EventName, type Events, type MethodName, type MethodOutput, type ParsedInput } from '../../shared/api.ts';
import { describeIssues } from '../../shared/contract.ts';
import { CabinetError, type CabinetErrorData } from '../../shared/errors.ts';
import type { RpcResponse } from '../../shared/rpc.ts';
import { toCabinetError } from './drivers/errors.ts';

/** Who made a call, and a signal that fires when that caller goes away. */
export interface CallContext {
  clientId: string;
  signal: AbortSignal;
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, context: CallContext) => Promise<MethodOutput<M>>;
export type Handlers<Names extends MethodName = MethodName> = { [M in Names]: Handler<M> };

/** Sends an event to every client. */
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;
/** Sends an event to one client. */
export type EmitTo = <E extends EventName>(clientId: string, event: E, payload: Events[E]) => void;

export type Log = (line: string) => void;

/**
 * Hands every call, from any transport, to its handler; answers with data, never a thrown object.
 * The input is checked against the method's schema first, so a handler only ever sees valid input.
 */
export class Router {
  constructor(
    private readonly handlers: Handlers,
    private readonly log: Log = () => undefined,
  ) {}

  async dispatch(context: CallContext, id: number, method: string, input: unknown): Promise<RpcResponse> {
    if (!Object.hasOwn(methods, method)) {
      return { id, ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${String(method).slice(0, 100)}".` } };
    }
    const name = method as MethodName;
    const checked = methods[name].input.safeParse(input);
    if (!checked.success) {
      return { id, ok: false, error: { code: 'BAD_INPUT', message: describeIssues(checked.error, `The input of "${name}"`) } };
    }
    try {
      const handler = this.handlers[name] as (input: unknown, context: CallContext) => Promise<unknown>;
      const value = await handler(checked.data, context);
      return { id, ok: true, value: value ?? {} };
    } catch (error) {
      return { id, ok: false, error: publicError(error, name, this.log) };
    }
  }
}

/**
 * The error a client may see. An INTERNAL error is a bug or an unmapped failure: its JavaScript message and
 * stack stay in the core's log under an id, and the client gets the id.
 */
function publicError(error: unknown, where: string, log: Log): CabinetErrorData {
  const mapped = error instanceof CabinetError ? error : toCabinetError(error);
  if (mapped.code !== 'INTERNAL') return mapped.toData();
  const errorId = randomBytes(4).toString('hex');
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`error ${errorId} in ${where}: ${stack}`);
  return {
    code: 'INTERNAL',
    message: `Something went wrong inside Cabinet (error ${errorId}). Its details are in Cabinet's log; please report it.`,
  };
}
