import type { MethodName } from '../../../shared/api.ts';
import type { RpcEvent, RpcResponse } from '../../../shared/rpc.ts';

/** What the desktop preload exposes through contextBridge: one call function and one event subscription. */
export interface CabinetBridge {
  /** Resolves with the response (the id is optional: the bridge pairs calls itself). */
  invoke(method: MethodName, input: unknown): Promise<DistributiveOmit<RpcResponse, 'id'> & { id?: number }>;
  onEvent(listener: (message: RpcEvent) => void): () => void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

declare global {
  interface Window {
    cabinet?: CabinetBridge;
  }
}
