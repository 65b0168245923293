/**
 * The renderer's one way to reach the core: `call` and `onEvent`, typed from shared/api.ts.
 * Two transports carry the same messages: the desktop preload bridge, or a WebSocket in browser mode.
 */
import type { EventName, Events, MethodInput, MethodName, MethodOutput } from '../../../shared/api.ts';
import type { CabinetErrorData } from '../../../shared/errors.ts';
import { isRpcEvent, type RpcEvent, type RpcRequest, type RpcServerMessage } from '../../../shared/rpc.ts';
import { ApiError } from './errors.ts';

export { ApiError } from './errors.ts';

type CallResult = { ok: true; value: unknown } | { ok: false; error: CabinetErrorData };

/**
 * 'open' while the core is reachable; 'reconnecting' while browser mode waits for its socket; 'restarted'
 * when browser mode answers again but refuses this page's token: it was restarted, with a new address.
 */
export type TransportState = 'connecting' | 'open' | 'reconnecting' | 'restarted';

interface Transport {
  invoke(method: MethodName, input: unknown): Promise<CallResult>;
  subscribe(listener: (message: RpcEvent) => void): void;
}

const stateListeners = new Set<(state: TransportState) => void>();
let transportState: TransportState = 'connecting';

function setTransportState(state: TransportState): void {
  if (state === transportState) return;
  transportState = state;
  for (const listener of stateListeners) listener(state);
}

function connectionLost(message: string): CabinetErrorData {
  return { code: 'CONNECTION_LOST', message };
}

function desktopTransport(bridge: NonNullable<Window['cabinet']>): Transport {
  setTransportState('open');
  return {
    invoke: async (method, input) => bridge.invoke(method, input),
    subscribe: (listener) => {
      bridge.onEvent(listener);
    },
  };
}

interface Pending {
  resolve: (result: CallResult) => void;
}

/** Browser mode: one WebSocket, calls paired by id, reconnecting with backoff when it closes. */
function webSocketTransport(): Transport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  const pending = new Map<number, Pending>();
  /** Calls made while the socket is still opening wait here. */
  let queued: { request: RpcRequest; pending: Pending }[] = [];
  const listeners = new Set<(message: RpcEvent) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let attempt = 0;

  const failAll = (message: string) => {
    const error = connectionLost(message);
    for (const entry of pending.values()) entry.resolve({ ok: false, error });
    pending.clear();
    for (const entry of queued) entry.pending.resolve({ ok: false, error });
    queued = [];
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      for (const { request, pending: entry } of queued) {
        pending.set(request.id, entry);
        ws.send(JSON.stringify(request));
      }
      queued = [];
      setTransportState('open');
    });
    ws.addEventListener('message', (event: MessageEvent<string>) => {
      let message: RpcServerMessage;
      try {
        message = JSON.parse(event.data) as RpcServerMessage;
      } catch {
        return;
      }
      if (isRpcEvent(message)) {
        for (const listener of listeners) listener(message);
        return;
      }
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      entry.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      failAll("Lost contact with Cabinet's core. The call was not answered; try again once it is back.");
      setTransportState('reconnecting');
      scheduleReconnect();
    });
  };

  // Before opening a socket again, ask the page's own address: refused means a new run with a new token.
  const scheduleReconnect = () => {
    const delay = Math.min(5000, 250 * 2 ** attempt);
    attempt += 1;
    setTimeout(() => {
      fetch(location.pathname, { cache: 'no-store', credentials: 'same-origin' }).then(
        (response) => {
          if (response.status === 403) setTransportState('restarted');
          else connect();
        },
        () => scheduleReconnect(),
      );
    }, delay);
  };
  connect();

  return {
    invoke: (method, input) =>
      new Promise<CallResult>((resolve) => {
        const request: RpcRequest = { id: nextId++, method, input };
        const entry: Pending = { resolve };
        if (socket && socket.readyState === WebSocket.OPEN) {
          pending.set(request.id, entry);
          socket.send(JSON.stringify(request));
        } else if (socket && socket.readyState === WebSocket.CONNECTING && transportState === 'connecting') {
          queued.push({ request, pending: entry });
        } else {
          resolve({ ok: false, error: connectionLost("Cabinet's core cannot be reached right now; it is reconnecting.") });
        }
      }),
    subscribe: (listener) => {
      listeners.add(listener);
    },
  };
}

let transport: Transport | null = null;
const eventListeners = new Map<EventName, Set<(payload: never) => void>>();

function getTransport(): Transport {
  if (!transport) {
    transport = window.cabinet ? desktopTransport(window.cabinet) : webSocketTransport();
    transport.subscribe((message) => {
      const set = eventListeners.get(message.event);
      if (!set) return;
      for (const listener of set) (listener as (payload: unknown) => void)(message.payload);
    });
  }
  return transport;
}

/** Calls one core method; rejects with an ApiError carrying the core's error data. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await getTransport().invoke(method, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as MethodOutput<M>;
}

/** Subscribes to one kind of event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
  getTransport();
  let set = eventListeners.get(name);
  if (!set) {
    set = new Set();
    eventListeners.set(name, set);
  }
  const stored = listener as (payload: never) => void;
  set.add(stored);
  return () => {
    set.delete(stored);
  };
}

/** Follows whether the core is reachable (browser mode can lose its socket). */
export function onTransportState(listener: (state: TransportState) => void): () => void {
  getTransport();
  stateListeners.add(listener);
  listener(transportState);
  return () => {
    stateListeners.delete(listener);
  };
}
