/**
 * Paging a table by row index, on both engines: every window, read forward, backward, from the end and by
 * jumps, must equal the same slice of one full `ORDER BY` of the table, for sorts on non-unique columns full
 * of NULLs and ties (broken by the key), composite keys, a unique key instead of a primary one, and no key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowseFilter, BrowseSort, BrowseWindow } from '../../shared/browse.ts';
import type { CellValue } from '../../shared/values.ts';
import { createMysqlDatabase, createPostgresDatabase, type TestDatabase } from '../support/databases.ts';
import { browser, seeded, truth, type Browser } from './browse-fixture.ts';

const ROWS = 1000;

/** Rows of `items`: ids inserted shuffled; columns with many NULLs and repeated values. */
function itemRows(engine: 'postgres' | 'mysql'): string[] {
  const random = seeded(7);
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)]!;
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1).sort(() => random() - 0.5);
  return ids.map((id) => {
    const a = random() < 0.3 ? 'NULL' : String(Math.floor(random() * 10));
    const b = random() < 0.2 ? 'NULL' : pick(["'x'", "'y'", "'Z'", "'ä'", "''", "'x y'", "'NULL'"]);
    const c = pick(['0.10', '1.00', '1.5', '-2.25', '999.99']);
    const d = random() < 0.25 ? 'NULL' : pick(["'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.5'", "'1999-12-31 23:59:59'", "'2038-01-19 03:14:08'"]);
    const e = random() < 0.1 ? 'NULL' : pick(['0.1', '0.3333333333333333', '1e-7', '2.5', '1e20', '-7.125']);
    void engine;
    return `(${id}, ${a}, ${b}, ${c}, ${d}, ${e})`;
  });
}

const SORTS: BrowseSort[][] = [
  [],
  [{ column: 'a', direction: 'asc' }],
  [{ column: 'a', direction: 'desc' }],
  [
    { column: 'a', direction: 'asc' },
    { column: 'b', direction: 'desc' },
  ],
  [
    { column: 'b', direction: 'asc' },
    { column: 'a', direction: 'asc' },
  ],
  [{ column: 'd', direction: 'desc' }],
  [{ column: 'e', direction: 'asc' }],
  [
    { column: 'c', direction: 'desc' },
    { column: 'd', direction: 'asc' },
  ],
  [{ column: 'id', direction: 'desc' }],
];

const label = (sort: BrowseSort[]) => (sort.length ? sort.map((s) => `${s.column} ${s.direction}`).join(', ') : 'the key');
const noOffset = (w: BrowseWindow) => w.statements.every((s) => !/\bOFFSET\b/.test(s.sql));

describe.each(['postgres', 'mysql'] as const)('%s: paging by row index', (engine) => {
  let db: TestDatabase;
  let b: Browser;
  const q = (name: string) => (engine === 'postgres' ? `"${name}"` : `\`${name}\``);
  /** The sort, then the key's other columns in the direction of the last sort column. */
  const orderSql = (sort: BrowseSort[], key: string[]) => {
    const terms = sort.map((s) => `${q(s.column)} ${s.direction.toUpperCase()}`);
    const tie = sort[sort.length - 1]?.direction.toUpperCase() ?? 'ASC';
    for (const k of key) if (!sort.some((s) => s.column === k)) terms.push(`${q(k)} ${tie}`);
    return terms.join(', ');
  };

  beforeAll(async () => {
    db = engine === 'postgres' ? await createPostgresDatabase('cabinet_browse_paging') : await createMysqlDatabase('cabinet_browse_paging');
    const timestamp = engine === 'postgres' ? 'timestamp(3)' : 'datetime(3)';
    const double = engine === 'postgres' ? 'double precision' : 'double';
    await db.exec(`
      create table items (id int primary key, a int, b varchar(20), c numeric(10,2) not null, d ${timestamp}, e ${double});
      insert into items values ${itemRows(engine).join(',\n')};
      create table pairs (k1 int not null, k2 varchar(10) not null, v int, primary key (k1, k2));
      insert into pairs values ${Array.from({ length: 300 }, (_, i) => `(${i % 17}, 'k${(i * 7) % 41}', ${i % 5 === 0 ? 'NULL' : i % 4})`).join(',')};
      create table coded (code varchar(20) not null, v int, constraint coded_code unique (code));
      insert into coded values ${Array.from({ length: 200 }, (_, i) => `('c${(i * 37) % 200}', ${i % 3 === 0 ? 'NULL' : i % 6})`).join(',')};
      create table loose (a int, b varchar(10));
      insert into loose values ${Array.from({ length: 500 }, (_, i) => `(${i % 7 === 0 ? 'NULL' : i % 9}, 'r${i % 13}')`).join(',')};
    `);
    b = browser([db]);
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  /** Forward in windows, backward from the end, and jumps: every window against the truth. */
  async function checkEveryWay(viewId: string, sort: BrowseSort[], filters: BrowseFilter[], expected: CellValue[][], options: { keyset: boolean }) {
    const total = expected.length;
    // Forward, window after window: from the second window on, keyset reads skip nothing.
    await b.query(viewId, sort, filters);
    const forward = await b.readAll(viewId, 97);
    expect(forward.rows).toEqual(expected);
    if (options.keyset) expect(forward.windows.slice(1).every(noOffset)).toBe(true);
    // Backward from the end (Ctrl+End, then scrolling up), each window read from the one below it.
    await b.query(viewId, sort, filters);
    let start = Math.max(0, total - 97);
    for (let i = 0; ; i++) {
      const window = await b.rows(viewId, start, 97);
      expect(window.rows, `window at ${start}`).toEqual(expected.slice(start, start + 97));
      if (options.keyset) expect(noOffset(window), window.sql).toBe(true);
      if (i === 0) expect(window.atEnd).toBe(true);
      if (start === 0) break;
      start = Math.max(0, start - 97);
    }
    // Jumps, with no anchor near at first.
    await b.query(viewId, sort, filters);
    const random = seeded(total + sort.length);
    for (let i = 0; i < 25; i++) {
      const at = Math.floor(random() * total);
      const count = 1 + Math.floor(random() * 60);
      const window = await b.rows(viewId, at, count);
      expect(window.rows, `jump to ${at}`).toEqual(expected.slice(at, at + count));
      expect(window.start).toBe(at);
    }
  }

  for (const sort of SORTS) {
    it(`reads every window of a 1,000-row table sorted by ${label(sort)}, ties broken by the key`, async () => {
      const viewId = await b.open(db, 'items');
      const expected = await truth(db, `select * from items order by ${orderSql(sort, ['id'])}`);
      await checkEveryWay(viewId, sort, [], expected, { keyset: true });
    });
  }

  it('pages a filtered view the same way (NULLs filtered out, a text filter and a raw WHERE)', async () => {
    const viewId = await b.open(db, 'items');
    const sort: BrowseSort[] = [{ column: 'b', direction: 'desc' }];
    const filters: BrowseFilter[] = [{ column: 'a', op: 'is-not-null' }];
    const expected = await truth(db, `select * from items where a is not null order by ${orderSql(sort, ['id'])}`);
    await checkEveryWay(viewId, sort, filters, expected, { keyset: true });
    const info = await b.service.query(b.context, viewId, { sort, filters: [{ column: 'b', op: 'contains', value: 'X' }], where: 'c > 0' });
    expect(info.sql).toContain('AND (c > 0)');
    const rows = (await b.readAll(viewId, 50)).rows;
    expect(rows).toEqual(await truth(db, `select * from items where lower(b) like '%x%' and c > 0 order by ${orderSql(sort, ['id'])}`));
  });

  it('pages a composite key, sorted by a nullable column and by the key columns themselves', async () => {
    const viewId = await b.open(db, 'pairs');
    for (const sort of [[], [{ column: 'v', direction: 'desc' }], [{ column: 'k2', direction: 'desc' }]] as BrowseSort[][]) {
      const expected = await truth(db, `select * from pairs order by ${orderSql(sort, ['k1', 'k2'])}`);
      await checkEveryWay(viewId, sort, [], expected, { keyset: true });
    }
  });

  it('pages by a unique NOT NULL key when there is no primary key', async () => {
    const info = await b.service.open(b.context, db.name, engine === 'postgres' ? [db.name, 'public', 'tables', 'coded'] : [db.name, 'tables', 'coded']);
    expect(info.key).toEqual({ kind: 'unique', name: 'coded_code', columns: ['code'] });
    expect(info.paging).toBe('keyset');
    const sort: BrowseSort[] = [{ column: 'v', direction: 'asc' }];
    await checkEveryWay(info.viewId, sort, [], await truth(db, `select * from coded order by ${orderSql(sort, ['code'])}`), { keyset: true });
  });

  it('pages a table without a key by OFFSET, every row once, in the order it gives', async () => {
    const info = await b.service.open(b.context, db.name, engine === 'postgres' ? [db.name, 'public', 'tables', 'loose'] : [db.name, 'tables', 'loose']);
    expect(info).toMatchObject({ key: null, paging: 'offset' });
    const { rows, windows } = await b.readAll(info.viewId, 64);
    expect(rows).toEqual(await truth(db, 'select * from loose'));
    expect(windows[1]!.sql).toMatch(/OFFSET 64$/);
    // Sorted: the sort column's values are in order whatever the ties.
    await b.query(info.viewId, [{ column: 'a', direction: 'desc' }]);
    const sorted = (await b.readAll(info.viewId, 64)).rows;
    expect(sorted.map((r) => r[0])).toEqual((await truth(db, 'select a from loose order by a desc')).map((r) => r[0]));
    // The end is read by OFFSET too (there is no order to reverse).
    expect((await b.rows(info.viewId, 490, 20)).rows).toHaveLength(10);
  });

  it('reads the end of the table in reverse, without an OFFSET, and the window before it from there', async () => {
    const viewId = await b.open(db, 'items');
    const expected = await truth(db, `select * from items order by ${q('a')} desc, id desc`);
    await b.query(viewId, [{ column: 'a', direction: 'desc' }]);
    const end = await b.rows(viewId, ROWS - 100, 100);
    expect(end).toMatchObject({ start: ROWS - 100, atEnd: true, total: { rows: ROWS, exact: true } });
    expect(end.rows).toEqual(expected.slice(-100));
    expect(end.sql).toMatch(/ORDER BY \S+ ASC, \S+ ASC\nLIMIT 101$/);
    const before = await b.rows(viewId, ROWS - 200, 100);
    expect(before.rows).toEqual(expected.slice(-200, -100));
    expect(noOffset(before)).toBe(true);
    // Past the end: nothing, and it says so.
    expect(await b.rows(viewId, ROWS + 5, 10)).toMatchObject({ rows: [], atEnd: true });
  });
});

describe.each(['postgres', 'mysql'] as const)('%s: the total of a table too big to count on open', (engine) => {
  let db: TestDatabase;
  let b: Browser;
  const N = 30_000;

  beforeAll(async () => {
    db = engine === 'postgres' ? await createPostgresDatabase('cabinet_browse_total') : await createMysqlDatabase('cabinet_browse_total');
    await db.exec('create table wide (id int primary key, filler varchar(200) not null, flag int, maybe int)');
    for (let from = 0; from < N; from += 5000) {
      const values = Array.from({ length: 5000 }, (_, i) => `(${from + i + 1}, '${'f'.repeat(150)}', ${(from + i) % 10}, ${(from + i) % 3 ? (from + i) % 101 : 'NULL'})`);
      await db.exec(`insert into wide values ${values.join(',')}`);
    }
    if (engine === 'mysql') await db.exec('analyze table wide');
    b = browser([db]);
  });
  afterAll(async () => {
    await b?.close();
    await db?.drop();
  });

  it('opens with the estimate (never a COUNT), reads the end, and counts only when asked', async () => {
    const info = await b.service.open(b.context, db.name, engine === 'postgres' ? [db.name, 'public', 'tables', 'wide'] : [db.name, 'tables', 'wide']);
    expect(info.total.exact).toBe(false);
    expect(info.total.rows).toBeGreaterThan(N * 0.5);
    expect(info.total.rows).toBeLessThan(N * 2);
    const estimate = info.total.rows!;
    const end = await b.rows(info.viewId, estimate - 50, 50);
    expect(end.rows.map((r) => r[0])).toEqual(Array.from({ length: 50 }, (_, i) => String(N - 49 + i)));
    expect(end.atEnd).toBe(true);
    expect(end.startExact).toBe(estimate === N);
    // Scrolling up from the end keeps reading the right rows.
    const above = await b.rows(info.viewId, estimate - 100, 50);
    expect(above.rows.map((r) => r[0])).toEqual(Array.from({ length: 50 }, (_, i) => String(N - 99 + i)));
    const counted = await b.service.count(b.context, info.viewId);
    expect(counted.total).toEqual({ rows: N, exact: true });
    expect(counted.sql).toMatch(/^SELECT count\(\*\) FROM/);
    const exactEnd = await b.rows(info.viewId, N - 10, 10);
    expect(exactEnd).toMatchObject({ start: N - 10, startExact: true, atEnd: true });
    expect(exactEnd.rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => String(N - 9 + i)));
  });

  it('gives a fresh estimate for a filter, which turns exact when the first window meets the end', async () => {
    const viewId = await b.open(db, 'wide');
    const info = await b.query(viewId, [], [{ column: 'flag', op: '=', value: '3' }]);
    expect(info.total.exact).toBe(false);
    const few = await b.query(viewId, [], [{ column: 'id', op: '<', value: '20' }]);
    expect(few.total.exact).toBe(false);
    const window = await b.rows(viewId, 0, 100);
    expect(window.rows).toHaveLength(19);
    expect(window.total).toEqual({ rows: 19, exact: true });
  });

  it('jumps to the middle by OFFSET from the nearer end, then scrolls from the rows it found', async () => {
    const viewId = await b.open(db, 'wide');
    await b.service.count(b.context, viewId);
    const at = 14_000;
    const middle = await b.rows(viewId, at, 100);
    expect(middle.rows.map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => String(at + i + 1)));
    // A seek of the row before the window (its key only), then the window from it by key.
    expect(middle.statements.map((s) => s.sql.replace(/\n/g, ' '))).toEqual([
      expect.stringMatching(new RegExp(`^SELECT \\S+id\\S+ FROM .* ORDER BY \\S+ ASC LIMIT 1 OFFSET ${at - 1}$`)),
      expect.stringMatching(/^SELECT \* FROM .* WHERE \S+ > .* LIMIT 101$/),
    ]);
    expect(middle.sql).toBe(middle.statements[1]!.sql);
    const next = await b.rows(viewId, at + 100, 100);
    expect(next.rows[0]![0]).toBe(String(at + 101));
    expect(noOffset(next)).toBe(true);
    const late = await b.rows(viewId, N - 500, 10);
    expect(late.rows[0]![0]).toBe(String(N - 499));
    expect(late.sql).toMatch(/DESC\nLIMIT 11 OFFSET 490$/);
  });

  it('jumps exactly on a sort full of NULLs and ties, seeking from either end or from a far anchor', async () => {
    const viewId = await b.open(db, 'wide');
    const q = (name: string) => (engine === 'postgres' ? `"${name}"` : `\`${name}\``);
    for (const direction of ['asc', 'desc'] as const) {
      await b.query(viewId, [{ column: 'maybe', direction }]);
      // Counted, so that indices from the end are exact too (a query goes back to the estimate).
      await b.service.count(b.context, viewId);
      const expected = await truth(db, `select id from wide order by ${q('maybe')} ${direction}, id ${direction}`);
      const random = seeded(direction === 'asc' ? 1 : 2);
      for (let i = 0; i < 12; i++) {
        const at = Math.floor(random() * (N - 50));
        const window = await b.rows(viewId, at, 50);
        expect(window.rows.map((r) => r[0]), `${direction} at ${at}`).toEqual(expected.slice(at, at + 50).map((r) => r[0]));
      }
    }
  });
});
