/** A client of browser mode's WebSocket, as the renderer is one: token traded for the cookie, same Origin. */
import { request } from 'node:http';
import WebSocket from 'ws';
import type { RpcResponse } from '../../shared/rpc.ts';

export interface RpcSocket {
  /** Sends one call and waits for its answer; rejects after `timeoutMs`. */
  call(method: unknown, input: unknown, timeoutMs?: number): Promise<RpcResponse>;
  /** The same, with the input written as JSON text by the caller (keys like `__proto__` survive). */
  callRaw(method: string, inputJson: string, timeoutMs?: number): Promise<RpcResponse>;
  /** Sends a raw frame (anything, even not JSON). */
  sendRaw(data: string | Buffer): void;
  close(): Promise<void>;
}

function cookieFor(port: number, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/?token=${token}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      res.resume();
      const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0];
      if (cookie) resolve(cookie);
      else reject(new Error(`no cookie for the token (status ${res.statusCode})`));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function openRpcSocket(port: number, token: string): Promise<RpcSocket> {
  const cookie = await cookieFor(port, token);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers: { cookie, origin: `http://127.0.0.1:${port}` }, maxPayload: 256 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting = new Map<number, (response: RpcResponse) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as RpcResponse | { event: string };
    if ('id' in message) waiting.get(message.id)?.(message);
  });
  let nextId = 1;
  const send = (method: unknown, inputJson: string, timeoutMs: number) => {
    const id = nextId++;
    return new Promise<RpcResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no answer to ${String(method)} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, (response) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(response);
      });
      ws.send(`{"id":${id},"method":${JSON.stringify(method) ?? 'null'},"input":${inputJson}}`);
    });
  };
  return {
    call: (method, input, timeoutMs = 10_000) => send(method, JSON.stringify(input) ?? 'null', timeoutMs),
    callRaw: (method, inputJson, timeoutMs = 10_000) => send(method, inputJson, timeoutMs),
    sendRaw: (data) => ws.send(data),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
