/**
 * The SQL a change set becomes, per engine, as pure functions: every value is a parameter, every identifier
 * quoted by the engine's rules. Nothing here talks to a server.
 *
 * PostgreSQL needs no casts: a parameter in `SET c = $1`, `VALUES ($1)` and `c = $1` takes the column's own
 * type from the server (enums, arrays, domains, numeric…), and a value that does not fit fails there by name.
 * (`$1::varchar(3)` would silently cut the text, so the declared type is never pasted.) Types without an
 * equality operator (json, xml, geometric) are compared as text, which is what the user saw.
 * MySQL compares a string with a number as two doubles, so integer and decimal parameters compared with a
 * column are cast to DECIMAL(65,30); FLOAT and JSON compare as text. Bytes are hex text turned into bytes by
 * the statement (`decode($1, 'hex')`, `UNHEX(?)`), so the preview shows exactly what is sent.
 */
import { neverWritten, type ColumnGeneration, type ColumnTypeClass, type SqlParam } from '../../../shared/browse.ts';
import type { ChangeRef, EditStatement, EditValue, ParsedChangeSet } from '../../../shared/edits.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { quoteIdent } from '../../../shared/identifiers.ts';
import type { Engine } from '../../../shared/profiles.ts';
import type { ServerErrorFields } from '../drivers/errors.ts';

export interface EditColumn {
  name: string;
  /** The base type name (lower case): `int4`, `_text`, `varchar`, `json`… */
  dataType: string;
  typeClass: ColumnTypeClass;
  generated: ColumnGeneration | null;
}

/** What the SQL needs to know of a table. */
export interface EditTarget {
  engine: Engine;
  /** `"schema"."name"` or `` `db`.`name` ``. */
  sqlName: string;
  columns: EditColumn[];
  /** The key's columns (primary, or unique on NOT NULL columns); null when there is none. */
  key: string[] | null;
  /** A view, and what the engine says may be done through it. */
  view?: { updatable: boolean; insertable: boolean };
  displayName: string;
}

export interface PlannedStatement extends EditStatement {
  /** PostgreSQL statements end in RETURNING the row; MySQL rows are read again afterwards. */
  returnsRow: boolean;
}

const PG_TEXT_COMPARED = new Set(['json', 'xml', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);
const MYSQL_EXACT_NUMBER = 'DECIMAL(65,30)';

/** Columns the server fills itself: never written. */

const isBytes = (value: EditValue): value is { kind: 'bytes'; hex: string } => value !== null && typeof value === 'object';

class Builder {
  readonly params: SqlParam[] = [];
  constructor(private readonly engine: Engine) {}

  ident(name: string): string {
    return quoteIdent(this.engine, name);
  }

  private placeholder(value: SqlParam): string {
    this.params.push(value);
    return this.engine === 'postgres' ? `$${this.params.length}` : '?';
  }

  /** The value as written into a column. */
  value(value: EditValue): string {
    if (isBytes(value)) {
      const p = this.placeholder(value.hex.toLowerCase());
      return this.engine === 'postgres' ? `decode(${p}, 'hex')` : `UNHEX(${p})`;
    }
    return this.placeholder(value);
  }

  /** `column` holds `value`: `=` for a key (never NULL, and an index serves it), NULL-safe otherwise. */
  compare(column: EditColumn, value: EditValue, nullSafe: boolean): string {
    const name = this.ident(column.name);
    if (this.engine === 'postgres') {
      const op = nullSafe ? 'IS NOT DISTINCT FROM' : '=';
      if (isBytes(value)) return `${name} ${op} ${this.value(value)}`;
      if (PG_TEXT_COMPARED.has(column.dataType.replace(/^_/, ''))) return `${name}::text ${op} ${this.value(value)}::text`;
      return `${name} ${op} ${this.value(value)}`;
    }
    const op = nullSafe ? '<=>' : '=';
    if (isBytes(value)) return `${name} ${op} ${this.value(value)}`;
    if (column.typeClass === 'float' || column.typeClass === 'json') return `CAST(${name} AS CHAR) ${op} ${this.value(value)}`;
    if (column.typeClass === 'integer' || column.typeClass === 'decimal') return `${name} ${op} CAST(${this.value(value)} AS ${MYSQL_EXACT_NUMBER})`;
    return `${name} ${op} ${this.value(value)}`;
  }
}

function refuse(message: string): never {
  throw new CabinetError({ code: 'BAD_INPUT', message });
}

function columnOf(target: EditTarget, name: string): EditColumn {
  const column = target.columns.find((c) => c.name === name);
  if (!column) refuse(`"${target.displayName}" has no column "${name}": refresh the table.`);
  return column;
}

function writable(target: EditTarget, name: string): EditColumn {
  const column = columnOf(target, name);
  if (neverWritten(column.generated)) {
    const what = column.generated === 'identity-always' ? 'an identity column (GENERATED ALWAYS)' : 'a generated column';
    refuse(`"${name}" is ${what}: the server fills it, so it cannot be written.`);
  }
  return column;
}

/** The key's columns, or a one-line reason why rows cannot be told apart. */
function keyColumns(target: EditTarget, what: 'updated' | 'deleted'): string[] {
  if (target.view && !target.view.updatable) refuse(`"${target.displayName}" is a view the server does not report updatable: its rows cannot be ${what}.`);
  if (!target.key) refuse(`"${target.displayName}" has no primary key or unique NOT NULL key, so its rows cannot be told apart: rows can be inserted, not ${what}.`);
  return target.key;
}

/** The key as the user saw it: exactly the key's columns, none NULL. */
function keyWhere(b: Builder, target: EditTarget, key: Record<string, EditValue>, what: 'updated' | 'deleted'): string[] {
  const columns = keyColumns(target, what);
  const given = Object.keys(key);
  if (given.length !== columns.length || columns.some((c) => !Object.hasOwn(key, c))) {
    refuse(`A row's key must give exactly the key columns of "${target.displayName}": ${columns.join(', ')}.`);
  }
  return columns.map((name) => {
    const value = key[name]!;
    if (value === null) refuse(`The key column "${name}" cannot be NULL.`);
    return b.compare(columnOf(target, name), value, false);
  });
}

function expectedWhere(b: Builder, target: EditTarget, expected: Record<string, EditValue>, key: Record<string, EditValue>): string[] {
  return Object.entries(expected)
    .filter(([name]) => !Object.hasOwn(key, name))
    .map(([name, value]) => b.compare(columnOf(target, name), value, true));
}

function returning(target: EditTarget): string {
  return target.engine === 'postgres' ? ` RETURNING ${target.columns.map((c) => quoteIdent('postgres', c.name)).join(', ')}` : '';
}

export function updateStatement(target: EditTarget, update: ParsedChangeSet['updates'][number], change: ChangeRef): PlannedStatement {
  const b = new Builder(target.engine);
  const sets = Object.entries(update.set);
  if (sets.length === 0) refuse('An update must set at least one column.');
  const assignments = sets.map(([name, value]) => `${b.ident(writable(target, name).name)} = ${b.value(value)}`);
  const where = [...keyWhere(b, target, update.key, 'updated'), ...expectedWhere(b, target, update.expected, update.key)];
  const sql = `UPDATE ${target.sqlName} SET ${assignments.join(', ')} WHERE ${where.join(' AND ')}${returning(target)}`;
  return { change, sql, params: b.params, returnsRow: target.engine === 'postgres' };
}

export function deleteStatement(target: EditTarget, del: ParsedChangeSet['deletes'][number], change: ChangeRef): PlannedStatement {
  const b = new Builder(target.engine);
  const where = [...keyWhere(b, target, del.key, 'deleted'), ...expectedWhere(b, target, del.expected ?? {}, del.key)];
  return { change, sql: `DELETE FROM ${target.sqlName} WHERE ${where.join(' AND ')}`, params: b.params, returnsRow: false };
}

export function insertStatement(target: EditTarget, insert: ParsedChangeSet['inserts'][number], change: ChangeRef): PlannedStatement {
  if (target.view && !target.view.insertable) refuse(`"${target.displayName}" is a view the server does not report insertable: rows cannot be inserted.`);
  const b = new Builder(target.engine);
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, value] of Object.entries(insert.values)) {
    const isDefault = value !== null && typeof value === 'object' && 'default' in value;
    const column = isDefault ? columnOf(target, name) : writable(target, name);
    names.push(b.ident(column.name));
    values.push(isDefault ? 'DEFAULT' : b.value(value));
  }
  let sql: string;
  if (names.length === 0) sql = target.engine === 'postgres' ? `INSERT INTO ${target.sqlName} DEFAULT VALUES` : `INSERT INTO ${target.sqlName} () VALUES ()`;
  else sql = `INSERT INTO ${target.sqlName} (${names.join(', ')}) VALUES (${values.join(', ')})`;
  return { change, sql: sql + returning(target), params: b.params, returnsRow: target.engine === 'postgres' };
}

/** Every statement of a change set, in the order they run: deletes (a key freed can be reused), updates, inserts. */
export function planChangeSet(target: EditTarget, changes: ParsedChangeSet): PlannedStatement[] {
  return [
    ...changes.deletes.map((d, index) => deleteStatement(target, d, { kind: 'delete', index })),
    ...changes.updates.map((u, index) => updateStatement(target, u, { kind: 'update', index })),
    ...changes.inserts.map((i, index) => insertStatement(target, i, { kind: 'insert', index })),
  ];
}

/**
 * One SELECT reading rows by key, each tagged with its position in `keys` (the first column): a UNION ALL
 * of one branch per row, so many rows come back in one round trip and each is told apart without
 * comparing key texts.
 */
export function readByKeyStatement(target: EditTarget, keys: Record<string, EditValue>[]): { sql: string; params: SqlParam[] } {
  const b = new Builder(target.engine);
  const columns = target.columns.map((c) => b.ident(c.name)).join(', ');
  const branches = keys.map((key, i) => {
    const where = Object.entries(key).map(([name, value]) => b.compare(columnOf(target, name), value, false));
    return `SELECT ${i} AS ${b.ident('#')}, ${columns} FROM ${target.sqlName} WHERE ${where.join(' AND ')}`;
  });
  return { sql: branches.join(' UNION ALL '), params: b.params };
}

/** What the server said about a failed statement: its message, and the fields PostgreSQL names beside it. */
export interface ServerFailure {
  message: string;
  detail?: string;
  sqlState?: string;
  fields?: ServerErrorFields;
}

/** Where a constraint error points: the constraint's name and, when the message names it, the column. */
export interface FailurePlace {
  constraint: string | null;
  column: string | null;
}

/**
 * The constraint and column a failure names: PostgreSQL's error fields (a unique or foreign key error names its
 * constraint, a not-null error its column); MySQL names them only in its message, which is read here.
 */
export function failurePlace(engine: Engine, failure: ServerFailure): FailurePlace {
  if (engine === 'postgres') return { constraint: failure.fields?.constraint ?? null, column: failure.fields?.column ?? null };
  const m = failure.message;
  // `Column 'nm' cannot be null`; MariaDB's `Incorrect integer value: 'x' for column `db`.`t`.`n` at row 1`.
  const column = /column '((?:[^']|'')+)'/i.exec(m)?.[1] ?? /for column (?:`(?:[^`]|``)+`\.)*`((?:[^`]|``)+)`/i.exec(m)?.[1]?.replace(/``/g, '`') ?? null;
  if (column) return { constraint: null, column };
  const duplicate = /Duplicate entry '.*' for key '((?:[^']|'')+)'/s.exec(m);
  if (duplicate) return { constraint: duplicate[1]!.replace(/^.*\./, ''), column: null };
  const foreign = /CONSTRAINT `((?:[^`]|``)+)` FOREIGN KEY \(`((?:[^`]|``)+)`.*?\) REFERENCES `(?:[^`]|``)+` \(`((?:[^`]|``)+)`/s.exec(m);
  if (foreign) {
    // A child row refers to a missing parent: the child's column; a parent row is still referred to: the parent's.
    const parent = /Cannot delete or update a parent row/i.test(m);
    return { constraint: foreign[1]!.replace(/``/g, '`'), column: (parent ? foreign[3]! : foreign[2]!).replace(/``/g, '`') };
  }
  // MySQL `Check constraint 'c' is violated.`; MariaDB `CONSTRAINT `c` failed for `db`.`t``.
  const check = /Check constraint '((?:[^']|'')+)' is violated/i.exec(m)?.[1] ?? /CONSTRAINT `((?:[^`]|``)+)` failed/i.exec(m)?.[1]?.replace(/``/g, '`');
  return { constraint: check ?? null, column: null };
}
