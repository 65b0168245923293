/** The SQL a change set becomes, per engine: parameters only, identifiers quoted, refusals in one line. */
import { describe, expect, it } from 'vitest';
import { changeSetSchema, type ChangeSet } from '../../shared/edits.ts';
import { failurePlace, planChangeSet, readByKeyStatement, type EditTarget } from '../../electron/core/edits/edit-sql.ts';

const columns: EditTarget['columns'] = [
  { name: 'id', dataType: 'int8', typeClass: 'integer', generated: null },
  { name: 'Na"me`', dataType: 'text', typeClass: 'text', generated: null },
  { name: 'doc', dataType: 'json', typeClass: 'json', generated: null },
  { name: 'bin', dataType: 'bytea', typeClass: 'binary', generated: null },
  { name: 'total', dataType: 'int4', typeClass: 'integer', generated: 'stored' },
];
const pg: EditTarget = { engine: 'postgres', sqlName: '"public"."t"', columns, key: ['id'], displayName: 'public.t' };
const my: EditTarget = { engine: 'mysql', sqlName: '`db`.`t`', columns, key: ['id'], displayName: 't' };
const parse = (changes: ChangeSet) => changeSetSchema.parse(changes);

describe('edit SQL', () => {
  const changes = parse({
    updates: [{ key: { id: '9223372036854775807' }, set: { 'Na"me`': "O'Brien", bin: { kind: 'bytes', hex: '00FF' } }, expected: { 'Na"me`': null, doc: '{"a": [1]}' } }],
    inserts: [{ values: { id: { default: true }, 'Na"me`': 'NULL' } }, { values: {} }],
    deletes: [{ key: { id: '1' } }],
  });

  it('writes PostgreSQL statements with $n parameters, NULL-safe checks and RETURNING', () => {
    const plan = planChangeSet(pg, changes);
    expect(plan.map((s) => s.change)).toEqual([{ kind: 'delete', index: 0 }, { kind: 'update', index: 0 }, { kind: 'insert', index: 0 }, { kind: 'insert', index: 1 }]);
    expect(plan[0]).toMatchObject({ sql: 'DELETE FROM "public"."t" WHERE "id" = $1', params: ['1'] });
    const returning = ' RETURNING "id", "Na""me`", "doc", "bin", "total"';
    expect(plan[1]).toMatchObject({
      sql: `UPDATE "public"."t" SET "Na""me\`" = $1, "bin" = decode($2, 'hex') WHERE "id" = $3 AND "Na""me\`" IS NOT DISTINCT FROM $4 AND "doc"::text IS NOT DISTINCT FROM $5::text${returning}`,
      params: ["O'Brien", '00ff', '9223372036854775807', null, '{"a": [1]}'],
    });
    expect(plan[2]).toMatchObject({ sql: `INSERT INTO "public"."t" ("id", "Na""me\`") VALUES (DEFAULT, $1)${returning}`, params: ['NULL'] });
    expect(plan[3]).toMatchObject({ sql: `INSERT INTO "public"."t" DEFAULT VALUES${returning}`, params: [] });
  });

  it('writes MySQL statements with ? parameters, exact number comparisons and <=>', () => {
    const plan = planChangeSet(my, changes);
    expect(plan[0]).toMatchObject({ sql: 'DELETE FROM `db`.`t` WHERE `id` = CAST(? AS DECIMAL(65,30))', params: ['1'] });
    expect(plan[1]).toMatchObject({
      sql: 'UPDATE `db`.`t` SET `Na"me``` = ?, `bin` = UNHEX(?) WHERE `id` = CAST(? AS DECIMAL(65,30)) AND `Na"me``` <=> ? AND CAST(`doc` AS CHAR) <=> ?',
      params: ["O'Brien", '00ff', '9223372036854775807', null, '{"a": [1]}'],
    });
    expect(plan[2]).toMatchObject({ sql: 'INSERT INTO `db`.`t` (`id`, `Na"me```) VALUES (DEFAULT, ?)', params: ['NULL'] });
    expect(plan[3]).toMatchObject({ sql: 'INSERT INTO `db`.`t` () VALUES ()', params: [] });
    expect(plan.every((s) => !s.sql.includes("O'Brien"))).toBe(true);
  });

  it('reads rows by key in one UNION ALL, tagged by position', () => {
    expect(readByKeyStatement(my, [{ id: '1' }, { id: '2' }])).toEqual({
      sql: 'SELECT 0 AS `#`, `id`, `Na"me```, `doc`, `bin`, `total` FROM `db`.`t` WHERE `id` = CAST(? AS DECIMAL(65,30)) UNION ALL SELECT 1 AS `#`, `id`, `Na"me```, `doc`, `bin`, `total` FROM `db`.`t` WHERE `id` = CAST(? AS DECIMAL(65,30))',
      params: ['1', '2'],
    });
  });

  it('refuses with one line: generated columns, no key, wrong key, views', () => {
    const refusal = (target: EditTarget, c: ChangeSet) => {
      try {
        planChangeSet(target, parse(c));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal(pg, { updates: [{ key: { id: '1' }, set: { total: '3' }, expected: {} }] })).toMatch(/"total" is a generated column/);
    expect(refusal(pg, { inserts: [{ values: { total: '3' } }] })).toMatch(/generated/);
    const keyless = { ...pg, key: null };
    expect(refusal(keyless, { deletes: [{ key: { id: '1' } }] })).toMatch(/no primary key or unique NOT NULL key/);
    expect(planChangeSet(keyless, parse({ inserts: [{ values: { id: '1' } }] }))).toHaveLength(1);
    expect(refusal(pg, { updates: [{ key: { 'Na"me`': 'x' }, set: { id: '3' }, expected: {} }] })).toMatch(/exactly the key columns/);
    expect(refusal(pg, { updates: [{ key: { id: null }, set: { id: '3' }, expected: {} }] })).toMatch(/cannot be NULL/);
    expect(refusal({ ...pg, view: { updatable: false, insertable: false } }, { inserts: [{ values: {} }] })).toMatch(/view/);
    expect(refusal(pg, { updates: [{ key: { id: '1' }, set: {}, expected: {} }] })).toMatch(/at least one column/);
    for (const message of [refusal(pg, { updates: [{ key: { id: '1' }, set: { nope: '1' }, expected: {} }] })]) expect(message).not.toContain('\n');
  });

  it('checks values at the door: hex bytes only', () => {
    expect(changeSetSchema.safeParse({ updates: [{ key: { id: '1' }, set: { bin: { kind: 'bytes', hex: 'zz' } }, expected: {} }] }).success).toBe(false);
    expect(changeSetSchema.safeParse({ updates: [{ key: { id: '1' }, set: { bin: { kind: 'bytes', hex: 'abc' } }, expected: {} }] }).success).toBe(false);
  });

  it('reads the constraint and column from server messages', () => {
    // PostgreSQL: the error's fields, never its text (a message naming another column says nothing).
    expect(failurePlace('postgres', { message: 'null value in column "x"', fields: { column: 'a"b', table: 't', schema: 'public' } })).toEqual({ constraint: null, column: 'a"b' });
    expect(failurePlace('postgres', { message: 'duplicate key value violates unique constraint "t_code_key"', fields: { constraint: 't_code_key' } })).toEqual({ constraint: 't_code_key', column: null });
    expect(failurePlace('postgres', { message: 'new row for relation "t" violates check constraint "t_qty_check"' })).toEqual({ constraint: null, column: null });
    expect(failurePlace('mysql', { message: "Incorrect integer value: 'x' for column `db`.`t`.`n``m` at row 1" })).toEqual({ constraint: null, column: 'n`m' });
    expect(failurePlace('mysql', { message: "Column 'nm' cannot be null" })).toEqual({ constraint: null, column: 'nm' });
    expect(failurePlace('mysql', { message: "Duplicate entry 'c2' for key 'child.code'" })).toEqual({ constraint: 'code', column: null });
    expect(
      failurePlace('mysql', {
        message: 'Cannot add or update a child row: a foreign key constraint fails (`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`))',
      }),
    ).toEqual({ constraint: 'fk', column: 'pid' });
    expect(
      failurePlace('mysql', {
        message: 'Cannot delete or update a parent row: a foreign key constraint fails (`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `parent` (`id`))',
      }),
    ).toEqual({ constraint: 'fk', column: 'id' });
    expect(failurePlace('mysql', { message: "Check constraint 'child_qty' is violated." })).toEqual({ constraint: 'child_qty', column: null });
    expect(failurePlace('mysql', { message: 'CONSTRAINT `child_qty` failed for `db`.`child`' })).toEqual({ constraint: 'child_qty', column: null });
  });
});
