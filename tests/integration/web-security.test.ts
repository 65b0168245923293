import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemorySecretStore } from '../../electron/core/connections/secret-store.ts';
import { createCore, type Core } from '../../electron/core/core.ts';
import { startWebServer, type WebServer } from '../../electron/web/web-server.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the HTTP status that refused the upgrade, or 101 when the socket opened. */
function upgrade(port: number, headers: Record<string, string>): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers });
    ws.on('open', () => resolve({ status: 101, socket: ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', (error) => {
      // A refusal written straight onto the socket arrives as a parse error carrying the status line.
      const match = /Unexpected server response: (\d+)/.exec(String(error));
      if (match) resolve({ status: Number(match[1]) });
      else reject(error);
    });
  });
}

describe('browser mode: only this machine, only with the token', () => {
  let dir: string;
  let core: Core;
  let server: WebServer;
  let cookie: string;
  const origin = () => `http://127.0.0.1:${server.port}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-web-'));
    core = createCore({ mode: 'browser', dataDir: dir, secrets: new MemorySecretStore() });
    // A trailing slash, as the CLI passes it.
    server = await startWebServer({ core, staticDir: `${join(import.meta.dirname, '..', 'support', 'static')}/`, port: 0 });
    const first = await get(server.port, `/?token=${server.token}`);
    cookie = String(first.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await server.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints an address on 127.0.0.1 with the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{20,}$`));
  });

  it('refuses a request without the token', async () => {
    const r = await get(server.port, '/');
    expect(r.status).toBe(403);
    expect(r.body).toContain('token');
  });

  it('refuses a wrong token', async () => {
    expect((await get(server.port, '/?token=wrong')).status).toBe(403);
    expect((await get(server.port, '/', { cookie: 'cabinet_token=wrong' })).status).toBe(403);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie and serves the page with it', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await get(server.port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('static test page');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the page\'s own assets to a same-origin module request', async () => {
    const r = await get(server.port, '/assets/app.js', { cookie, origin: origin() });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.body).toContain('test asset');
  });

  it('refuses a foreign Origin even with the right token', async () => {
    expect((await get(server.port, '/', { cookie, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { cookie, host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await get(server.port, '/%2e%2e/%2e%2e/package.json', { cookie });
    expect(r.status).not.toBe(200);
  });

  it('refuses a WebSocket upgrade from a foreign Origin, without Origin, or without the token', async () => {
    expect((await upgrade(server.port, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await upgrade(server.port, { cookie })).status).toBe(403);
    expect((await upgrade(server.port, { origin: origin() })).status).toBe(403);
  });

  it('answers calls over a WebSocket with the token and its own Origin', async () => {
    const { status, socket } = await upgrade(server.port, { cookie, origin: origin() });
    expect(status).toBe(101);
    const reply = await new Promise<unknown>((resolve) => {
      socket!.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number };
        if (message.id === 7) resolve(message);
      });
      socket!.send(JSON.stringify({ id: 7, method: 'app/info', input: {} }));
    });
    expect(reply).toMatchObject({ id: 7, ok: true, value: { mode: 'browser', canSavePasswords: false } });
    socket!.close();
  });

  it('does not listen on any other interface', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port: server.port });
        s.on('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });
});
