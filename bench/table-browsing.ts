/**
 * Table browsing as a user sees it: Cabinet in browser mode, driven in Debian's Chromium with playwright-core,
 * on a table of 5,000,000 rows in PostgreSQL and in MariaDB (and a 200,000 × 50 table on PostgreSQL for
 * scrolling), against the raw driver running the SQL the grid ran. Issue 7, "Speed and memory".
 *
 *   npx tsx bench/table-browsing.ts
 *   BENCH_ENGINES=postgres BENCH_GRID_ROWS=1000000 BENCH_ROUNDS=3 npx tsx bench/table-browsing.ts
 *
 * Other knobs: BENCH_GRID_WIDE_ROWS (200000), BENCH_SCROLL_PX (pixels per animation frame, 1200 = 50 rows),
 * BENCH_SCROLL_MAX_S (180: the steady scroll stops there if it has not reached the end), BENCH_NO_RENDERER_BUILD=1
 * (use dist/renderer as it is, e.g. when the bench runner built it already).
 *
 * What it does:
 * 1. Builds the renderer (`vite build`) while it builds the tables in throwaway databases (tables.ts);
 * 2. per engine, starts Cabinet as a user does (`scripts/start.mjs --web --no-build`, fresh data folder), opens
 *    the page, connects through the New connection form with the database's URL, and then, ROUNDS times, on a
 *    freshly opened tab: double-click `events` in the tree → first row painted; scrollbar thumb to 50% →
 *    the rows in view painted; click a cell and Ctrl+End → the last row painted; click the `created_at`
 *    header (server sort on the indexed column) → the first row of the new order painted;
 * 3. on PostgreSQL, opens `wide` and scrolls it to the end at a steady pace, recording requestAnimationFrame
 *    deltas, then reads the renderer's JS heap (CDP Performance.getMetrics, before and after a forced GC);
 * 4. after each timed action, runs the statements the core ran for it (read off the page's WebSocket: the
 *    answers of `browse/rows` carry them; `browse/open` and `browse/query` add the catalog reads, recorded
 *    once through the core's own readers) with `pg` / `mysql2` directly, rows as arrays, one after the other;
 * 5. prints one line per figure and engine: the median (min–max) of the rounds, the raw driver's median, the
 *    ratio, and the issue's goal with met / NOT met; then drops every database it made, also on failure.
 *
 * Times are taken in the page (page-probe.ts): from the input event's time stamp to the end of the first
 * frame that shows the rows. Playwright's own round trips are outside the measured span.
 */
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Engine } from '../shared/profiles.ts';
import { startCabinetProcess } from '../tests/support/cabinet-process.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../tests/support/databases.ts';
import { buildRenderer, launchChromium, loadAverage, message, seconds, sleep } from './browser-bench.ts';
import { PageProbe, type Shown } from './table-browsing/page-probe.ts';
import { rawDriver, recordCatalogStatements, type CatalogStatements, type RawDriver } from './table-browsing/raw-driver.ts';
import { count, mb, median, ms, percentile } from './stats.ts';
import { buildMysqlEvents, buildPostgresEvents, buildPostgresWide, WIDE_COLUMNS } from './table-browsing/tables.ts';
import { statementsOf, Wire, type RanStatements } from './table-browsing/wire.ts';

const ROWS = Number(process.env.BENCH_GRID_ROWS ?? 5_000_000);
const WIDE_ROWS = Number(process.env.BENCH_GRID_WIDE_ROWS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCROLL_PX = Number(process.env.BENCH_SCROLL_PX ?? 1200);
const SCROLL_MAX_MS = Number(process.env.BENCH_SCROLL_MAX_S ?? 180) * 1000;
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,mysql').split(',').map((e) => e.trim()) as Engine[];
const VIEWPORT = { width: 1400, height: 860 };
const ENGINE_NAMES: Record<Engine, string> = { postgres: 'PostgreSQL', mysql: 'MariaDB' };

/** One line of the final table. `values` are per-round UI times (ms) or one measured value; `raw` per-round raw-driver times. */
interface Line {
  engine: Engine;
  what: string;
  goal: { limit: number; unit: 'ms' | 'MB'; text: string };
  values: number[];
  raw: number[];
  /** Shown instead of median (min–max), for figures that are not rounds of one action. */
  shown?: string;
  /** The value judged against the goal, when not the median of `values`. */
  judged?: number;
  errors: string[];
  notes: string[];
}


export async function runTableBrowsingBench(): Promise<void> {
  const started = performance.now();
  const loads = [`start ${loadAverage()}`];
  console.log(`Table browsing in Chromium (browser mode): ${count(ROWS)} rows, ${ROUNDS} rounds, engines ${ENGINES.join(', ')}; load average ${loadAverage()}`);
  const databases: TestDatabase[] = [];
  const lines: Line[] = [];
  const failures: string[] = [];
  let browser: Browser | null = null;
  try {
    // 1. The renderer and the tables, side by side (the machine has two cores; the servers do the work).
    const pgDb = ENGINES.includes('postgres') ? await createPostgresDatabase('cabinet_bench_grid') : null;
    if (pgDb) databases.push(pgDb);
    const myDb = ENGINES.includes('mysql') ? await createMysqlDatabase('cabinet_bench_grid') : null;
    if (myDb) databases.push(myDb);
    const timed = async (what: string, work: () => Promise<unknown>) => {
      const since = performance.now();
      await work();
      console.log(`  ${what}: ${seconds(since)}`);
    };
    console.log('Building the renderer and the tables…');
    const builds = await Promise.allSettled([
      timed('renderer (vite build)', buildRenderer),
      ...(pgDb ? [timed(`PostgreSQL events (${count(ROWS)} rows)`, () => buildPostgresEvents(pgDb, ROWS))] : []),
      ...(pgDb ? [timed(`PostgreSQL wide (${count(WIDE_ROWS)} rows × ${WIDE_COLUMNS} columns)`, () => buildPostgresWide(pgDb, WIDE_ROWS))] : []),
      ...(myDb ? [timed(`MariaDB events (${count(ROWS)} rows)`, () => buildMysqlEvents(myDb, ROWS))] : []),
    ]);
    const buildErrors = builds.flatMap((b) => (b.status === 'rejected' ? [message(b.reason)] : []));
    if (buildErrors.length > 0) throw new Error(`building failed: ${buildErrors.join('; ')}`);
    loads.push(`after building ${loadAverage()}`);

    // 2.–4. Each engine in its own Cabinet process and browser context.
    browser = await launchChromium();
    for (const db of databases) {
      const engine = db.params.engine;
      console.log(`\n${ENGINE_NAMES[engine]}: measuring (load average ${loadAverage()})…`);
      try {
        await measureEngine(browser, db, lines);
      } catch (error) {
        failures.push(`${ENGINE_NAMES[engine]}: ${message(error)}`);
        console.error(`${ENGINE_NAMES[engine]} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      loads.push(`after ${ENGINE_NAMES[engine]} ${loadAverage()}`);
    }
  } catch (error) {
    failures.push(message(error));
    console.error(`The bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    for (const db of databases) {
      await db.drop().catch((error: unknown) => {
        failures.push(`dropping ${db.name}: ${message(error)}`);
      });
    }
    if (databases.length > 0) console.log(`\nDropped ${databases.map((d) => d.name).join(', ')}.`);
  }
  printTable(lines, failures, loads, seconds(started));
  if (failures.length > 0 || lines.some((l) => l.errors.length > 0)) process.exitCode = 1;
}


/** The figures of one engine, in one Cabinet process. */
async function measureEngine(browser: Browser, db: TestDatabase, lines: Line[]): Promise<void> {
  const engine = db.params.engine;
  const line = (what: string, goal: Line['goal']): Line => {
    const made: Line = { engine, what, goal, values: [], raw: [], errors: [], notes: [] };
    lines.push(made);
    return made;
  };
  const msGoal = (limit: number) => ({ limit, unit: 'ms' as const, text: `≤ ${limit} ms` });
  const open = line('double-click in the tree → first row painted', msGoal(100));
  const middle = line('scrollbar to 50% → rows painted', msGoal(500));
  const end = line('Ctrl+End → last row painted', msGoal(300));
  const sort = line('sort on created_at (indexed) → rows painted', msGoal(300));

  const cabinet = await startCabinetProcess({ args: ['scripts/start.mjs', '--web', '--no-build'] });
  let context: BrowserContext | null = null;
  const raw = await rawDriver(db);
  try {
    context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const wire = new Wire(page);
    const probe = new PageProbe(page);
    await page.goto(cabinet.url);
    await page.getByRole('button', { name: 'New connection', exact: true }).waitFor();
    await probe.install();
    await connectWithUrl(page, db.url, `Bench ${ENGINE_NAMES[engine]}`);

    const grid = 'Rows of events';
    const table = page.getByRole('tree').getByRole('treeitem', { name: 'events', exact: true });
    await table.waitFor();

    // Warm-up (untimed): open once, find the column positions and the tree path, record the catalog reads.
    const warmFrom = Date.now();
    await table.dblclick();
    const gridLocator = page.getByRole('grid', { name: grid, exact: true });
    await gridLocator.getByRole('columnheader', { name: 'id', exact: true }).waitFor();
    const idColumn = await gridLocator.getByRole('columnheader', { name: 'id', exact: true }).getAttribute('aria-colindex');
    await wire.settle();
    const opened = wire.between(warmFrom, Date.now()).find((c) => c.method === 'browse/open');
    const path = (opened?.input as { path?: string[] } | undefined)?.path;
    if (!path) throw new Error('the page sent no browse/open for events');
    const catalog = await recordCatalogStatements(db, path);
    const sortedFirst = await raw.value('select id from events order by created_at, id limit 1');
    const estimate = await probe.rowCount(grid);
    console.log(`  the grid's scrollbar covers ${count(estimate)} rows (the table has ${count(ROWS)}); first id by created_at: ${sortedFirst}`);

    /** One timed action: the UI time, then the raw driver on the statements the page made the core run. */
    const measure = async (target: Line, action: () => Promise<Shown>, check?: (shown: Shown) => string | null): Promise<boolean> => {
      const from = Date.now();
      try {
        const shown = await action();
        const to = Date.now();
        await wire.settle();
        const ran = statementsOf(wire.between(from, to), catalog);
        if (ran.failures.length > 0) throw new Error(ran.failures.join('; '));
        target.values.push(shown.ms);
        target.raw.push(await raw.run(ran.statements));
        noteStatements(target, ran);
        const problem = check?.(shown);
        if (problem) target.notes.push(problem);
        return true;
      } catch (error) {
        target.errors.push(message(error));
        console.error(`  ${target.what}: ${message(error)}`);
        return false;
      }
    };

    for (let round = 1; round <= ROUNDS; round++) {
      await closeTabs(page, wire);
      const opened = await measure(open, () =>
        probe.timeInput({ type: 'dblclick' }, { kind: 'firstRow', grid, colindex: idColumn }, () => table.dblclick()),
      );
      if (!opened) continue;
      const total = await probe.rowCount(grid);
      await measure(
        middle,
        () => probe.scrollTo(grid, 0.5, { kind: 'visibleRows', grid, minRow: Math.floor(total * 0.45), colindex: idColumn }),
        (shown) => (Math.abs(shown.row - total / 2) > total * 0.01 ? `50% showed row ${count(shown.row)} of ${count(total)}` : null),
      );
      // Focus a cell (the third row in view), as a person clicks one before pressing keys.
      const box = await gridLocator.boundingBox();
      if (!box) throw new Error('the grid is not on screen');
      await page.mouse.click(box.x + 160, box.y + 30 + 24 * 2.5);
      await measure(
        end,
        () => probe.timeInput({ type: 'keydown', key: 'End' }, { kind: 'lastRow', grid, colindex: idColumn }, () => page.keyboard.press('Control+End')),
        (shown) => (shown.text !== String(ROWS) ? `the last row shown has id ${shown.text}, not ${ROWS}` : null),
      );
      const header = gridLocator.getByRole('columnheader', { name: 'created_at', exact: true });
      await measure(sort, () =>
        probe.timeInput({ type: 'pointerup' }, { kind: 'cellIs', grid, row: 1, colindex: idColumn ?? '1', text: sortedFirst }, () => header.click()),
      );
      process.stdout.write(`  round ${round}: ${[open, middle, end, sort].map((l) => ms(l.values.at(-1) ?? Number.NaN)).join(', ')}\n`);
    }
    if (open.values.length === 0 && open.errors.length > 0) throw new Error(`the table never opened: ${open.errors[0]}`);

    if (engine === 'postgres') await measureScroll(page, context, probe, wire, raw, catalog, lines);
  } finally {
    await context?.close().catch(() => undefined);
    await raw.close().catch(() => undefined);
    await cabinet.stop();
  }
}

/** PostgreSQL's `wide`: a steady scroll to the end, frame times, then the renderer's JS heap. */
async function measureScroll(page: Page, context: BrowserContext, probe: PageProbe, wire: Wire, raw: RawDriver, catalog: CatalogStatements, lines: Line[]): Promise<void> {
  const frames: Line = {
    engine: 'postgres',
    what: `steady scroll ${count(WIDE_ROWS)} rows × ${WIDE_COLUMNS} cols: frame p95`,
    goal: { limit: 20, unit: 'ms', text: '≤ 20 ms (p95)' },
    values: [],
    raw: [],
    errors: [],
    notes: [],
  };
  const heap: Line = {
    engine: 'postgres',
    what: 'renderer JS heap after the scroll',
    goal: { limit: 300, unit: 'MB', text: '≤ 300 MB' },
    values: [],
    raw: [],
    errors: [],
    notes: [],
  };
  lines.push(frames, heap);
  try {
    await closeTabs(page, wire);
    const grid = 'Rows of wide';
    await probe.timeInput({ type: 'dblclick' }, { kind: 'firstRow', grid }, () =>
      page.getByRole('tree').getByRole('treeitem', { name: 'wide', exact: true }).dblclick(),
    );
    await wire.settle();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapUsed = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    };
    const before = await heapUsed();
    const from = Date.now();
    const run = await probe.steadyScroll(grid, SCROLL_PX, SCROLL_MAX_MS);
    const to = Date.now();
    const p50 = percentile(run.deltas, 50);
    const p95 = percentile(run.deltas, 95);
    frames.values.push(p95);
    frames.judged = p95;
    frames.shown = `${ms(p95)} (p50 ${ms(p50)}, p99 ${ms(percentile(run.deltas, 99))}, max ${ms(Math.max(...run.deltas))})`;
    const reached = run.scrollTop >= run.maxScrollTop - 1;
    frames.notes.push(
      `${count(run.deltas.length)} frame intervals counted in ${(run.ms / 1000).toFixed(1)} s at ${SCROLL_PX} px/frame (${(SCROLL_PX / 24).toFixed(0)} rows/frame); ` +
        `${reached ? 'reached the end' : `stopped at ${((100 * run.scrollTop) / run.maxScrollTop).toFixed(0)}%`} (row ${count(run.lastRow)}); ` +
        `rows in view still placeholders in ${run.blankSamples} of ${run.samples} sampled frames`,
    );
    await wire.settle();
    const ran = statementsOf(wire.between(from, to), catalog);
    const rawMs = await raw.run(ran.statements);
    frames.notes.push(`the grid read ${ran.windows} windows (${count(ran.rows)} rows) while scrolling; the raw driver runs those statements in ${ms(rawMs)}`);
    if (ran.failures.length > 0) frames.errors.push(...ran.failures);

    await sleep(500);
    const after = await heapUsed();
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const collected = await heapUsed();
    // Judged on what the heap held after the scroll, garbage included; after a forced GC shown beside it.
    heap.values.push(after / 1024 / 1024);
    heap.judged = after / 1024 / 1024;
    heap.shown = `${mb(after)} (after GC ${mb(collected)}; before the scroll ${mb(before)})`;
    await cdp.detach();
  } catch (error) {
    frames.errors.push(message(error));
    console.error(`  steady scroll: ${message(error)}`);
  }
}

function noteStatements(target: Line, ran: RanStatements): void {
  const note = `${ran.windows} window(s), ${ran.statements.length} statement(s): ${ran.shown.join(' | ').slice(0, 300)}`;
  // The statements of the last round stand for all: keep one note of this kind.
  const index = target.notes.findIndex((n) => /^\d+ window\(s\)/.test(n));
  if (index >= 0) target.notes[index] = note;
  else target.notes.push(note);
}

async function connectWithUrl(page: Page, url: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New connection', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Connection URL', { exact: true }).fill(url);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Closes every open tab (each closes its browse view in the core), and waits until the page is quiet. */
async function closeTabs(page: Page, wire: Wire): Promise<void> {
  const tabs = page.getByRole('tablist', { name: 'Open tabs' }).getByRole('tab');
  while ((await tabs.count()) > 0) await tabs.first().getByRole('button', { name: /^Close / }).click();
  await page.getByRole('grid').first().waitFor({ state: 'detached' });
  await wire.settle();
  await sleep(300);
}

function printTable(lines: readonly Line[], failures: readonly string[], loads: readonly string[], took: string): void {
  console.log(`\nTable browsing: ${count(ROWS)} rows, median of ${ROUNDS} rounds (min–max); took ${took}`);
  console.log('raw driver = pg / mysql2 (defaults, rows as arrays) running the SQL the grid ran, one statement after the other on one connection (the grid may read two windows at once); ratio = Cabinet / raw');
  console.log(`load average (1/5/15 min): ${loads.join('; ')}`);
  const header = ['engine', 'figure', 'Cabinet (UI)', 'raw driver', 'ratio', 'goal', ''];
  const rows = lines.map((l) => {
    const value = l.judged ?? median(l.values);
    const raw = median(l.raw);
    const shown = l.shown ?? (l.values.length ? `${ms(median(l.values))} (${ms(Math.min(...l.values))}–${ms(Math.max(...l.values))})` : '-');
    const verdict = Number.isNaN(value) ? 'not measured' : value <= l.goal.limit ? 'met' : 'NOT met';
    return [ENGINE_NAMES[l.engine], l.what, shown, ms(raw), Number.isNaN(raw) || l.shown ? '-' : (median(l.values) / raw).toFixed(1), l.goal.text, verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(format(row));
  const notes = lines.filter((l) => l.notes.length > 0 || l.errors.length > 0);
  if (notes.length > 0) console.log('\nNotes (SQL of the last round, checks, errors):');
  for (const l of notes) {
    for (const n of l.notes) console.log(`  ${ENGINE_NAMES[l.engine]}, ${l.what}: ${n}`);
    for (const e of l.errors) console.log(`  ${ENGINE_NAMES[l.engine]}, ${l.what}: ERROR ${e}`);
  }
  for (const f of failures) console.log(`FAILED: ${f}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await runTableBrowsingBench();
