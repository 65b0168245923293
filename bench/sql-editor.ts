/**
 * The SQL editor as a user sees it (issue 8, "Speed and memory"): Cabinet in browser mode, driven in Debian's
 * Chromium with playwright-core, on the 5,000,000-row `events` table of the table-browsing bench, in
 * PostgreSQL and in MariaDB, against the raw drivers on the same SQL. The CSV export has its own bench
 * (export.ts), and so has browsing a table (table-browsing.ts).
 *
 *   npx tsx bench/sql-editor.ts
 *   BENCH_ENGINES=postgres BENCH_SQL_ROWS=1000000 BENCH_ROUNDS=3 npx tsx bench/sql-editor.ts
 *
 * Other knobs: BENCH_SCROLL_ROWS (200000), BENCH_SCROLL_RATE (rows per second of the steady scroll, 2500),
 * BENCH_SCROLL_MAX_S (120), BENCH_CANCEL_ROUNDS (3), BENCH_SCRIPT_MB (5), BENCH_NO_EDITOR=1 (skip the 5 MB
 * script in the editor), BENCH_NO_RENDERER_BUILD=1 (use dist/renderer as it is).
 *
 * What it measures, each printed with the issue's goal and met / NOT met:
 * 1. `SELECT * FROM events` typed in a query tab's Monaco editor, Ctrl+Enter → the first row of the result
 *    grid painted (≤ 300 ms). Raw driver: `pg` reading the first 500 rows through pg-cursor / `mysql2`
 *    streaming the first 500 rows, on a connection already open (as the tab's session is after its first run).
 *    Before each timed round the previous result is stopped with its Stop button (a person re-running a
 *    query does the same on MariaDB, where a result still being read keeps the session busy).
 * 2. A steady scroll of that result grid through 200,000 rows, sampling the core process's RSS (the
 *    browser-mode server, the child of `scripts/start.mjs`) and the page's JS heap (CDP
 *    Performance.getMetrics JSHeapUsedSize) every 250 ms: the peak of their sum (< 400 MB), and how far the
 *    grid let the scroll go.
 * 3. `select pg_sleep(60)` / `select sleep(60)` running (seen in pg_stat_activity / the process list), the
 *    Cancel button clicked → the toolbar's "Running…" status gone (≤ 1 s); and, from an admin connection
 *    polling every few ms, when the statement left the server's list. Raw driver: pg_cancel_backend /
 *    KILL QUERY from a second connection, until the sleeping call returns.
 * 4. `splitStatements` (shared/sql-split.ts) on a generated 5 MB PostgreSQL script and a 5 MB MySQL script
 *    (DELIMITER blocks), median of 5 (≤ 200 ms), checked against the statement count the generator knows;
 *    once bundled by esbuild as the renderer ships it (the editor splits in the page), once as tsx loads it
 *    (with keepNames, as browser mode's core runs it).
 * 5. PostgreSQL only: the 5 MB PostgreSQL script as a saved query (a .sql file the bench writes into the
 *    data folder's `queries/` before Cabinet starts), opened from the sidebar's "Saved queries" list → its
 *    first line shown; Ctrl+End → its last line shown; one typed key → painted (5 keys, median).
 *
 * UI times are taken in the page (sql-editor/probe.ts): from the input event's time stamp to the end of the
 * first frame that shows the awaited state. Tables are built in throwaway databases and dropped at the end,
 * also on failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import type { Engine } from '../shared/profiles.ts';
import { startCabinetProcess } from '../tests/support/cabinet-process.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../tests/support/databases.ts';
import { buildRenderer, launchChromium, loadAverage, message, seconds, sleep } from './browser-bench.ts';
import { count, mb, median, ms } from './stats.ts';
import { buildMysqlEvents, buildPostgresEvents } from './table-browsing/tables.ts';
import { corePid, describeProcess, rssBytes, settledRss } from './sql-editor/processes.ts';
import { Probe } from './sql-editor/probe.ts';
import { RowReads } from './sql-editor/row-reads.ts';
import { openAdmin, rawCancel, rawFirstRows, sleepSql, waitForSleeping } from './sql-editor/raw.ts';
import { bundledSplitter, FIRST_LINE_MARKER, LAST_LINE_MARKER, makeScript, timeSplit, tsxSplitter, type Splitter } from './sql-editor/scripts.ts';

const ROWS = Number(process.env.BENCH_SQL_ROWS ?? 5_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCROLL_ROWS = Number(process.env.BENCH_SCROLL_ROWS ?? 200_000);
const SCROLL_RATE = Number(process.env.BENCH_SCROLL_RATE ?? 2500);
const SCROLL_MAX_MS = Number(process.env.BENCH_SCROLL_MAX_S ?? 120) * 1000;
/** The scroll ends early when the grid's scroll range has not grown for this long. */
const SCROLL_STALL_MS = 5000;
const CANCEL_ROUNDS = Number(process.env.BENCH_CANCEL_ROUNDS ?? 3);
const SPLIT_ROUNDS = 5;
const SCRIPT_BYTES = Number(process.env.BENCH_SCRIPT_MB ?? 5) * 1024 * 1024;
const KEYPRESSES = 5;
const EDITOR = process.env.BENCH_NO_EDITOR !== '1';
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,mysql').split(',').map((e) => e.trim()) as Engine[];
const VIEWPORT = { width: 1400, height: 900 };
const ENGINE_NAMES: Record<Engine, string> = { postgres: 'PostgreSQL', mysql: 'MariaDB' };
const QUERY = 'SELECT * FROM events';
const RESULT_GRID = 'Rows of Result 1';
const SAVED_SCRIPT = 'bench-5mb-script';

interface Goal {
  text: string;
  met(value: number): boolean;
}
const atMost = (limit: number, unit: string): Goal => ({ text: `≤ ${limit} ${unit}`, met: (v) => v <= limit });
const under = (limit: number, unit: string): Goal => ({ text: `< ${limit} ${unit}`, met: (v) => v < limit });
const atLeast = (limit: number, unit: string): Goal => ({ text: `≥ ${count(limit)} ${unit}`, met: (v) => v >= limit });

/** One line of the final table: `values` are per-round times (ms) unless `shown` says otherwise. */
interface Line {
  engine: string;
  what: string;
  goal: Goal;
  values: number[];
  raw: number[];
  /** Shown instead of median (min–max), for figures that are not rounds of one action. */
  shown?: string;
  /** The value judged against the goal, when not the median of `values`. */
  judged?: number;
  errors: string[];
  notes: string[];
}


export async function runSqlEditorBench(): Promise<void> {
  const started = performance.now();
  const loads = [`start ${loadAverage()}`];
  console.log(`SQL editor in Chromium (browser mode): ${count(ROWS)} rows, ${ROUNDS} rounds, engines ${ENGINES.join(', ')}; load average ${loadAverage()}`);
  const lines: Line[] = [];
  const failures: string[] = [];
  const databases: TestDatabase[] = [];
  let browser: Browser | null = null;
  try {
    // Splitting first, while this bench runs nothing else.
    await measureSplit(lines);

    const pgDb = ENGINES.includes('postgres') ? await createPostgresDatabase('cabinet_bench_sql') : null;
    if (pgDb) databases.push(pgDb);
    const myDb = ENGINES.includes('mysql') ? await createMysqlDatabase('cabinet_bench_sql') : null;
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
      ...(myDb ? [timed(`MariaDB events (${count(ROWS)} rows)`, () => buildMysqlEvents(myDb, ROWS))] : []),
    ]);
    const buildErrors = builds.flatMap((b) => (b.status === 'rejected' ? [message(b.reason)] : []));
    if (buildErrors.length > 0) throw new Error(`building failed: ${buildErrors.join('; ')}`);
    loads.push(`after building ${loadAverage()}`);

    browser = await launchChromium();
    for (const db of databases) {
      const name = ENGINE_NAMES[db.params.engine];
      console.log(`\n${name}: measuring (load average ${loadAverage()})…`);
      try {
        await measureEngine(browser, db, lines);
      } catch (error) {
        failures.push(`${name}: ${message(error)}`);
        console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      loads.push(`after ${name} ${loadAverage()}`);
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
  loads.push(`end ${loadAverage()}`);
  printTable(lines, failures, loads, seconds(started));
  if (failures.length > 0 || lines.some((l) => l.errors.length > 0)) process.exitCode = 1;
}


/**
 * 4. splitStatements on generated 5 MB scripts, in this process: bundled as the renderer ships it (judged:
 * the editor splits in the page), and as tsx loads it (browser mode's core, e.g. the migration runner).
 */
async function measureSplit(lines: Line[]): Promise<void> {
  const size = `${SCRIPT_BYTES / 1024 / 1024} MB`;
  console.log(`Splitting ${size} scripts…`);
  const splitters: [string, Splitter][] = [['bundled', await bundledSplitter()], ['under tsx', tsxSplitter]];
  for (const engine of ['postgres', 'mysql'] as const) {
    const script = makeScript(engine, SCRIPT_BYTES);
    for (const [how, split] of splitters) {
      const line: Line = {
        engine: ENGINE_NAMES[engine],
        what: `splitStatements (${how}), ${size} ${engine === 'postgres' ? 'PostgreSQL' : 'MySQL (DELIMITER)'} script`,
        goal: atMost(200, 'ms'),
        values: [],
        raw: [],
        errors: [],
        notes: [],
      };
      lines.push(line);
      try {
        const timing = timeSplit(split, script, SPLIT_ROUNDS);
        line.values.push(...timing.runs);
        const rate = timing.statements / (median(timing.runs) / 1000);
        line.notes.push(
          `${count(timing.statements)} statements, ${count(timing.lines)} lines, ${count(timing.bytes)} bytes: ${count(Math.round(rate))} statements/s ` +
            `(${(timing.bytes / 1024 / 1024 / (median(timing.runs) / 1000)).toFixed(1)} MB/s); runs ${timing.runs.map((r) => r.toFixed(0)).join(', ')} ms`,
        );
        if (timing.statements !== timing.expected) line.errors.push(`split into ${timing.statements} statements, the script has ${timing.expected}`);
        console.log(`  ${line.what}: ${ms(median(timing.runs))}`);
      } catch (error) {
        line.errors.push(message(error));
      }
    }
  }
  lines.at(-1)!.notes.push(
    'bundled = shared/sql-split.ts bundled by esbuild without keepNames, as the renderer build ships it (the editor splits in the page); ' +
      "under tsx = as this process imports it (tsx compiles with keepNames, as browser mode's core runs)",
  );
}

/** 1.–3. (and 5. on PostgreSQL): one engine, in its own Cabinet process and browser context. */
async function measureEngine(browser: Browser, db: TestDatabase, lines: Line[]): Promise<void> {
  const engine = db.params.engine;
  const line = (what: string, goal: Goal): Line => {
    const made: Line = { engine: ENGINE_NAMES[engine], what, goal, values: [], raw: [], errors: [], notes: [] };
    lines.push(made);
    return made;
  };
  const first = line(`${QUERY}, Ctrl+Enter → first row painted`, atMost(300, 'ms'));
  const reach = line(`steady scroll of the result (${count(SCROLL_RATE)} rows/s): rows reached`, atLeast(SCROLL_ROWS, 'rows'));
  const memory = line('core RSS + renderer JS heap, peak while scrolling', under(400, 'MB'));
  const cancel = line(`${sleepSql(db)}, Cancel → "Running…" gone`, atMost(1000, 'ms'));
  const gone = line('  … and the statement gone from the server (admin poll)', atMost(1000, 'ms'));

  const dataDir = mkdtempSync(join(tmpdir(), 'cabinet-bench-sql-'));
  const withEditor = EDITOR && engine === 'postgres';
  if (withEditor) {
    mkdirSync(join(dataDir, 'queries'));
    writeFileSync(join(dataDir, 'queries', `${SAVED_SCRIPT}.sql`), makeScript('postgres', SCRIPT_BYTES).text);
  }
  const cabinet = await startCabinetProcess({ args: ['scripts/start.mjs', '--web', '--no-build'], dataDir });
  let context: BrowserContext | null = null;
  let shownPage: Page | null = null;
  try {
    const core = corePid(cabinet.child.pid!);
    console.log(`  core process ${describeProcess(core)}`);
    context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    shownPage = page;
    const probe = new Probe(page);
    const reads = new RowReads(page);
    await page.goto(cabinet.url);
    await page.getByRole('button', { name: 'New connection', exact: true }).waitFor();
    await probe.install();
    await connectWithUrl(page, db.url, `Bench ${ENGINE_NAMES[engine]}`);
    await page.getByRole('tree').getByRole('treeitem', { name: 'events', exact: true }).waitFor();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const idle = { rss: await settledRss(core), heap: await heapUsed(cdp) };

    // 1. The query, typed; a first run in the new tab (opens its session), then timed rounds.
    await page.getByRole('button', { name: 'New query', exact: true }).click();
    await typeInEditor(page, QUERY);
    const runQuery = () => probe.time({ type: 'keydown', key: 'Enter' }, { kind: 'firstRow', grid: RESULT_GRID }, () => page.keyboard.press('Control+Enter'));
    try {
      const cold = await runQuery();
      first.notes.push(`first run in the new tab (opens the tab's session): ${ms(cold.ms)}`);
      for (let round = 1; round <= ROUNDS; round++) {
        await stopResult(page);
        await focusEditor(page);
        const shown = await runQuery();
        first.values.push(shown.ms);
        first.raw.push(await rawFirstRows(db, QUERY));
        if (round === ROUNDS) first.notes.push(`first row's first cell: ${shown.text}; the grid's rows: ${count(shown.rowCount ?? -1)}`);
        console.log(`  round ${round}: first row ${ms(shown.ms)}, raw driver ${ms(first.raw.at(-1)!)}`);
      }
    } catch (error) {
      first.errors.push(message(error));
      console.error(`  first row: ${message(error)}`);
    }

    // 2. The last round's result, scrolled at a steady pace while the memory is sampled.
    if (first.values.length > 0) {
      try {
        await measureScroll(probe, reads, cdp, core, idle, reach, memory);
      } catch (error) {
        reach.errors.push(message(error));
        console.error(`  scroll: ${message(error)}`);
      }
    }

    // 3. Cancel, in the same tab.
    const admin = await openAdmin(db);
    try {
      await stopResult(page);
      await typeInEditor(page, sleepSql(db), { replace: true });
      const runningStatus = page.getByRole('status').filter({ hasText: 'Running…' });
      for (let round = 1; round <= CANCEL_ROUNDS; round++) {
        await focusEditor(page);
        await page.keyboard.press('Control+Enter');
        await runningStatus.waitFor();
        await waitForSleeping(admin, true, 10_000);
        await sleep(300);
        let clicked = 0;
        let left: Promise<number> | undefined;
        const shown = await probe.time({ type: 'click' }, { kind: 'notRunning' }, async () => {
          clicked = performance.now();
          await page.getByRole('button', { name: 'Cancel', exact: true }).click();
          left = waitForSleeping(admin, false, 10_000, clicked);
        });
        cancel.values.push(shown.ms);
        gone.values.push(await left!);
        // The cancel's own answer ("Cancelled.") is added when it returns, which may be after the statement's error.
        if (round === CANCEL_ROUNDS) await sleep(500);
        const said = await page.getByRole('list', { name: 'Messages' }).getByRole('listitem').allTextContents().catch(() => []);
        if (round === CANCEL_ROUNDS) cancel.notes.push(`the messages said: ${said.map((m) => m.replace(/\s+/g, ' ')).join(' | ').slice(0, 200)}`);
        const raw = await rawCancel(db, admin);
        cancel.raw.push(raw);
        console.log(`  cancel ${round}: "Running…" gone after ${ms(shown.ms)}, off the server's list after ${ms(gone.values.at(-1)!)}; raw driver ${ms(raw)}`);
      }
      gone.notes.push('timed from just before Playwright clicks Cancel (its own round trip included) until an admin connection polling every 5 ms no longer lists the statement');
      cancel.notes.push(`raw driver: ${engine === 'postgres' ? 'pg_cancel_backend' : 'KILL QUERY'} from a second connection, until the sleeping query returns`);
    } catch (error) {
      cancel.errors.push(message(error));
      console.error(`  cancel: ${message(error)}`);
    } finally {
      await admin.close().catch(() => undefined);
    }

    // 5. A 5 MB script in the editor (PostgreSQL's process only).
    if (withEditor) await measureEditor(page, probe, lines);
    await cdp.detach().catch(() => undefined);
  } catch (error) {
    const path = join(tmpdir(), `cabinet-bench-sql-${engine}-failure.png`);
    if (await shownPage?.screenshot({ path }).then(() => true, () => false)) console.error(`  the page when it failed: ${path}`);
    throw error;
  } finally {
    await context?.close().catch(() => undefined);
    await cabinet.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}

async function measureScroll(
  probe: Probe,
  reads: RowReads,
  cdp: CDPSession,
  core: number,
  idle: { rss: number; heap: number },
  reach: Line,
  memory: Line,
): Promise<void> {
  const before = { rss: rssBytes(core), heap: await heapUsed(cdp) };
  const samples: { rss: number; heap: number }[] = [before];
  reads.reset();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push({ rss: rssBytes(core), heap: await heapUsed(cdp) });
      await sleep(250);
    }
  })();
  let run;
  try {
    run = await probe.steadyScroll(RESULT_GRID, SCROLL_RATE, SCROLL_ROWS, SCROLL_MAX_MS, SCROLL_STALL_MS);
  } finally {
    sampling = false;
    await sampler;
  }
  // The rows in view at the end, once their reads arrive.
  let painted: number[] | null = null;
  for (const deadline = performance.now() + 10_000; !painted && performance.now() < deadline; ) {
    painted = await probe.rowsInViewPainted(RESULT_GRID);
    if (!painted) await sleep(100);
  }
  await sleep(1000);
  const after = { rss: rssBytes(core), heap: await heapUsed(cdp) };
  samples.push(after);

  const asked = reads.summary();
  const scrolled = Math.max(run.reached, ...(painted ?? []));
  reach.values.push(scrolled);
  reach.judged = scrolled;
  reach.shown = `${count(scrolled)} rows`;
  reach.notes.push(
    `${run.ended === 'reached' ? 'reached the target' : run.ended === 'stalled' ? `stalled: the grid scrolled no further for ${SCROLL_STALL_MS / 1000} s` : 'out of time'} ` +
      `after ${(run.ms / 1000).toFixed(1)} s; the grid's row count ${count(run.rowCount)} (at most ${count(run.maxRowCount)} during the scroll); ` +
      `rows in view still placeholders in ${run.blankSamples} of ${run.samples} sampled frames; ` +
      `the grid asked the core for ${count(asked.rows)} distinct rows in ${count(asked.calls)} sessions/rows calls; ` +
      `${painted ? `the rows in view at the end were painted (rows ${count(painted[0]!)}–${count(painted.at(-1)!)})` : 'the rows in view at the end were NOT painted within 10 s'}`,
  );
  const peak = samples.reduce((a, b) => (b.rss + b.heap > a.rss + a.heap ? b : a));
  memory.values.push((peak.rss + peak.heap) / 1024 / 1024);
  memory.judged = (peak.rss + peak.heap) / 1024 / 1024;
  memory.shown = `${mb(peak.rss + peak.heap)} (core ${mb(peak.rss)} + heap ${mb(peak.heap)}; idle ${mb(idle.rss + idle.heap)})`;
  memory.notes.push(
    `${samples.length} samples. Idle (connected, no query yet, the core's RSS settled): core ${mb(idle.rss)} + heap ${mb(idle.heap)}, the core holding ` +
      `the embedded demo database it warms at start; before the scroll: core ${mb(before.rss)} + heap ${mb(before.heap)}; 1 s after: core ${mb(after.rss)} + heap ${mb(after.heap)}` +
      (scrolled < SCROLL_ROWS ? `; NB: over a scroll of ${count(scrolled)} rows only, not ${count(SCROLL_ROWS)}` : ''),
  );
  console.log(`  scroll: ${reach.shown} in ${(run.ms / 1000).toFixed(1)} s (${run.ended}); peak memory ${memory.shown}`);
}

/** 5. The 5 MB script, opened from the saved queries; Ctrl+End; typing. */
async function measureEditor(page: Page, probe: Probe, lines: Line[]): Promise<void> {
  const engine = ENGINE_NAMES.postgres;
  const size = `${SCRIPT_BYTES / 1024 / 1024} MB`;
  const make = (what: string, goal: Goal): Line => {
    const made: Line = { engine, what, goal, values: [], raw: [], errors: [], notes: [] };
    lines.push(made);
    return made;
  };
  // The issue asks that a 5 MB script opens "without freezing the editor"; these limits are this bench's reading of that.
  const open = make(`${size} saved query, click → first line shown`, atMost(1000, 'ms'));
  const end = make(`${size} script, Ctrl+End → last line shown`, atMost(300, 'ms'));
  const key = make(`${size} script, a typed key → painted (median of ${KEYPRESSES})`, atMost(50, 'ms'));
  let step = open;
  try {
    const item = page.getByRole('list', { name: 'Saved queries' }).getByRole('button', { name: SAVED_SCRIPT, exact: true });
    const opened = await probe.time({ type: 'click' }, { kind: 'editorHas', text: FIRST_LINE_MARKER }, () => item.click());
    open.values.push(opened.ms);
    open.notes.push(
      'timed from the click to the frame showing the first line: the core reads the file, the page makes a tab and a Monaco model of it. ' +
        'The issue sets no number here ("opens, highlights and runs without freezing the editor"): 1 s to open, 300 ms for Ctrl+End and 50 ms per key are this bench\'s limits',
    );
    step = end;
    await focusEditor(page);
    const ended = await probe.time({ type: 'keydown', key: 'End' }, { kind: 'editorHas', text: LAST_LINE_MARKER }, () => page.keyboard.press('Control+End'));
    end.values.push(ended.ms);
    step = key;
    for (let k = 1; k <= KEYPRESSES; k++) {
      await sleep(200);
      const typed = await probe.time({ type: 'keydown', key: 'x' }, { kind: 'editorHas', text: `${LAST_LINE_MARKER}${'x'.repeat(k)}` }, () => page.keyboard.press('x'));
      key.values.push(typed.ms);
    }
    key.notes.push(`keys typed at the end of the last line: ${key.values.map((v) => ms(v)).join(', ')}`);
    console.log(`  ${size} script: opened ${ms(opened.ms)}, Ctrl+End ${ms(ended.ms)}, keys ${key.values.map((v) => ms(v)).join(', ')}`);
  } catch (error) {
    step.errors.push(message(error));
    console.error(`  ${step.what}: ${message(error)}`);
  }
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

/**
 * Clicks into the open tab's editor on its first line in view, right of the text (the cursor goes to the end
 * of that line). Not at the centre of `.view-lines`: that element is as tall as the whole text, and for a long
 * script its centre is tens of thousands of lines down, which Playwright would first scroll to.
 */
async function focusEditor(page: Page): Promise<void> {
  const editor = page.locator('.monaco-editor').first();
  await editor.waitFor();
  const box = await editor.boundingBox();
  if (!box) throw new Error('the editor is not on screen');
  await editor.click({ position: { x: box.width - 40, y: 8 } });
}

/**
 * Clicks into the open tab's editor and types (over all its text with `replace`), as a person does; Escape
 * then closes a completion list that typing opened.
 */
async function typeInEditor(page: Page, text: string, options: { replace?: boolean } = {}): Promise<void> {
  await focusEditor(page);
  if (options.replace) await page.keyboard.press('Control+a');
  await page.keyboard.type(text);
  await sleep(300);
  await page.keyboard.press('Escape');
}

/** Presses the result's Stop button when the result is still being read, and waits until it has stopped. */
async function stopResult(page: Page): Promise<void> {
  const stop = page.getByRole('status', { name: 'Result rows' }).getByRole('button', { name: 'Stop', exact: true });
  if ((await stop.count()) === 0) return;
  await stop.click();
  await stop.waitFor({ state: 'detached' });
}

function printTable(lines: readonly Line[], failures: readonly string[], loads: readonly string[], took: string): void {
  console.log(`\nSQL editor: ${count(ROWS)} rows in events; UI times are the median (min–max) of the rounds; raw driver = pg / mysql2 on the same SQL; took ${took}`);
  console.log(`load average (1/5/15 min): ${loads.join('; ')}`);
  const header = ['engine', 'figure', 'Cabinet', 'raw driver', 'ratio', 'goal', ''];
  const rows = lines.map((l) => {
    const value = l.judged ?? median(l.values);
    const raw = median(l.raw);
    const shown = l.shown ?? (l.values.length ? `${ms(median(l.values))} (${ms(Math.min(...l.values))}–${ms(Math.max(...l.values))})` : '-');
    const verdict = Number.isNaN(value) ? 'not measured' : l.goal.met(value) ? 'met' : 'NOT met';
    const ratio = Number.isNaN(raw) || l.shown ? '-' : `${(median(l.values) / raw).toFixed(1)}x`;
    return [l.engine, l.what, shown, ms(raw), ratio, l.goal.text, verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(format(row));
  const noted = lines.filter((l) => l.notes.length > 0 || l.errors.length > 0);
  if (noted.length > 0) console.log('\nNotes:');
  for (const l of noted) {
    for (const n of l.notes) console.log(`  ${l.engine}, ${l.what.trim()}: ${n}`);
    for (const e of l.errors) console.log(`  ${l.engine}, ${l.what.trim()}: ERROR ${e}`);
  }
  for (const f of failures) console.log(`FAILED: ${f}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSqlEditorBench();
