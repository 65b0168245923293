/** The wire format of one call, its answer and a pushed event, the same over Electron IPC and WebSocket. */
import type { CabinetErrorData } from './errors.ts';
import type { EventName, Events, MethodName } from './api.ts';

export interface RpcRequest {
  id: number;
  method: MethodName;
  input: unknown;
}

export type RpcResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: CabinetErrorData };

/** One pushed event; a union over the event names, so checking `event` narrows `payload`. */
export type RpcEvent = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

export type RpcServerMessage = RpcResponse | RpcEvent;

export function isRpcEvent(message: RpcServerMessage): message is RpcEvent {
  return 'event' in message;
}
