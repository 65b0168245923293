/**
 * Far jumps on both engines: placed approximately (interpolated on the leading indexed sort column, jump.ts)
 * where exact placement would walk too many rows, exactly where it is cheap. An approximate window holds the
 * right rows in the right order near the asked fraction, says its index is a guess, and scrolling from it
 * joins without a gap or a duplicate. The engines' own thresholds are lowered here (10,000 rows) so a small
 * table shows approximate jumps; the last tests use the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowseSort, BrowseWindow } from '../../shared/browse.ts';
import type { CellValue } from '../../shared/values.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { browser, truth, type Browser } from './browse-fixture.ts';

const N = 250_000;
const LOW_THRESHOLD = 10_000;

const ids = (rows: CellValue[][]) => rows.map((r) => r[0]);
/** No statement skipped more than `most` rows. */
const skipsAtMost = (w: BrowseWindow, most: number) => w.statements.every((s) => Number(/OFFSET (\d+)/.exec(s.sql)?.[1] ?? 0) <= most);

describe.each(['postgres', 'mysql'] as const)('%s: far jumps', (engine) => {
  let db: TestDatabase;
  let b: Browser;
  const q = (name: string) => (engine === 'postgres' ? `"${name}"` : `\`${name}\``);
  /** The ids in an order, straight from the driver. */
  const truthIds = async (order: string) => ids(await truth(db, `select id from events order by ${order}`));

  beforeAll(async () => {
    db = engine === 'postgres' ? await createPostgresDatabase('cabinet_browse_jump') : await createMysqlDatabase('cabinet_browse_jump');
    // Ids 3, 6, 9…; times 17 s apart; an amount that is NULL in every tenth row; all three indexed.
    if (engine === 'postgres') {
      await db.exec(`create table events (id bigint primary key, at timestamptz not null, amount numeric(12,2), label text not null);
        insert into events select g * 3, timestamptz '2020-01-01 00:00:00+00' + g * interval '17 seconds',
          case when g % 10 = 0 then null else g / 100.0 end, 'event ' || g from generate_series(1, ${N}) g;
        create index events_at on events (at); create index events_amount on events (amount);`);
      await db.exec('vacuum analyze events');
    } else {
      await db.exec(`create table events (id bigint primary key, at datetime(6) not null, amount decimal(12,2), label varchar(40) not null);
        insert into events select seq * 3, timestamp'2020-01-01 00:00:00' + interval seq * 17 second,
          if(seq % 10 = 0, null, seq / 100), concat('event ', seq) from seq_1_to_${N};
        alter table events add index events_at (at), add index events_amount (amount); analyze table events;`);
    }
    b = browser([db], 'test-client', LOW_THRESHOLD);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  /** Where a window's first row really is in `expected`, checking that its rows follow one another there. */
  const placeOf = (window: BrowseWindow, expected: CellValue[]) => {
    const at = expected.indexOf(window.rows[0]![0]!);
    expect(ids(window.rows)).toEqual(expected.slice(at, at + window.rows.length));
    return at;
  };

  // On PostgreSQL, 95% of the amount order is among its NULLs (the last tenth): the jump lands on the first NULL.
  it.each([
    [[], 'id ASC'],
    [[{ column: 'at', direction: 'desc' }], 'at DESC, id DESC'],
    [[{ column: 'amount', direction: 'asc' }], 'amount ASC, id ASC'],
  ] as [BrowseSort[], string][])('places a jump near the asked row, approximately, sorted by %j', async (sort, order) => {
    const viewId = await b.open(db, 'events');
    await b.query(viewId, sort);
    const expected = await truthIds(order.replace(/(\w+) (ASC|DESC)/g, (_, c: string, d: string) => `${q(c)} ${d}`));
    for (const fraction of [0.3, 0.5, 0.95]) {
      const at = Math.floor(N * fraction);
      const window = await b.rows(viewId, at, 100);
      expect(window.startExact, `${fraction}`).toBe(false);
      expect(window.rows).toHaveLength(100);
      // Near the asked row (the values are evenly spread; the estimate of the total is what is off).
      expect(Math.abs(placeOf(window, expected) - at), `${fraction}`).toBeLessThan(N * 0.06);
      expect(skipsAtMost(window, 0)).toBe(true);
    }
  });

  it('reads up and down from an approximate jump without a gap or a duplicate', async () => {
    const viewId = await b.open(db, 'events');
    const expected = await truthIds('id');
    const at = 125_000;
    const jump = await b.rows(viewId, at, 100);
    const first = placeOf(jump, expected);
    const seen = [...ids(jump.rows)];
    for (let start = at - 100; start >= at - 300; start -= 100) seen.unshift(...ids((await b.rows(viewId, start, 100)).rows));
    for (let start = at + 100; start <= at + 300; start += 100) {
      const window = await b.rows(viewId, start, 100);
      expect(window.startExact).toBe(false);
      expect(skipsAtMost(window, 0)).toBe(true);
      seen.push(...ids(window.rows));
    }
    expect(seen).toEqual(expected.slice(first - 300, first + 400));
  });

  it('shares one seek between the windows around a jump asked for at once', async () => {
    for (const [label, service] of [
      ['approximate', b],
      ['exact', browser([db])],
    ] as const) {
      const viewId = await service.open(db, 'events');
      // Counted, so that an exact seek from the end gives exact indices too.
      await service.service.count(service.context, viewId);
      const at = engine === 'postgres' || label === 'approximate' ? 125_000 : 50_000;
      const windows = await Promise.all([service.rows(viewId, at, 100), service.rows(viewId, at + 100, 100), service.rows(viewId, at + 200, 100)]);
      const statements = windows.flatMap((w) => w.statements.map((s) => s.sql));
      const seeks = statements.filter((sql) => /^SELECT \S+ FROM /.test(sql) && !sql.startsWith('SELECT * '));
      expect(seeks.filter((sql) => /LIMIT 1( OFFSET|$)/m.test(sql)), label).toHaveLength(1);
      expect(windows.map((w) => w.startExact), label).toEqual([label === 'exact', label === 'exact', label === 'exact']);
      const all = windows.flatMap((w) => ids(w.rows));
      expect(new Set(all).size).toBe(300);
      const expected = await truthIds('id');
      const first = expected.indexOf(all[0]!);
      expect(all).toEqual(expected.slice(first, first + 300));
      if (label === 'exact') expect(first).toBe(at);
      if (service !== b) await service.close();
    }
  });

  it('places exactly what is cheap: a filtered view, a near jump, and the engines’ own thresholds', async () => {
    const viewId = await b.open(db, 'events');
    await b.query(viewId, [], [{ column: 'label', op: 'like', value: 'event %' }]);
    await b.service.count(b.context, viewId);
    const filtered = await b.rows(viewId, 100_000, 50);
    expect(filtered).toMatchObject({ start: 100_000, startExact: true });
    expect(filtered.rows[0]![0]).toBe(String(3 * 100_001));
    await b.query(viewId, [{ column: 'label', direction: 'asc' }]);
    expect((await b.rows(viewId, 100_000, 50)).startExact).toBe(true);
    // Default thresholds: PostgreSQL skips 125,000 rows exactly; MariaDB places that jump approximately, and a
    // jump of 50,000 exactly.
    const real = browser([db]);
    try {
      const own = await real.open(db, 'events');
      await real.service.count(real.context, own);
      const middle = await real.rows(own, 125_000, 50);
      expect(middle.startExact).toBe(engine === 'postgres');
      const near = await real.rows(own, 50_000, 50);
      expect(near).toMatchObject({ start: 50_000, startExact: true });
      expect(near.rows[0]![0]).toBe(String(3 * 50_001));
    } finally {
      await real.close();
    }
  });

  it('still reads the end, the start and an exact count after an approximate jump', async () => {
    const viewId = await b.open(db, 'events');
    expect((await b.rows(viewId, 125_000, 100)).startExact).toBe(false);
    const total = (await b.rows(viewId, 0, 1)).total.rows!;
    const end = await b.rows(viewId, total - 50, 50);
    expect(end.atEnd).toBe(true);
    expect(ids(end.rows).at(-1)).toBe(String(3 * N));
    expect((await b.rows(viewId, 0, 10)).rows[0]![0]).toBe('3');
    const counted = await b.service.count(b.context, viewId);
    expect(counted.total).toEqual({ rows: N, exact: true });
    const exactEnd = await b.rows(viewId, N - 10, 10);
    expect(exactEnd).toMatchObject({ start: N - 10, startExact: true, atEnd: true });
    expect(ids(exactEnd.rows)).toEqual(Array.from({ length: 10 }, (_, i) => String(3 * (N - 9 + i))));
  });
});
