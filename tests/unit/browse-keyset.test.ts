/**
 * Keyset predicates, checked against a model of SQL: for random rows with NULLs and ties, random sort
 * directions and both engines' NULL placement, the segments "after" (and "before") every row, each read in
 * the order, must give exactly the rows that follow (precede) it, nearest first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/values.ts';
import { afterSegments, beforeSegments, nullsFirst, renderPredicate, reverseOrder, type OrderTerm, type Predicate } from '../../electron/core/browse/keyset.ts';
import { mysqlDialect, postgresDialect } from '../../electron/core/browse/dialect.ts';
import { StatementBuilder } from '../../electron/core/browse/statement.ts';
import { quotePostgresIdent } from '../../electron/core/drivers/postgres/postgres-driver.ts';
import { quoteMysqlIdent } from '../../electron/core/drivers/mysql/mysql-driver.ts';

type Row = CellValue[];

const term = (index: number, descending: boolean, nullable = true): OrderTerm => ({
  column: { name: `c${index}`, nullable, typeClass: 'integer', dataType: 'int4' },
  index,
  descending,
});

/** SQL's comparison of two non-NULL integers held as text. */
const cmpValues = (a: CellValue, b: CellValue) => Math.sign(Number(a) - Number(b));

/** ORDER BY with the engine's default NULL placement: NULL high (PostgreSQL) or low (MySQL), flipped by DESC. */
function compareRows(terms: OrderTerm[], nullsHigh: boolean) {
  return (x: Row, y: Row) => {
    for (const t of terms) {
      const a = x[t.index] ?? null;
      const b = y[t.index] ?? null;
      let c: number;
      if (a === null && b === null) c = 0;
      else if (a === null) c = nullsHigh ? 1 : -1;
      else if (b === null) c = nullsHigh ? -1 : 1;
      else c = cmpValues(a, b);
      if (t.descending) c = -c;
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Three-valued logic reduced to "the row passes the WHERE". */
function holds(p: Predicate, row: Row): boolean | null {
  switch (p.kind) {
    case 'null': {
      const isNull = (row[p.term.index] ?? null) === null;
      return p.negated ? !isNull : isNull;
    }
    case 'compare': {
      const v = row[p.term.index] ?? null;
      if (v === null) return null;
      const c = cmpValues(v, p.value);
      return { '<': c < 0, '<=': c <= 0, '=': c === 0, '>=': c >= 0, '>': c > 0 }[p.op];
    }
    case 'and': {
      let unknown = false;
      for (const item of p.items) {
        const r = holds(item, row);
        if (r === false) return false;
        if (r === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const item of p.items) {
        const r = holds(item, row);
        if (r === true) return true;
        if (r === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
}

const value = fc.option(fc.integer({ min: 0, max: 3 }).map(String), { freq: 3 });

/** Rows of 2–3 sort columns with many ties and NULLs, and a unique key as the last column. */
const scenario = fc
  .record({
    columns: fc.integer({ min: 1, max: 3 }),
    rows: fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 40 }),
    directions: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    nullsHigh: fc.boolean(),
  })
  .map(({ columns, rows, directions, nullsHigh }) => {
    const data: Row[] = rows.map((r, i) => [...r.slice(0, columns), String(i)]);
    const terms = [...Array.from({ length: columns }, (_, i) => term(i, directions[i]!)), term(columns, directions[3]!, false)];
    return { data, terms, nullsHigh };
  });

describe('keyset segments', () => {
  it('give exactly the rows after each row, in order, for NULLs and ties in any direction', () => {
    fc.assert(
      fc.property(scenario, ({ data, terms, nullsHigh }) => {
        const sorted = [...data].sort(compareRows(terms, nullsHigh));
        for (let i = 0; i < sorted.length; i++) {
          const anchor = terms.map((t) => sorted[i]![t.index] ?? null);
          const segments = afterSegments(terms, anchor, nullsHigh);
          const read = segments.flatMap((s) => data.filter((r) => holds(s, r) === true).sort(compareRows(terms, nullsHigh)));
          expect(read).toEqual(sorted.slice(i + 1));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('give exactly the rows before each row, nearest first, read in the reversed order', () => {
    fc.assert(
      fc.property(scenario, ({ data, terms, nullsHigh }) => {
        const sorted = [...data].sort(compareRows(terms, nullsHigh));
        const reversed = reverseOrder(terms);
        for (let i = 0; i < sorted.length; i++) {
          const anchor = terms.map((t) => sorted[i]![t.index] ?? null);
          const segments = beforeSegments(terms, anchor, nullsHigh);
          const read = segments.flatMap((s) => data.filter((r) => holds(s, r) === true).sort(compareRows(reversed, nullsHigh)));
          expect(read).toEqual(sorted.slice(0, i).reverse());
        }
      }),
      { numRuns: 400 },
    );
  });

  it('are disjoint, so an OFFSET can be carried from one to the next', () => {
    fc.assert(
      fc.property(scenario, ({ data, terms, nullsHigh }) => {
        for (const row of data) {
          const segments = afterSegments(terms, terms.map((t) => row[t.index] ?? null), nullsHigh);
          for (const r of data) expect(segments.filter((s) => holds(s, r) === true).length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('put NULLs where each engine sorts them by default', () => {
    expect(nullsFirst(term(0, false), true)).toBe(false); // PostgreSQL ASC: NULLS LAST
    expect(nullsFirst(term(0, true), true)).toBe(true); // PostgreSQL DESC: NULLS FIRST
    expect(nullsFirst(term(0, false), false)).toBe(true); // MySQL ASC: NULLs first
    expect(nullsFirst(term(0, true), false)).toBe(false); // MySQL DESC: NULLs last
  });

  it('start with a range on the leading column, so an index can begin at the anchor', () => {
    const terms = [term(0, false, false), term(1, false, false)];
    const [only, ...none] = afterSegments(terms, ['5', '9'], true);
    expect(none).toEqual([]);
    const sql = new StatementBuilder(postgresDialect(quotePostgresIdent));
    expect(renderPredicate(only!, sql)).toBe('"c0" >= $1 AND ("c0" > $2 OR "c1" > $3)');
    expect(sql.shown).toEqual(['5', '5', '9']);
  });

  it('read the NULLs after a nullable ascending column (PostgreSQL) as their own segment', () => {
    const terms = [term(0, false, true), term(1, false, false)];
    const segments = afterSegments(terms, ['5', '9'], true);
    const sql = new StatementBuilder(postgresDialect(quotePostgresIdent));
    expect(segments.map((s) => renderPredicate(s, sql))).toEqual(['"c0" >= $1 AND ("c0" > $2 OR "c1" > $3)', '"c0" IS NULL']);
    // An anchor on NULL: only ties on NULL follow.
    const fromNull = afterSegments(terms, [null, '9'], true);
    expect(fromNull.map((s) => renderPredicate(s, new StatementBuilder(postgresDialect(quotePostgresIdent))))).toEqual(['"c0" IS NULL AND "c1" > $1']);
  });

  it('cast MySQL numbers to DECIMAL so big integers compare exactly, and quote names by MySQL rules', () => {
    const weird: OrderTerm = { column: { name: 'a`b', nullable: false, typeClass: 'integer', dataType: 'bigint' }, index: 0, descending: true };
    const sql = new StatementBuilder(mysqlDialect(quoteMysqlIdent));
    const [segment] = afterSegments([weird], ['18446744073709551615'], false);
    expect(renderPredicate(segment!, sql)).toBe('`a``b` < CAST(? AS DECIMAL(65,30))');
    expect(sql.values).toEqual(['18446744073709551615']);
  });

  it('bind bytes as bytes and show them as hex', () => {
    const bytesTerm: OrderTerm = { column: { name: 'b', nullable: false, typeClass: 'binary', dataType: 'bytea' }, index: 0, descending: false };
    const sql = new StatementBuilder(postgresDialect(quotePostgresIdent));
    renderPredicate(afterSegments([bytesTerm], [{ kind: 'bytes', hex: '00ff', length: 2 }], true)[0]!, sql);
    expect(sql.values[0]).toEqual(Buffer.from([0, 255]));
    expect(sql.shown[0]).toBe('\\x00ff');
  });
});
