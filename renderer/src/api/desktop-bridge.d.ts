import type { MethodName } from '../../../shared/api.ts';
import type { RpcEvent, RpcResponse } from '../../../shared/rpc.ts';

/** What the desktop preload exposes through contextBridge: one call function, one event subscription, one dialog. */
export interface CabinetBridge {
  /** Resolves with the response (the id is optional: the bridge pairs calls itself). */
  invoke(method: MethodName, input: unknown): Promise<DistributiveOmit<RpcResponse, 'id'> & { id?: number }>;
  onEvent(listener: (message: RpcEvent) => void): () => void;
  /** The system's folder dialog: the chosen folder's absolute path, or null when the person cancelled. */
  chooseFolder(title: string): Promise<string | null>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

declare global {
  interface Window {
    cabinet?: CabinetBridge;
  }
}
