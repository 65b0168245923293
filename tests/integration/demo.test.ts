// The embedded demo database (PGlite on a loopback socket), reached through the real pg driver.
// Each test gets its own temp data folder; after the first test seeds one, the others start
// from a copy of it, so that the suite does not pay the first-run seeding every time.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_NOT_BUSY_MESSAGE,
  startDemoDatabase,
  type DemoBusyDetail,
  type DemoDatabase,
  type StartDemoOptions,
} from '../../electron/core/demo/demo-database.ts';

const REPO = join(import.meta.dirname, '..', '..');
const root = await mkdtemp(join(tmpdir(), 'cabinet-demo-test-'));
let seededTemplate: string | undefined; // a data folder seeded by the first test
const running: DemoDatabase[] = [];
const clients: pg.Client[] = [];
let dirCount = 0;

async function freshDir(seeded: boolean): Promise<string> {
  const dir = join(root, `data-${++dirCount}`);
  if (seeded && seededTemplate) await cp(seededTemplate, dir, { recursive: true });
  else await mkdir(dir, { recursive: true });
  return dir;
}

async function start(opts: StartDemoOptions): Promise<DemoDatabase> {
  const demo = await startDemoDatabase(opts);
  running.push(demo);
  return demo;
}

async function client(demo: DemoDatabase, config: pg.ClientConfig = {}): Promise<pg.Client> {
  const c = new pg.Client({ host: demo.host, port: demo.port, user: demo.user, database: demo.database, ...config });
  c.on('error', () => {}); // a test that drops a connection checks the outcome itself
  await c.connect();
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a promise is still pending after the current turn. */
async function pending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([p.then(() => 'done', () => 'failed'), sleep(20).then(() => marker)])) === marker;
}

function busyRecorder() {
  const events: { busy: boolean; message: string; detail: DemoBusyDetail; at: number }[] = [];
  const onBusy = (busy: boolean, message: string, detail: DemoBusyDetail) =>
    events.push({ busy, message, detail, at: performance.now() });
  return { events, onBusy };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('demo database', () => {
  it('seeds Chinook on first start, and reuses the data on the next start', async () => {
    const dataDir = await freshDir(false);
    const lines: string[] = [];
    const first = await start({ dataDir, log: (l) => lines.push(l) });
    expect(first.seededNow).toBe(true);
    expect(first.host).toBe('127.0.0.1');

    const c = await client(first);
    const counts = await c.query(`
      select (select count(*) from artist) as artist, (select count(*) from album) as album,
             (select count(*) from track) as track, (select count(*) from invoice) as invoice,
             (select count(*) from invoice_line) as invoice_line, (select count(*) from customer) as customer,
             (select count(*) from employee) as employee, (select count(*) from playlist_track) as playlist_track`);
    expect(counts.rows[0]).toEqual({
      artist: '275', album: '347', track: '3503', invoice: '412',
      invoice_line: '2240', customer: '59', employee: '8', playlist_track: '8715',
    });
    // Non-ASCII text arrives intact (the fixture is UTF-8).
    const jobim = await c.query('select name from artist where artist_id = 6');
    expect(jobim.rows[0].name).toBe('Antônio Carlos Jobim');
    // Foreign keys came along with the data.
    await expect(c.query('insert into album values (9999, $1, 424242)', ['no such artist'])).rejects.toMatchObject({
      code: '23503',
    });
    await c.query("insert into artist (artist_id, name) values (9001, 'Kept between runs')");
    await c.end();
    clients.length = 0;
    await first.stop();
    running.length = 0;
    await cp(dataDir, join(root, 'template'), { recursive: true });

    const second = await start({ dataDir, log: (l) => lines.push(l) });
    expect(second.seededNow).toBe(false);
    const c2 = await client(second);
    expect((await c2.query('select name from artist where artist_id = 9001')).rows).toEqual([{ name: 'Kept between runs' }]);
    expect((await c2.query('select count(*) from artist')).rows[0].count).toBe('276');
    console.log(lines.join('\n'));

    // Later tests start from a seeded copy, minus the extra artist.
    await c2.query('delete from artist where artist_id = 9001');
    await c2.end();
    clients.length = 0;
    await second.stop();
    running.length = 0;
    await rm(join(root, 'template'), { recursive: true, force: true });
    await cp(dataDir, join(root, 'template'), { recursive: true });
    seededTemplate = join(root, 'template');
  });

  it('reseeds cleanly when a first run died before the seed was marked done', async () => {
    const dataDir = await freshDir(false);
    // What a crash mid-seed leaves: a data directory without the seed marker.
    await mkdir(join(dataDir, 'demo-pgdata', 'base'), { recursive: true });
    await writeFile(join(dataDir, 'demo-pgdata', 'PG_VERSION'), 'half-written\n');
    const demo = await start({ dataDir });
    expect(demo.seededNow).toBe(true);
    const c = await client(demo);
    expect((await c.query('select count(*) from artist')).rows[0].count).toBe('275');
  });

  it('returns numeric values as the exact text the server sent', async () => {
    const demo = await start({ dataDir: await freshDir(true) });
    const asText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
    const c = await client(demo, { types: asText });
    const invoice = await c.query('select total, invoice_date from invoice where invoice_id = 1');
    expect(invoice.rows[0]).toEqual({ total: '1.98', invoice_date: '2021-01-01 00:00:00' });
    const track = await c.query('select unit_price, milliseconds from track where track_id = 1');
    expect(track.rows[0]).toEqual({ unit_price: '0.99', milliseconds: '343719' });
    const sum = await c.query('select sum(total) as s from invoice');
    expect(sum.rows[0].s).toBe('2328.60');
    const big = await c.query("select '12345678901234567890.123456789'::numeric as n, 9007199254740993::int8 as b");
    expect(big.rows[0]).toEqual({ n: '12345678901234567890.123456789', b: '9007199254740993' });
  });

  it("makes a second connection wait for another's open transaction, and says so", async () => {
    const { events, onBusy } = busyRecorder();
    const demo = await start({ dataDir: await freshDir(true), onBusy }); // default: busy after 1 s
    const a = await client(demo);
    const b = await client(demo);
    await a.query('begin');
    await a.query("insert into artist (artist_id, name) values (9100, 'Uncommitted')");

    const bQuery = b.query('select count(*) from artist');
    await until(() => events.length > 0);
    expect(await pending(bQuery)).toBe(true); // B waits: no error, no answer yet
    expect(events[0]).toMatchObject({
      busy: true,
      message:
        'The demo database is waiting: another connection has an open transaction (COMMIT or ROLLBACK it to continue).',
      detail: {
        reason: 'transaction',
        holderPort: (a as unknown as { connection: { stream: { localPort: number } } }).connection.stream.localPort,
        waitingPorts: [(b as unknown as { connection: { stream: { localPort: number } } }).connection.stream.localPort],
      },
    });
    expect(demo.status()).toMatchObject({ connections: 2, waiting: 1, holder: { reason: 'transaction' } });

    // A keeps working inside its transaction meanwhile; B never sees its uncommitted row.
    expect((await a.query('select count(*) from artist')).rows[0].count).toBe('276');
    expect(await pending(bQuery)).toBe(true);

    await a.query('commit');
    expect((await bQuery).rows[0].count).toBe('276'); // after A's commit, so A's row counts
    await until(() => events.length > 1);
    expect(events[1]).toMatchObject({ busy: false, message: DEMO_NOT_BUSY_MESSAGE });
    expect(demo.status()).toMatchObject({ waiting: 0, holder: null });
  });

  it('lets a new connection wait too, and releases everyone when the holder is told to go', async () => {
    const { events, onBusy } = busyRecorder();
    const demo = await start({ dataDir: await freshDir(true), onBusy, busyAfterMs: 300 });
    const a = await client(demo);
    await a.query('begin');
    await a.query('delete from invoice_line');
    const cConnecting = client(demo); // even the startup waits for A's transaction
    await until(() => events.some((e) => e.busy));
    expect(await pending(cConnecting)).toBe(true);
    expect(await demo.releaseBlocker()).toBe(true);
    const c = await cConnecting;
    expect((await c.query('select count(*) from invoice_line')).rows[0].count).toBe('2240'); // rolled back
    expect(await demo.releaseBlocker()).toBe(false);
    await expect(a.query('select 1')).rejects.toThrow();
  });

  it('releases the backend when a client disconnects mid-transaction', async () => {
    const demo = await start({ dataDir: await freshDir(true) });
    const b = await client(demo);

    // Clean disconnect (Terminate, then close) with a transaction open, while B waits.
    const a = await client(demo);
    await a.query('begin');
    await a.query("update track set name = 'uncommitted' where track_id > 100");
    const bWaiting = b.query("select count(*) from track where name = 'uncommitted'");
    await sleep(100);
    expect(await pending(bWaiting)).toBe(true);
    await a.end();
    expect((await bWaiting).rows[0].count).toBe('0');

    // Dropped socket, no Terminate.
    const d = await client(demo);
    await d.query('begin');
    await d.query('update artist set name = null');
    (d as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const r = await b.query('select count(name) from artist');
    expect(r.rows[0].count).toBe('275');
    expect(demo.status()).toMatchObject({ connections: 1, holder: null });
  });

  it('keeps an open cursor whole while another connection queries', async () => {
    const { events, onBusy } = busyRecorder();
    const demo = await start({ dataDir: await freshDir(true), onBusy, busyAfterMs: 300 });
    const a = await client(demo);
    const b = await client(demo);
    const cursor = a.query(new Cursor('select track_id from track order by track_id'));
    const read = (n: number) =>
      new Promise<{ track_id: number }[]>((resolve, reject) =>
        cursor.read(n, (err, rows) => (err ? reject(err) : resolve(rows as { track_id: number }[]))),
      );
    expect((await read(3)).map((r) => r.track_id)).toEqual([1, 2, 3]);
    const bQuery = b.query('select 42 as answer');
    await until(() => events.some((e) => e.busy));
    expect(events[0].detail.reason).toBe('unfinished-query');
    expect((await read(3)).map((r) => r.track_id)).toEqual([4, 5, 6]);
    await new Promise<void>((resolve) => cursor.close(() => resolve()));
    expect((await bQuery).rows).toEqual([{ answer: 42 }]);
  });

  it('refuses connections over the limit with a PostgreSQL error', async () => {
    const demo = await start({ dataDir: await freshDir(true), maxConnections: 2 });
    await client(demo);
    await client(demo);
    await expect(client(demo)).rejects.toMatchObject({ code: '53300' });
  });

  it('listens on 127.0.0.1 only', async () => {
    const demo = await start({ dataDir: await freshDir(true) });
    expect(demo.host).toBe('127.0.0.1');
    const tryConnect = (host: string) =>
      new Promise<'connected' | string>((resolve) => {
        const s = connect({ host, port: demo.port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    expect(await tryConnect('::1')).not.toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal)
      .map((i) => i!.address);
    for (const address of others) expect(await tryConnect(address), address).not.toBe('connected');
  });

  it('starts clean after the app was killed mid-transaction', async () => {
    const dataDir = await freshDir(true);
    const script = `
      import pg from 'pg';
      import { startDemoDatabase } from './electron/core/demo/demo-database.ts';
      const demo = await startDemoDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      const c = new pg.Client({ host: demo.host, port: demo.port, user: demo.user, database: demo.database });
      await c.connect();
      await c.query('begin');
      await c.query('delete from playlist_track');
      await c.query("insert into genre (genre_id, name) values (9200, 'uncommitted at the kill')");
      console.log('READY');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const demo = await start({ dataDir });
    expect(demo.seededNow).toBe(false); // its lock was stale: taken over
    const c = await client(demo);
    expect((await c.query('select count(*) from playlist_track')).rows[0].count).toBe('8715');
    expect((await c.query('select count(*) from genre where genre_id = 9200')).rows[0].count).toBe('0');
    await c.query('begin');
    await c.query('commit');
  });

  it('refuses a second open of the same data folder, and stop() ends open transactions', async () => {
    const dataDir = await freshDir(true);
    const demo = await start({ dataDir });
    await expect(startDemoDatabase({ dataDir })).rejects.toThrow(/already open/);
    const a = await client(demo);
    await a.query('begin');
    await a.query('delete from customer where customer_id > 10 and customer_id not in (select customer_id from invoice)');
    await a.query('truncate invoice_line');
    await demo.stop();
    await demo.stop(); // idempotent
    running.length = 0;
    clients.length = 0;
    const again = await start({ dataDir });
    const c = await client(again);
    expect((await c.query('select count(*) from invoice_line')).rows[0].count).toBe('2240');
  });
});
