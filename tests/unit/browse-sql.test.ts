/** The SQL a row source writes, read as text: quoting, parameters, filters, paging clauses. */
import { describe, expect, it } from 'vitest';
import type { BrowseFilter } from '../../shared/browse.ts';
import { CabinetError } from '../../shared/errors.ts';
import { mysqlDialect, postgresDialect, type BrowseDialect } from '../../electron/core/browse/dialect.ts';
import { containsPattern, mysqlNumberProblem, resolveFilters } from '../../electron/core/browse/filters.ts';
import { afterSegments, beforeSegments, type OrderTerm } from '../../electron/core/browse/keyset.ts';
import { buildCount, buildExplain, buildSeek, buildSelect, buildValueCheck, type ViewQuery } from '../../electron/core/browse/select-sql.ts';
import type { ColumnMeta, TableMeta } from '../../electron/core/browse/table-meta.ts';
import { quoteMysqlIdent } from '../../electron/core/drivers/mysql/mysql-driver.ts';
import { quotePostgresIdent } from '../../electron/core/drivers/postgres/postgres-driver.ts';

const pg = postgresDialect(quotePostgresIdent);
const my = mysqlDialect(quoteMysqlIdent);

const column = (name: string, typeClass: ColumnMeta['typeClass'], dataType: string, nullable = true): ColumnMeta => ({
  name,
  type: dataType,
  dataType,
  typeClass,
  nullable,
  default: null,
  generated: null,
  inKey: false,
});

const columns = [
  column('id', 'integer', 'int8', false),
  column('a"b', 'text', 'text'),
  column('Order Items', 'decimal', 'numeric'),
  column('été', 'date-time', 'timestamptz'),
  column('blob', 'binary', 'bytea'),
];

const meta = (sqlName: string, overrides: Partial<TableMeta> = {}): TableMeta => ({
  table: { database: 'd', schema: 's', name: 't', path: ['d', 's', 'tables', 't'], kind: 'table' },
  sqlName,
  columns,
  key: { kind: 'primary', name: 'pk', columns: ['id'] },
  foreignKeys: [],
  total: { rows: 10, exact: true },
  hasRowAddress: true,
  partitioned: false,
  ...overrides,
});

const idTerm: OrderTerm = { column: columns[0]!, index: 0, descending: false };

function query(dialect: BrowseDialect, filters: BrowseFilter[] = [], where: string | null = null, overrides: Partial<ViewQuery> = {}): ViewQuery {
  const sqlName = dialect.engine === 'postgres' ? '"s"."t"' : '`d`.`t`';
  return {
    meta: meta(sqlName),
    filters: resolveFilters(filters, columns, dialect),
    where,
    order: [idTerm],
    addressTieBreak: false,
    mode: 'keyset',
    reversible: true,
    ...overrides,
  };
}

describe('window SELECTs', () => {
  it('read a page by key with a LIMIT, forward and backward, and from an anchor', () => {
    expect(buildSelect(query(pg), pg, { limit: 201 }).sql).toBe('SELECT * FROM "s"."t"\nORDER BY "id" ASC\nLIMIT 201');
    expect(buildSelect(query(pg), pg, { limit: 201, backward: true, offset: 30 }).sql).toBe('SELECT * FROM "s"."t"\nORDER BY "id" DESC\nLIMIT 201 OFFSET 30');
    const [segment] = afterSegments([idTerm], ['9007199254740993'], true);
    const page = buildSelect(query(pg, [{ column: 'a"b', op: '=', value: 'x' }]), pg, { limit: 11, segment });
    expect(page.sql).toBe('SELECT * FROM "s"."t"\nWHERE "a""b" = $1\n  AND "id" > $2\nORDER BY "id" ASC\nLIMIT 11');
    expect(page.values).toEqual(['x', '9007199254740993']);
  });

  it('break ties by the row address when a PostgreSQL table without a key is sorted (and across partitions)', () => {
    const sorted = query(pg, [], null, { order: [{ column: columns[1]!, index: 1, descending: true }], addressTieBreak: true, mode: 'offset', reversible: false });
    expect(buildSelect(sorted, pg, { limit: 5 }).sql).toBe('SELECT * FROM "s"."t"\nORDER BY "a""b" DESC, ctid ASC\nLIMIT 5');
    sorted.meta = meta('"s"."t"', { partitioned: true });
    expect(buildSelect(sorted, pg, { limit: 5 }).sql).toContain('ORDER BY "a""b" DESC, tableoid ASC, ctid ASC');
  });

  it('append the raw WHERE as AND (…), ending a line comment before what follows', () => {
    expect(buildSelect(query(pg, [], 'x > 1'), pg).sql).toBe('SELECT * FROM "s"."t"\nWHERE (x > 1)\nORDER BY "id" ASC');
    expect(buildSelect(query(pg, [], 'x > 1 -- big ones'), pg).sql).toBe('SELECT * FROM "s"."t"\nWHERE (x > 1 -- big ones\n)\nORDER BY "id" ASC');
  });

  it('count, count up to a cap, and ask the planner, all with the same filters', () => {
    const q = query(my, [{ column: 'id', op: '>', value: '5' }]);
    expect(buildCount(q, my)).toMatchObject({ sql: 'SELECT count(*) FROM `d`.`t`\nWHERE `id` > CAST(? AS DECIMAL(65,30))', values: ['5'] });
    expect(buildCount(q, my, { cap: 40 }).sql).toBe('SELECT count(*) FROM (SELECT 1 FROM `d`.`t`\nWHERE `id` > CAST(? AS DECIMAL(65,30))\nLIMIT 40) AS capped');
    const explain = buildExplain(query(pg, [{ column: 'id', op: '>', value: '5' }]), pg);
    expect(explain.sql).toBe('EXPLAIN (FORMAT JSON) SELECT * FROM "s"."t"\nWHERE "id" > $1');
    expect(explain.sql.slice(explain.prefixLength)).toBe('SELECT * FROM "s"."t"\nWHERE "id" > $1');
  });

  it('seek the row before a far window by reading only the order’s columns, from an end or an anchor', () => {
    const sorted = query(pg, [{ column: 'a"b', op: 'is-not-null' }], null, { order: [{ column: columns[3]!, index: 3, descending: true }, idTerm] });
    expect(buildSeek(sorted, pg, { backward: false, offset: 2499999 }).sql).toBe(
      'SELECT "été", "id" FROM "s"."t"\nWHERE "a""b" IS NOT NULL\nORDER BY "été" DESC, "id" ASC\nLIMIT 1 OFFSET 2499999',
    );
    const [segment] = beforeSegments([idTerm], ['10'], false);
    const seek = buildSeek(query(my), my, { backward: true, segment, offset: 5000 });
    expect(seek.sql).toBe('SELECT `id` FROM `d`.`t`\nWHERE `id` < CAST(? AS DECIMAL(65,30))\nORDER BY `id` DESC\nLIMIT 1 OFFSET 5000');
  });

  it('check filter values by binding them to their columns, reading no row', () => {
    const q = query(pg, [{ column: 'id', op: 'in', values: ['1', 'abc'] }]);
    expect(buildValueCheck(q, pg, q.filters).sql).toBe('SELECT 1 FROM "s"."t" WHERE "id" IN ($1, $2) LIMIT 0');
  });
});

describe('filters', () => {
  const render = (dialect: BrowseDialect, filter: BrowseFilter) => {
    const built = buildCount(query(dialect, [filter]), dialect);
    return [built.sql.replace(/^.*\nWHERE /s, ''), built.values];
  };

  it('write every operator with parameters on PostgreSQL', () => {
    expect(render(pg, { column: 'id', op: '<>', value: '3' })).toEqual(['"id" <> $1', ['3']]);
    expect(render(pg, { column: 'id', op: '<=', value: '3' })).toEqual(['"id" <= $1', ['3']]);
    expect(render(pg, { column: 'a"b', op: 'contains', value: '50%_off!' })).toEqual(['"a""b" ILIKE $1 ESCAPE \'!\'', ['%50!%!_off!!%']]);
    expect(render(pg, { column: 'id', op: 'contains', value: '12' })).toEqual(['"id"::text ILIKE $1 ESCAPE \'!\'', ['%12%']]);
    expect(render(pg, { column: 'a"b', op: 'like', value: 'A%' })).toEqual(['"a""b" LIKE $1', ['A%']]);
    expect(render(pg, { column: 'été', op: 'ilike', value: '2024%' })).toEqual(['"été"::text ILIKE $1', ['2024%']]);
    expect(render(pg, { column: 'id', op: 'in', values: ['1', '2'] })).toEqual(['"id" IN ($1, $2)', ['1', '2']]);
    expect(render(pg, { column: 'Order Items', op: 'between', values: ['1.5', '2'] })).toEqual(['"Order Items" BETWEEN $1 AND $2', ['1.5', '2']]);
    expect(render(pg, { column: 'blob', op: 'is-null' })).toEqual(['"blob" IS NULL', []]);
    expect(render(pg, { column: 'blob', op: 'is-not-null' })).toEqual(['"blob" IS NOT NULL', []]);
  });

  it('write every operator on MySQL, numbers cast to compare exactly, contains case-insensitive whatever the collation', () => {
    expect(render(my, { column: 'id', op: '=', value: '18446744073709551615' })).toEqual(['`id` = CAST(? AS DECIMAL(65,30))', ['18446744073709551615']]);
    expect(render(my, { column: 'a"b', op: 'contains', value: 'Ab' })).toEqual(["LOWER(`a\"b`) LIKE LOWER(?) ESCAPE '!'", ['%Ab%']]);
    expect(render(my, { column: 'id', op: 'contains', value: '1' })).toEqual(["LOWER(CAST(`id` AS CHAR)) LIKE LOWER(?) ESCAPE '!'", ['%1%']]);
    expect(render(my, { column: 'a"b', op: 'in', values: ['x', 'y'] })).toEqual(['`a"b` IN (?, ?)', ['x', 'y']]);
    expect(render(my, { column: 'id', op: 'between', values: ['1', '9'] })).toEqual(['`id` BETWEEN CAST(? AS DECIMAL(65,30)) AND CAST(? AS DECIMAL(65,30))', ['1', '9']]);
  });

  it('refuse ILIKE on MySQL, an unknown column, and a MySQL number that is not one, naming the column', () => {
    const refused = (dialect: BrowseDialect, filter: BrowseFilter) => {
      try {
        resolveFilters([filter], columns, dialect);
      } catch (error) {
        return (error as CabinetError).toData();
      }
      return null;
    };
    expect(refused(my, { column: 'a"b', op: 'ilike', value: 'x' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining("ILIKE is PostgreSQL's") });
    expect(refused(pg, { column: 'nope', op: 'is-null' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"nope"') });
    expect(refused(my, { column: 'id', op: '=', value: 'abc' })).toMatchObject({ code: 'SQL_ERROR', message: expect.stringMatching(/"id" needs a whole number .*"abc"/) });
    expect(refused(my, { column: 'Order Items', op: 'in', values: ['1.5', '2x'] })).toMatchObject({ code: 'SQL_ERROR', message: expect.stringContaining('"2x"') });
    expect(refused(my, { column: 'id', op: 'contains', value: 'abc' })).toBeNull();
    expect(refused(pg, { column: 'id', op: '=', value: 'abc' })).toBeNull();
  });

  it('accept MySQL numbers in their usual forms', () => {
    const int = column('i', 'integer', 'bigint');
    const dec = column('d', 'decimal', 'decimal');
    const flt = column('f', 'float', 'double');
    expect(['-12', '+7', ' 42 '].map((v) => mysqlNumberProblem(int, v))).toEqual([null, null, null]);
    expect(mysqlNumberProblem(int, '1.5')).toContain('whole number');
    expect(['1.50', '.5', '-3.'].map((v) => mysqlNumberProblem(dec, v))).toEqual([null, null, null]);
    expect(mysqlNumberProblem(dec, '1e3')).not.toBeNull();
    expect(mysqlNumberProblem(flt, '1e-3')).toBeNull();
  });

  it('escape a contains value so its own wildcards match literally', () => {
    expect(containsPattern('a%b_c!d')).toBe('%a!%b!_c!!d%');
  });
});
