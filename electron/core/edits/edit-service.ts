/**
 * Applies a change set to one table: one transaction on a session of its own, each statement checked to have
 * touched its row; a conflict or a refused statement rolls everything back and says which change it was.
 */
import type { AppliedRow, ApplyResult, ChangeRef, EditConflict, EditPreview, EditValue, ParsedChangeSet } from '../../../shared/edits.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { quoteIdent } from '../../../shared/identifiers.ts';
import type { CellValue } from '../../../shared/values.ts';
import { stringList, text } from '../browse/catalog-values.ts';
import { readMysqlMeta } from '../browse/meta-mysql.ts';
import { readPostgresMeta } from '../browse/meta-postgres.ts';
import type { TableMeta } from '../browse/table-meta.ts';
import { parseTablePath, type TableAddress } from '../browse/table-path.ts';
import { connect, type Endpoint } from '../connections/connector.ts';
import type { DbSession } from '../drivers/driver.ts';
import { ServerSqlError, type ServerErrorFields } from '../drivers/errors.ts';
import { failurePlace, planChangeSet, readByKeyStatement, type EditTarget, type PlannedStatement } from './edit-sql.ts';

export const EDITS_APPLICATION_NAME = 'Cabinet edits';

export interface EditServiceDeps {
  /** The endpoint of an open connection (throws NOT_CONNECTED when it is closed), on another database when one is named. */
  endpointFor(connectionId: string, database?: string): Endpoint;
}

/** Rows read again per SELECT after a MySQL apply (one UNION ALL branch each). */
const READ_BACK_CHUNK = 200;

async function viewFlags(session: DbSession, meta: TableMeta, address: TableAddress): Promise<EditTarget['view']> {
  const kind = meta.table.kind;
  if (kind === 'materialized-view') return { updatable: false, insertable: false };
  if (kind !== 'view') return undefined;
  if (session.engine === 'postgres') {
    const r = await session.query('select is_updatable, is_insertable_into from information_schema.views where table_schema = $1 and table_name = $2', [address.schema, address.name]);
    return { updatable: text(r.rows[0]?.[0]) === 'YES', insertable: text(r.rows[0]?.[1]) === 'YES' };
  }
  const r = await session.query('select IS_UPDATABLE from information_schema.VIEWS where TABLE_SCHEMA = ? and TABLE_NAME = ?', [address.database, address.name]);
  const updatable = text(r.rows[0]?.[0]) === 'YES';
  return { updatable, insertable: updatable };
}

/** The table as the SQL builder needs it, read with the browse readers. */
export async function readEditTarget(session: DbSession, address: TableAddress): Promise<EditTarget> {
  const quote = (name: string) => quoteIdent(session.engine, name);
  const meta = session.engine === 'postgres' ? await readPostgresMeta(session, address, quote) : await readMysqlMeta(session, address, quote);
  return {
    engine: session.engine,
    sqlName: meta.sqlName,
    columns: meta.columns.map((c) => ({ name: c.name, dataType: c.dataType, typeClass: c.typeClass, generated: c.generated })),
    key: meta.key?.columns ?? null,
    view: await viewFlags(session, meta, address),
    displayName: address.schema === null ? address.name : `${address.schema}.${address.name}`,
  };
}

const isSqlError = (error: unknown): error is CabinetError => error instanceof CabinetError && error.code === 'SQL_ERROR';

export class EditService {
  constructor(private readonly deps: EditServiceDeps) {}

  private endpoint(connectionId: string, path: string[]): { endpoint: Endpoint; address: TableAddress } {
    const { engine } = this.deps.endpointFor(connectionId).params;
    const address = parseTablePath(engine, path);
    return { endpoint: this.deps.endpointFor(connectionId, engine === 'postgres' ? address.database : undefined), address };
  }

  private async withSession<T>(endpoint: Endpoint, work: (session: DbSession) => Promise<T>): Promise<T> {
    const session = await connect(endpoint, { applicationName: EDITS_APPLICATION_NAME });
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  async preview(connectionId: string, path: string[], changes: ParsedChangeSet): Promise<EditPreview> {
    const { endpoint, address } = this.endpoint(connectionId, path);
    return this.withSession(endpoint, async (session) => {
      const target = await readEditTarget(session, address);
      return { engine: session.engine, statements: planChangeSet(target, changes).map(({ change, sql, params }) => ({ change, sql, params })) };
    });
  }

  async apply(connectionId: string, path: string[], changes: ParsedChangeSet, signal?: AbortSignal): Promise<ApplyResult> {
    const { endpoint, address } = this.endpoint(connectionId, path);
    if (endpoint.readOnly) {
      throw new CabinetError({ code: 'BAD_INPUT', message: 'This connection is read-only: changes cannot be applied. Clear "Read-only" in its profile to edit.' });
    }
    if (signal?.aborted) throw new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that sent these changes has closed.' });
    return this.withSession(endpoint, async (session) => {
      const target = await readEditTarget(session, address);
      // Refusals (no key, generated columns, views) throw here, before the transaction starts.
      const plan = planChangeSet(target, changes);
      return applyPlan(session, target, changes, plan);
    });
  }
}

function keyOf(change: ChangeRef, changes: ParsedChangeSet): Record<string, EditValue> {
  return change.kind === 'update' ? changes.updates[change.index]!.key : changes.deletes[change.index]!.key;
}

/** The key a row has after its change, for reading it again (MySQL): null when it cannot be known. */
function keyAfter(target: EditTarget, change: ChangeRef, changes: ParsedChangeSet, insertId: string | null): Record<string, EditValue> | null {
  if (!target.key) return null;
  const key: Record<string, EditValue> = {};
  for (const name of target.key) {
    if (change.kind === 'update') {
      const update = changes.updates[change.index]!;
      key[name] = Object.hasOwn(update.set, name) ? update.set[name]! : update.key[name]!;
      continue;
    }
    const value = changes.inserts[change.index]!.values[name];
    const column = target.columns.find((c) => c.name === name);
    if (value !== undefined && !(value !== null && typeof value === 'object' && 'default' in value)) key[name] = value;
    else if (column?.generated === 'auto-increment' && insertId !== null) key[name] = insertId;
    else return null;
  }
  return key;
}

async function readRowsByKey(session: DbSession, target: EditTarget, keys: Record<string, EditValue>[]): Promise<(CellValue[] | null)[]> {
  const found: (CellValue[] | null)[] = keys.map(() => null);
  for (let first = 0; first < keys.length; first += READ_BACK_CHUNK) {
    const chunk = keys.slice(first, first + READ_BACK_CHUNK);
    const { sql, params } = readByKeyStatement(target, chunk);
    const r = await session.query(sql, params);
    for (const row of r.rows) found[first + Number(row[0])] = row.slice(1);
  }
  return found;
}

async function rollback(session: DbSession): Promise<void> {
  await session.query('ROLLBACK').catch(() => undefined);
}

async function applyPlan(session: DbSession, target: EditTarget, changes: ParsedChangeSet, plan: PlannedStatement[]): Promise<ApplyResult> {
  const started = performance.now();
  const postgres = target.engine === 'postgres';
  const conflicts: ChangeRef[] = [];
  const rows: AppliedRow[] = [];
  /** MySQL: rows to read again once every statement ran. */
  const pending: { change: ChangeRef; key: Record<string, EditValue> | null }[] = [];
  let failure: { change: ChangeRef | null; error: CabinetError } | null = null;
  const needsInsertId = !postgres && target.key !== null && target.key.some((k) => target.columns.find((c) => c.name === k)?.generated === 'auto-increment');

  await session.query(postgres ? 'BEGIN' : 'START TRANSACTION');
  try {
    for (const statement of plan) {
      let result;
      try {
        result = await session.query(statement.sql, statement.params);
      } catch (error) {
        if (!isSqlError(error)) throw error;
        failure = { change: statement.change, error };
        break;
      }
      if (result.rowCount === 0) {
        // Go on: every conflicting row is reported at once (a later statement may fail only because of it).
        conflicts.push(statement.change);
        continue;
      }
      if (statement.change.kind === 'delete') continue;
      if (statement.returnsRow) {
        rows.push({ change: statement.change, values: result.rows[0] ?? null });
      } else {
        let insertId: string | null = null;
        if (statement.change.kind === 'insert' && needsInsertId) insertId = text((await session.query('SELECT LAST_INSERT_ID()')).rows[0]?.[0]);
        pending.push({ change: statement.change, key: keyAfter(target, statement.change, changes, insertId) });
      }
    }
    if (conflicts.length === 0 && failure === null && pending.length > 0) {
      const known = pending.filter((p) => p.key !== null);
      const read = await readRowsByKey(session, target, known.map((p) => p.key!));
      const byChange = new Map(known.map((p, i) => [p.change, read[i] ?? null]));
      for (const p of pending) rows.push({ change: p.change, values: byChange.get(p.change) ?? null });
    }
  } catch (error) {
    await rollback(session);
    throw error;
  }

  if (conflicts.length > 0) {
    await rollback(session);
    const current = await readRowsByKey(session, target, conflicts.map((c) => keyOf(c, changes)));
    const names = target.columns.map((c) => c.name);
    return {
      status: 'conflict',
      conflicts: conflicts.map((change, i): EditConflict => {
        const row = current[i];
        const source = change.kind === 'update' ? changes.updates[change.index]! : changes.deletes[change.index]!;
        return {
          change,
          expected: { ...source.key, ...(source.expected ?? {}) },
          current: row ? Object.fromEntries(names.map((name, j) => [name, row[j] ?? null])) : null,
        };
      }),
    };
  }
  if (failure === null) {
    try {
      await session.query('COMMIT');
    } catch (error) {
      if (!isSqlError(error)) throw error;
      failure = { change: null, error };
    }
  }
  if (failure !== null) {
    await rollback(session);
    const { error } = failure;
    const fields = error instanceof ServerSqlError ? error.fields : {};
    const place = failurePlace(target.engine, { message: error.message, detail: error.detail, sqlState: error.sqlState, fields });
    const constrained = place.constraint ? await constraintColumns(session, target, place.constraint, fields) : [];
    // Of a constraint's columns, the one the update set; a value refused without a column named (a type error): the one column set.
    const set = failure.change?.kind === 'update' ? Object.keys(changes.updates[failure.change.index]!.set) : [];
    const column = place.column ?? constrained.find((c) => set.includes(c)) ?? constrained[0] ?? (set.length === 1 ? set[0]! : null);
    return {
      status: 'failed',
      change: failure.change,
      column,
      columns: column === null ? constrained : [column, ...constrained.filter((c) => c !== column)],
      constraint: place.constraint,
      message: error.message,
      detail: error.detail ?? null,
      sqlState: error.sqlState ?? null,
    };
  }
  return {
    status: 'applied',
    statements: plan.map(({ change, sql, params }) => ({ change, sql, params })),
    columns: target.columns.map((c) => c.name),
    rows,
    elapsedMs: performance.now() - started,
  };
}

/**
 * The table's columns a named constraint (or unique index) covers, in its order, from the catalog: a foreign key
 * refused on the referencing side names its own columns, on the referenced side (a parent row still referred to)
 * the referenced ones. Empty when unknown.
 */
async function constraintColumns(session: DbSession, target: EditTarget, constraint: string, fields: ServerErrorFields): Promise<string[]> {
  try {
    if (target.engine === 'postgres') {
      const r = await session.query(
        `select (select json_agg(a.attname order by k.n)
                   from unnest(case when c.conrelid = $2::regclass then c.conkey else c.confkey end) with ordinality k(attnum, n)
                   join pg_attribute a on a.attrelid = $2::regclass and a.attnum = k.attnum)
           from pg_constraint c
          where c.conname = $1 and (c.conrelid = $2::regclass or c.confrelid = $2::regclass)
            and ($4::text is null or c.conrelid = to_regclass(format('%I.%I', $3::text, $4::text)))
         union all
         select (select json_agg(a.attname order by k.n) from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum)
           from pg_index i join pg_class ci on ci.oid = i.indexrelid
          where ci.relname = $1 and i.indrelid = $2::regclass
         limit 1`,
        [constraint, target.sqlName, fields.schema ?? null, fields.table ?? null],
      );
      return stringList(r.rows[0]?.[0]);
    }
    const [schema, table] = target.sqlName.match(/`(?:[^`]|``)+`/g)!.map((part) => part.slice(1, -1).replace(/``/g, '`'));
    const index = await session.query(
      `select COLUMN_NAME from information_schema.STATISTICS where TABLE_SCHEMA = ? and TABLE_NAME = ? and INDEX_NAME = ? order by SEQ_IN_INDEX`,
      [schema, table, constraint],
    );
    if (index.rows.length > 0) return index.rows.map((row) => text(row[0]));
    const foreign = await session.query(
      `select if(TABLE_SCHEMA = ? and TABLE_NAME = ?, COLUMN_NAME, REFERENCED_COLUMN_NAME) from information_schema.KEY_COLUMN_USAGE
        where CONSTRAINT_SCHEMA = ? and CONSTRAINT_NAME = ? and REFERENCED_TABLE_NAME is not null
          and ((TABLE_SCHEMA = ? and TABLE_NAME = ?) or (REFERENCED_TABLE_SCHEMA = ? and REFERENCED_TABLE_NAME = ?))
        order by ORDINAL_POSITION`,
      [schema, table, schema, constraint, schema, table, schema, table],
    );
    if (foreign.rows.length > 0) return foreign.rows.map((row) => text(row[0]));
    // A MariaDB column-level CHECK is named after its column.
    if (target.columns.some((c) => c.name === constraint)) return [constraint];
    // A table-level CHECK: the table's columns its clause names, in the order it names them.
    const check = await session.query(
      'select CHECK_CLAUSE from information_schema.CHECK_CONSTRAINTS where CONSTRAINT_SCHEMA = ? and CONSTRAINT_NAME = ? limit 1',
      [schema, constraint],
    );
    const clause = text(check.rows[0]?.[0]);
    const named = target.columns.map((c) => ({ name: c.name, at: clause.indexOf(quoteIdent('mysql', c.name)) })).filter((c) => c.at >= 0);
    named.sort((a, b) => a.at - b.at);
    return named.map((c) => c.name);
  } catch {
    return [];
  }
}
