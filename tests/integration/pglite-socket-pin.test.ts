// Pins what the demo database (electron/core/demo/) relies on in @electric-sql/pglite and
// @electric-sql/pglite-socket, and the upstream behaviour its comments describe, so that a
// version bump that changes any of it fails here, by name, instead of as a wedged demo.
// When one of these fails: re-measure, then fix the demo code and its comments, then this file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, PGLiteSocketServer, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendQueue } from '../../electron/core/demo/backend-queue.ts';

const REPO = join(import.meta.dirname, '..', '..');
const version = async (name: string) =>
  (JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const versions = `pglite ${await version('@electric-sql/pglite')}, pglite-socket ${await version('@electric-sql/pglite-socket')}`;

// ---------------------------------------------------------------------------------------
// Protocol bytes, written out here so that the pins do not lean on the code they check.

const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

function frontend(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from(type, 'latin1'), int32(body.length + 4), body]);
}
const query = (sql: string) => frontend('Q', cstr(sql));
const parse = (sql: string) => frontend('P', cstr(''), cstr(sql), int16(0));
const bind = () => frontend('B', cstr(''), cstr(''), int16(0), int16(0), int16(0));
const describePortal = () => frontend('D', Buffer.from('P'), cstr(''));
const execute = (maxRows: number) => frontend('E', cstr(''), int32(maxRows));
const flush = () => frontend('H');
const sync = () => frontend('S');

function startup(): Buffer {
  const body = Buffer.concat([int32(196608), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
}
const sslRequest = () => Buffer.concat([int32(8), int32(80877103)]);
const cancelRequest = (pid: number, key: number) => Buffer.concat([int32(16), int32(80877102), int32(pid), int32(key)]);

interface BackendMessage {
  type: string;
  body: Buffer;
}

/** Splits a backend byte stream into messages; ReadyForQuery shows as `Z:I`, `Z:T` or `Z:E`. */
function backendMessages(bytes: Buffer): BackendMessage[] {
  const out: BackendMessage[] = [];
  for (let o = 0; o < bytes.length; ) {
    const length = bytes.readInt32BE(o + 1);
    out.push({ type: String.fromCharCode(bytes[o]), body: bytes.subarray(o + 5, o + 1 + length) });
    o += 1 + length;
  }
  return out;
}
const types = (messages: BackendMessage[]) =>
  messages.map((m) => (m.type === 'Z' ? `Z:${String.fromCharCode(m.body[0])}` : m.type)).filter((t) => t !== 'S'); // ParameterStatus comes and goes
const sqlState = (m: BackendMessage) => /(?:^|\0)C([0-9A-Z]{5})\0/.exec(m.body.toString('latin1'))?.[1];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 250) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
/** Still unsettled after `ms`: for the pins whose point is that something never answers. */
async function stillPending(p: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([p.then(() => 'settled', () => 'settled'), sleep(ms).then(() => marker)])) === marker;
}

// ---------------------------------------------------------------------------------------

let dataDir: string;
let db: PGlite;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cabinet-pglite-pin-'));
  db = await PGlite.create({ dataDir: join(dataDir, 'pgdata') }); // on disk, like the demo
});

afterAll(async () => {
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`PGlite, one protocol message at a time (${versions})`, () => {
  /** What BackendQueue does with each message: runExclusive + execProtocolRawStream. */
  async function send(message: Buffer): Promise<{ messages: BackendMessage[]; inTransaction: boolean }> {
    const chunks: Buffer[] = [];
    // The chunks are views PGlite reuses once the callback returns: copy inside it (the handler does).
    await db.runExclusive(() => db.execProtocolRawStream(new Uint8Array(message), { onRawData: (d) => chunks.push(Buffer.from(d)) }));
    return { messages: backendMessages(Buffer.concat(chunks)), inTransaction: db.isInTransaction() };
  }

  it('answers a startup message like a server: AuthenticationOk, BackendKeyData, ReadyForQuery I', async () => {
    const { messages } = await send(startup());
    expect(types(messages)).toEqual(['R', 'K', 'Z:I']);
    expect(messages[0]!.body.readInt32BE(0)).toBe(0); // AuthenticationOk: no password
  });

  it("reports the transaction state in ReadyForQuery ('I', 'T', 'E'), and isInTransaction() agrees", async () => {
    expect(await send(query('select 1'))).toMatchObject({ inTransaction: false });
    expect(types((await send(query('select 1'))).messages)).toEqual(['T', 'D', 'C', 'Z:I']);

    const error = await send(query('select 1/0'));
    expect(types(error.messages)).toEqual(['E', 'Z:I']); // an error outside a transaction leaves it idle
    expect(sqlState(error.messages[0]!)).toBe('22012');

    const begin = await send(query('begin'));
    expect(types(begin.messages)).toEqual(['C', 'Z:T']);
    expect(begin.inTransaction).toBe(true);

    const failed = await send(query('select 1/0'));
    expect(types(failed.messages)).toEqual(['E', 'Z:E']);
    expect(failed.inTransaction).toBe(true);
    const ignored = await send(query('select 1'));
    expect(types(ignored.messages)).toEqual(['E', 'Z:E']);
    expect(sqlState(ignored.messages[0]!)).toBe('25P02');

    const rollback = await send(query('rollback'));
    expect(types(rollback.messages)).toEqual(['C', 'Z:I']);
    expect(rollback.inTransaction).toBe(false);

    // Several statements in one Query: the status after the last one.
    expect(types((await send(query('begin; select 1'))).messages)).toEqual(['C', 'T', 'D', 'C', 'Z:T']);
    expect(types((await send(query('commit'))).messages)).toEqual(['C', 'Z:I']);
  });

  it('sends no ReadyForQuery inside an extended-protocol batch until its Sync (what a cursor looks like)', async () => {
    expect(types((await send(parse('select * from generate_series(1, 3)'))).messages)).toEqual(['1']);
    expect(types((await send(bind())).messages)).toEqual(['2']);
    expect(types((await send(describePortal())).messages)).toEqual(['T']);
    const first = await send(execute(1));
    expect(types(first.messages)).toEqual(['D', 's']); // a row, PortalSuspended
    expect(first.inTransaction).toBe(false); // not a transaction block: upstream's queue would interleave here
    expect(types((await send(flush())).messages)).toEqual([]);
    const second = await send(execute(1));
    expect(types(second.messages)).toEqual(['D', 's']);
    expect(second.inTransaction).toBe(true); // now it is one (an implicit block), as upstream's queue then believes
    expect(types((await send(sync())).messages)).toEqual(['Z:I']);
    expect(db.isInTransaction()).toBe(false);
  });

  it('after an error in a batch, answers nothing until the Sync', async () => {
    const bad = await send(parse('select no_such_column'));
    expect(types(bad.messages)).toEqual(['E']);
    expect(sqlState(bad.messages[0]!)).toBe('42703');
    expect(types((await send(bind())).messages)).toEqual([]);
    expect(types((await send(execute(0))).messages)).toEqual([]);
    expect(types((await send(sync())).messages)).toEqual(['Z:I']);
  });

  it('cannot cancel anything: pg_cancel_backend on its own backend returns false with a warning', async () => {
    const { messages } = await send(query('select pg_cancel_backend(pg_backend_pid())'));
    expect(types(messages)).toEqual(['T', 'N', 'D', 'C', 'Z:I']);
    expect(messages.find((m) => m.type === 'D')!.body.subarray(6).toString()).toBe('f');
  });
});

// ---------------------------------------------------------------------------------------
// PGLiteSocketHandler over real sockets, with the demo's own queue, recording what the handler asks of it.

interface QueueCall {
  call: 'enqueue' | 'clearQueueForHandler' | 'clearTransactionIfNeeded';
  id: number;
  /** The message's type byte, or `startup`. */
  message?: string;
  bytes?: Buffer;
}

class RecordingQueue extends BackendQueue {
  calls: QueueCall[] = [];
  refuse: ((message: Buffer) => boolean) | null = null;

  override enqueue(id: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const bytes = Buffer.from(message);
    const type = bytes.length >= 8 && bytes.readInt32BE(4) === 196608 ? 'startup' : String.fromCharCode(bytes[0]!);
    this.calls.push({ call: 'enqueue', id, message: type, bytes });
    if (this.refuse?.(bytes)) return Promise.reject(new Error('refused by the test'));
    return super.enqueue(id, message, onData);
  }
  override clearQueueForHandler(id: number): void {
    this.calls.push({ call: 'clearQueueForHandler', id });
    super.clearQueueForHandler(id);
  }
  override clearTransactionIfNeeded(id: number): Promise<void> {
    this.calls.push({ call: 'clearTransactionIfNeeded', id });
    return super.clearTransactionIfNeeded(id);
  }
  of(id: number): string[] {
    return this.calls.filter((c) => c.id === id).map((c) => (c.call === 'enqueue' ? c.message! : c.call));
  }
}

describe(`PGLiteSocketHandler in front of the demo's queue (${versions})`, () => {
  let queue: RecordingQueue;
  let server: Server;
  let port: number;
  /** Handler by the client-side port of its connection. */
  const handlers = new Map<number, PGLiteSocketHandler>();
  const clients: pg.Client[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    queue = new RecordingQueue(db);
    server = createServer((socket) => {
      socket.on('error', () => {});
      const handler = new PGLiteSocketHandler({
        queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
        closeOnDetach: true,
      });
      handlers.set(socket.remotePort!, handler);
      void handler.attach(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    queue.refuse = null;
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
    for (const s of sockets.splice(0)) s.destroy();
  });

  afterAll(async () => {
    for (const h of handlers.values()) await h.detach(true);
    await new Promise((resolve) => server.close(resolve));
  });

  async function pgClient(config: pg.ClientConfig = {}): Promise<pg.Client> {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ...config });
    c.on('error', () => {});
    clients.push(c);
    await c.connect();
    return c;
  }
  const localPort = (c: pg.Client) => (c as unknown as { connection: { stream: Socket } }).connection.stream.localPort!;
  const handlerOf = (clientPort: number) => handlers.get(clientPort)!;

  /** A raw connection that collects what the server sends. */
  async function raw(): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void>; handlerId: () => number }> {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await until(() => handlers.has(socket.localPort!), 'the server to attach a handler');
    return { socket, received: () => Buffer.concat(chunks), closed, handlerId: () => handlerOf(socket.localPort!).handlerId };
  }

  it('hands the queue one whole message at a time, however the bytes arrive, with its own handler id', async () => {
    const c = await raw();
    const id = c.handlerId();
    c.socket.write(Buffer.concat([startup(), query('select 1')])); // two messages in one write
    await until(() => queue.of(id).length >= 2, 'two messages');
    const q = query('select 2');
    c.socket.write(q.subarray(0, 3)); // one message in two writes
    await sleep(50);
    c.socket.write(q.subarray(3));
    await until(() => queue.of(id).length >= 3, 'the split message');
    const batch = [parse('select 3'), bind(), describePortal(), execute(0), sync()];
    c.socket.write(Buffer.concat(batch)); // a pipelined extended-protocol batch
    await until(() => backendMessages(c.received()).filter((m) => m.type === 'Z').length >= 4, 'four ReadyForQuery');

    expect(queue.of(id)).toEqual(['startup', 'Q', 'Q', 'P', 'B', 'D', 'E', 'S']);
    const sent = queue.calls.filter((x) => x.id === id).map((x) => x.bytes!);
    expect(sent).toEqual([startup(), query('select 1'), q, ...batch]);
    expect(types(backendMessages(c.received()))).toEqual(['R', 'K', 'Z:I', 'T', 'D', 'C', 'Z:I', 'T', 'D', 'C', 'Z:I', '1', '2', 'T', 'D', 'C', 'Z:I']);
    const other = await raw();
    expect(other.handlerId()).not.toBe(id);
  });

  it("refuses SSL with a single 'N' and goes on in plain text; pg with ssl gets a clear error", async () => {
    const c = await raw();
    c.socket.write(sslRequest());
    await until(() => c.received().length > 0, 'an answer to SSLRequest');
    expect(c.received().toString('latin1')).toBe('N');
    expect(queue.of(c.handlerId())).toEqual([]); // the SSLRequest never reaches the backend
    c.socket.write(startup());
    await until(() => c.received().length > 1, 'the startup answer');
    expect(queue.of(c.handlerId())).toEqual(['startup']);

    await expect(pgClient({ ssl: { rejectUnauthorized: false } })).rejects.toThrow('The server does not support SSL connections');
  });

  it('drops a cancel request without a word, and the query it aimed at runs to its end', async () => {
    const a = await pgClient();
    const target = a as unknown as { processID: number; secretKey: number };
    expect(target.processID).toEqual(expect.any(Number)); // PGlite sends BackendKeyData
    const running = a.query('select pg_sleep(0.2), 42 as answer');
    const c = await raw();
    c.socket.write(cancelRequest(target.processID, target.secretKey));
    expect((await running).rows[0].answer).toBe(42);
    expect((await a.query('select 1 as still_fine')).rows).toEqual([{ still_fine: 1 }]);
    await sleep(100);
    expect(c.received().length).toBe(0);
    expect(queue.of(c.handlerId())).toEqual([]);
  });

  it('shares one session between connections: a SET on one is seen by the other', async () => {
    const a = await pgClient();
    const b = await pgClient();
    await a.query('set search_path = pin_elsewhere, public');
    expect((await b.query('show search_path')).rows[0].search_path).toBe('pin_elsewhere, public');
    await b.query('reset search_path');
  });

  it('passes Terminate to the queue, then clears the connection from it when the socket closes', async () => {
    const c = await pgClient();
    const id = handlerOf(localPort(c)).handlerId;
    clients.splice(clients.indexOf(c), 1);
    await c.end();
    await until(() => queue.of(id).includes('clearTransactionIfNeeded'), 'the clean-up');
    expect(queue.of(id)).toEqual(['startup', 'X', 'clearQueueForHandler', 'clearTransactionIfNeeded']);
  });

  it('clears a dropped connection from the queue, so that its open transaction can be rolled back', async () => {
    const a = await pgClient();
    const id = handlerOf(localPort(a)).handlerId;
    await a.query('begin');
    await a.query('create table pin_dropped (id int)');
    (a as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
    await until(() => queue.of(id).includes('clearTransactionIfNeeded'), 'the clean-up');
    await queue.idle();
    await until(() => queue.holderId() === null, 'the backend to be free');
    const b = await pgClient();
    expect((await b.query("select to_regclass('pin_dropped') as t")).rows[0].t).toBeNull(); // rolled back
  });

  it('closes the connection when the queue rejects a message, and clears it from the queue', async () => {
    const c = await pgClient();
    const id = handlerOf(localPort(c)).handlerId;
    queue.refuse = (bytes) => bytes.includes(Buffer.from('refuse me'));
    const ended = new Promise<void>((resolve) => c.once('end', () => resolve()));
    await expect(c.query("select 'refuse me'")).rejects.toThrow(/Connection terminated/);
    await ended;
    await until(() => queue.of(id).includes('clearTransactionIfNeeded'), 'the clean-up');
    expect(queue.of(id).slice(-3)).toEqual(['Q', 'clearQueueForHandler', 'clearTransactionIfNeeded']);
  });

  it('detach(true) clears the connection from the queue and closes its socket (releaseBlocker relies on it)', async () => {
    const c = await pgClient();
    const handler = handlerOf(localPort(c));
    const ended = new Promise<void>((resolve) => c.once('end', () => resolve()));
    await handler.detach(true);
    await ended;
    expect(queue.of(handler.handlerId).slice(-2)).toEqual(['clearQueueForHandler', 'clearTransactionIfNeeded']);
  });
});

// ---------------------------------------------------------------------------------------
// Upstream's own server and queue, which the demo replaces: the reasons, measured.

describe(`PGLiteSocketServer, which the demo does not use (${versions})`, () => {
  it('with its default maxConnections (1), closes a second connection without a word', async () => {
    const server = new PGLiteSocketServer({ db, port: 0 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const first = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await first.connect();
      const second = connect({ host: '127.0.0.1', port });
      const received: Buffer[] = [];
      second.on('data', (d) => received.push(d));
      second.on('error', () => {});
      await new Promise((resolve) => second.once('close', resolve));
      expect(Buffer.concat(received).toString()).toBe(''); // no ErrorResponse a client could show
    } finally {
      await first.end().catch(() => {});
      await server.stop();
    }
  });

  it("lets another connection's query destroy an open cursor's portal, and the cursor's next read never answers", async () => {
    const server = new PGLiteSocketServer({ db, port: 0, maxConnections: 4 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const config = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
    const a = new pg.Client(config);
    const b = new pg.Client(config);
    a.on('error', () => {});
    b.on('error', () => {});
    try {
      await a.connect();
      await b.connect();
      const cursor = a.query(new Cursor<{ n: number }>('select n from generate_series(1, 10) as n'));
      expect((await cursor.read(2)).map((r) => r.n)).toEqual([1, 2]);
      expect((await b.query('select 42 as x')).rows).toEqual([{ x: 42 }]); // runs in between
      expect(await stillPending(cursor.read(2), 1000)).toBe(true); // hangs (for ever, with no timeout)
    } finally {
      (a as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
      await b.end().catch(() => {});
      await server.stop();
    }
    expect((await db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
