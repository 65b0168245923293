/**
 * The loopback TCP server in front of the demo's PGlite: accepts connections and gives each
 * one pglite-socket's per-connection protocol handler, wired to our `BackendQueue`.
 *
 * `PGLiteSocketHandler` (@electric-sql/pglite-socket 0.2.17) is kept for what it does well:
 * message framing (it hands the queue one whole protocol message at a time, startup
 * included), SSL refusal (an SSLRequest is answered 'N', so clients fall back to plain
 * text), and cancel requests, which it reads and drops: PGlite has no second process to
 * signal, so `pg_cancel_backend` and the protocol cancel do nothing and a running query
 * runs to its end.
 *
 * Upstream's `PGLiteSocketServer` is not used: it accepts `maxConnections` clients (default
 * 1; a client over the limit finds its socket closed without a word, measured, so a
 * PostgreSQL client can only say "connection terminated") and shares upstream's queue (see
 * backend-queue.ts). Here, over `maxConnections` a client gets a real ErrorResponse
 * (SQLSTATE 53300).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { BackendQueue } from './backend-queue.ts';

export interface DemoServer {
  port: number;
  /** Connections attached right now. */
  connections(): number;
  /** Disconnects the connection that holds the backend (rolling back); false when none does. */
  releaseBlocker(): Promise<boolean>;
  /** Stops listening and disconnects everyone (their transactions roll back). */
  close(): Promise<void>;
}

export async function serveDemo(
  queue: BackendQueue,
  opts: { host: string; port: number; maxConnections: number; log: (line: string) => void },
): Promise<DemoServer> {
  const { maxConnections } = opts;
  const handlers = new Map<PGLiteSocketHandler, Socket>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // the handler reports and cleans up; never crash the app
    if (handlers.size >= maxConnections) {
      socket.end(errorResponse('53300', `sorry, too many clients already (the demo database allows ${maxConnections})`));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // Our queue has the three methods the handler calls (enqueue, clearQueueForHandler,
      // clearTransactionIfNeeded); the declared type is upstream's class with private fields.
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.set(handler, socket);
    queue.ports.set(handler.handlerId, socket.remotePort ?? 0);
    const forget = () => {
      handlers.delete(handler);
      queue.ports.delete(handler.handlerId);
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    void handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    server.close();
    throw err;
  }
  server.on('error', (err) => opts.log(`demo: server error: ${err.message}`));

  return {
    port: (server.address() as AddressInfo).port,
    connections: () => handlers.size,
    releaseBlocker: async () => {
      const holder = queue.holderId();
      if (holder === null) return false;
      for (const h of handlers.keys()) {
        if (h.handlerId === holder) {
          await h.detach(true); // drops its queue, ends its batch, rolls back, closes its socket
          handlers.delete(h);
          queue.ports.delete(h.handlerId);
          return true;
        }
      }
      return false;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers.keys()].map((h) => h.detach(true).catch(() => h)));
      handlers.clear();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A PostgreSQL ErrorResponse, for refusing a connection before its startup. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0VFATAL\0', 'utf8'),
    Buffer.from(`C${code}\0M${message}\0\0`, 'utf8'),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}
