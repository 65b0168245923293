import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RpcRequest, RpcServerMessage } from '../../shared/rpc.ts';
import { contentSecurityPolicy } from '../../shared/security.ts';
import type { Core } from '../core/core.ts';
import { findDownload } from '../core/exports/downloads.ts';
import { contentDisposition } from '../core/exports/formats.ts';

export interface WebServerOptions {
  core: Core;
  /** The built renderer (vite's output). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Tests pass a fixed token; otherwise a random one per run. */
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'cabinet_token';
const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Not no-referrer: under it Chromium sends `Origin: null` for the page's own module scripts.
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * Browser mode: the same core and renderer, served on 127.0.0.1 only. Every request and WebSocket upgrade
 * must carry the run's token (in the URL once, then in a SameSite=Strict cookie) and a Host and Origin of
 * this server, so neither another web page nor a DNS-rebinding host can reach the core.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const allowedHosts = () => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  /** Returns a refusal reason, or undefined when the request may go on. */
  const refuse = (req: IncomingMessage, url: URL, upgrade: boolean): string | undefined => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return 'foreign Host header';
    const origin = req.headers.origin;
    if (origin !== undefined ? !allowedOrigins().includes(origin) : upgrade) return 'foreign or missing Origin header';
    if (!sameSecret(url.searchParams.get('token') ?? cookieToken(req), token)) return 'missing or wrong token';
    return undefined;
  };

  const staticRoot = resolve(options.staticDir);

  const serveStatic = async (res: ServerResponse, pathname: string) => {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end('Bad path');
      return;
    }
    let file = normalize(join(staticRoot, relative));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (!info || info.isDirectory()) {
      // The app is one page: unknown paths without an extension are the page itself.
      if (extname(relative) !== '' && !info) {
        res.writeHead(404, SECURITY_HEADERS).end('Not found');
        return;
      }
      file = join(staticRoot, 'index.html');
      info = await stat(file).catch(() => undefined);
      if (!info) {
        res.writeHead(500, SECURITY_HEADERS).end('The renderer is not built: run `npm run build:renderer`.');
        return;
      }
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    createReadStream(file).pipe(res);
  };

  /**
   * A finished browser-mode export (`exports/start` without a path), by its id: sent as an attachment, then
   * deleted once it went out whole. Unknown, unfinished and already fetched ids are 404.
   */
  const serveDownload = async (req: IncomingMessage, res: ServerResponse, exportId: string) => {
    const download = /^[A-Za-z0-9-]{1,128}$/.test(exportId) ? findDownload(exportId) : undefined;
    const info = download && (await stat(download.file).catch(() => undefined));
    if (!download || !info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('No such download: it was fetched already, or its export is gone.');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': download.contentType,
      'Content-Length': info.size,
      'Content-Disposition': contentDisposition(download.fileName),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Deleted once it went out whole; a broken-off download can be tried again.
    pipeline(createReadStream(download.file), res, (error) => {
      if (!error) void download.served();
    });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const reason = refuse(req, url, false);
    if (reason) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(`Refused: ${reason}.`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end('Method not allowed');
      return;
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the address bar for a cookie, then drop it from the URL.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/downloads/')) {
      serveDownload(req, res, url.pathname.slice('/downloads/'.length)).catch(() => {
        if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS).end('Internal error');
        else res.destroy();
      });
      return;
    }
    serveStatic(res, url.pathname).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const reason = url.pathname !== '/rpc' ? 'unknown path' : refuse(req, url, true);
    if (reason) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nRefused: ${reason}.`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket) => {
    const send = (message: RpcServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // One browser tab is one client: its sessions close, and their transactions roll back, when it goes.
    const client = options.core.connectClient(send);
    ws.on('close', () => void client.close());
    ws.on('message', async (data) => {
      let request: Partial<RpcRequest>;
      try {
        request = JSON.parse(String(data)) as Partial<RpcRequest>;
      } catch {
        return;
      }
      // Without a numeric id an answer could not be paired with its call, so there is nothing to answer.
      if (typeof request !== 'object' || request === null || typeof request.id !== 'number') return;
      if (typeof request.method !== 'string') {
        send({ id: request.id, ok: false, error: { code: 'BAD_INPUT', message: 'A call names its method as text.' } });
        return;
      }
      send(await client.call(request.id, request.method, request.input));
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
