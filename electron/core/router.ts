import type { EventName, Events, MethodName, Methods } from '../../shared/api.ts';
import { CabinetError, type CabinetErrorData } from '../../shared/errors.ts';
import type { RpcResponse } from '../../shared/rpc.ts';
import { toCabinetError } from './drivers/errors.ts';

export type Handler<M extends MethodName> = (input: Methods[M]['in']) => Promise<Methods[M]['out']>;
export type Handlers<Names extends MethodName = MethodName> = { [M in Names]: Handler<M> };

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Hands every call, from any transport, to its handler; answers with data, never a thrown object. */
export class Router {
  constructor(private readonly handlers: Handlers) {}

  async dispatch(id: number, method: string, input: unknown): Promise<RpcResponse> {
    if (!Object.hasOwn(this.handlers, method)) {
      return { id, ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${method}".` } };
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { id, ok: false, error: { code: 'BAD_INPUT', message: `The input of "${method}" must be an object.` } };
    }
    try {
      const handler = this.handlers[method as MethodName] as (input: unknown) => Promise<unknown>;
      const value = await handler(input);
      return { id, ok: true, value: value ?? {} };
    } catch (error) {
      return { id, ok: false, error: errorData(error) };
    }
  }
}

export function errorData(error: unknown): CabinetErrorData {
  if (error instanceof CabinetError) return error.toData();
  return toCabinetError(error).toData();
}
