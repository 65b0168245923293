/** The Structure view of a MySQL/MariaDB table or view, read from information_schema. */
import type { ForeignKeyInfo, IndexInfo, KeyConstraint, TableStructure, TriggerInfo } from '../../../shared/browse.ts';
import type { DbSession } from '../drivers/driver.ts';
import { text, textOrNull } from './catalog-values.ts';
import { findMysqlRelation, isMariadb, readMysqlColumns } from './meta-mysql.ts';
import { tableRef, type TableAddress } from './table-path.ts';

async function readIndexes(session: DbSession, address: TableAddress): Promise<IndexInfo[]> {
  const r = await session.query(
    `select INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COLUMN_NAME, SUB_PART
       from information_schema.STATISTICS where TABLE_SCHEMA = ? and TABLE_NAME = ?
      order by INDEX_NAME = 'PRIMARY' desc, INDEX_NAME, SEQ_IN_INDEX`,
    [address.database, address.name],
  );
  const indexes = new Map<string, IndexInfo>();
  for (const row of r.rows) {
    const name = text(row[0]);
    let index = indexes.get(name);
    if (!index) {
      index = { name, columns: [], method: text(row[2]), unique: text(row[1]) === '0', primary: name === 'PRIMARY', predicate: null, definition: null };
      indexes.set(name, index);
    }
    const column = textOrNull(row[3]) ?? '(expression)';
    index.columns.push(row[4] === null ? column : `${column}(${text(row[4])})`);
  }
  return [...indexes.values()];
}

/** Foreign keys out of the table (`out`) or referencing it (`in`), with their ON UPDATE / ON DELETE rules. */
async function readForeignKeys(session: DbSession, address: TableAddress, direction: 'out' | 'in'): Promise<ForeignKeyInfo[]> {
  const where = direction === 'out' ? 'k.TABLE_SCHEMA = ? and k.TABLE_NAME = ?' : 'k.REFERENCED_TABLE_SCHEMA = ? and k.REFERENCED_TABLE_NAME = ?';
  const r = await session.query(
    `select k.CONSTRAINT_NAME, k.TABLE_SCHEMA, k.TABLE_NAME, k.COLUMN_NAME,
            k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE
       from information_schema.KEY_COLUMN_USAGE k
       join information_schema.REFERENTIAL_CONSTRAINTS rc
         on rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA and rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME and rc.TABLE_NAME = k.TABLE_NAME
      where ${where} and k.REFERENCED_TABLE_NAME is not null
      order by k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [address.database, address.name],
  );
  const keys = new Map<string, ForeignKeyInfo>();
  for (const row of r.rows) {
    const id = JSON.stringify([row[1], row[2], row[0]]);
    let key = keys.get(id);
    if (!key) {
      key = {
        name: text(row[0]),
        table: tableRef({ database: text(row[1]), schema: null, name: text(row[2]) }),
        columns: [],
        references: tableRef({ database: text(row[4]), schema: null, name: text(row[5]) }),
        referencedColumns: [],
        onUpdate: text(row[7]),
        onDelete: text(row[8]),
      };
      keys.set(id, key);
    }
    key.columns.push(text(row[3]));
    key.referencedColumns.push(text(row[6]));
  }
  return [...keys.values()];
}

async function readChecks(session: DbSession, address: TableAddress): Promise<TableStructure['checks']> {
  // MariaDB names checks per table (a column check is named after its column), so the join needs the table.
  const sameTable = isMariadb(session) ? ' and cc.TABLE_NAME = tc.TABLE_NAME' : '';
  const r = await session.query(
    `select cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
       from information_schema.TABLE_CONSTRAINTS tc
       join information_schema.CHECK_CONSTRAINTS cc on cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA and cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME${sameTable}
      where tc.TABLE_SCHEMA = ? and tc.TABLE_NAME = ? and tc.CONSTRAINT_TYPE = 'CHECK'
      order by cc.CONSTRAINT_NAME`,
    [address.database, address.name],
  );
  return r.rows.map((row) => ({ name: text(row[0]), expression: text(row[1]) }));
}

async function readTriggers(session: DbSession, address: TableAddress): Promise<TriggerInfo[]> {
  const r = await session.query(
    `select TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORIENTATION, ACTION_STATEMENT
       from information_schema.TRIGGERS where EVENT_OBJECT_SCHEMA = ? and EVENT_OBJECT_TABLE = ?
      order by TRIGGER_NAME`,
    [address.database, address.name],
  );
  return r.rows.map((row) => ({
    name: text(row[0]),
    timing: text(row[1]),
    events: [text(row[2])],
    level: text(row[3]) === 'STATEMENT' ? 'statement' : 'row',
    enabled: true,
    definition: text(row[4]),
  }));
}

export async function readMysqlStructure(session: DbSession, address: TableAddress): Promise<TableStructure> {
  const relation = await findMysqlRelation(session, address);
  const columns = await readMysqlColumns(session, address);
  const indexes = relation.kind === 'view' ? [] : await readIndexes(session, address);
  const primary = indexes.find((i) => i.primary);
  const uniqueConstraints: KeyConstraint[] = indexes.filter((i) => i.unique && !i.primary).map((i) => ({ name: i.name, columns: i.columns }));
  let viewDefinition: string | null = null;
  if (relation.kind === 'view') {
    const r = await session.query('select VIEW_DEFINITION from information_schema.VIEWS where TABLE_SCHEMA = ? and TABLE_NAME = ?', [address.database, address.name]);
    viewDefinition = textOrNull(r.rows[0]?.[0]);
  }
  return {
    table: { ...tableRef(address, relation.kind), kind: relation.kind },
    comment: relation.comment,
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      default: c.default,
      generated: c.generated,
      generationExpression: c.generationExpression,
      comment: c.comment,
    })),
    primaryKey: primary ? { name: primary.name, columns: primary.columns } : null,
    uniqueConstraints,
    indexes,
    foreignKeys: relation.kind === 'view' ? [] : await readForeignKeys(session, address, 'out'),
    referencedBy: relation.kind === 'view' ? [] : await readForeignKeys(session, address, 'in'),
    checks: relation.kind === 'view' ? [] : await readChecks(session, address),
    triggers: relation.kind === 'view' ? [] : await readTriggers(session, address),
    viewDefinition,
    partitionKey: null,
    partitions: [],
    partitionOf: null,
  };
}
