import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { CellValue, ColumnInfo } from '../../../../shared/values.ts';
import type { ColumnSource, StatementCursor } from '../driver.ts';
import { toCabinetError } from '../errors.ts';
import { exactTypes, pgTypeName } from './values.ts';

interface CursorResult {
  fields: { name: string; dataTypeID: number; tableID: number; columnID: number }[];
  command: string | null;
  rowCount: number | null;
}

/**
 * A statement read through a server-side portal (pg-cursor): rows come `count` at a time as the grid asks, so a
 * ten-million-row result never sits in memory. The portal lives in the statement's transaction (implicit when
 * none was begun) until the last row is read or the cursor is closed.
 */
export async function openPostgresStatement(client: pg.Client, sql: string): Promise<StatementCursor> {
  const cursor = client.query(new Cursor<CellValue[]>(sql, [], { rowMode: 'array', types: exactTypes }));
  const result = () => (cursor as unknown as { _result: CursorResult })._result;
  let done = false;
  let firstBatch: CellValue[][] | undefined;

  const read = async (count: number): Promise<CellValue[][]> => {
    if (done) return [];
    try {
      const rows = await cursor.read(count);
      if (rows.length < count) done = true;
      return rows;
    } catch (error) {
      done = true;
      throw toCabinetError(error);
    }
  };

  // The first read makes the server run the statement: its row description (or its absence) comes back with it.
  firstBatch = await read(200);
  const columns: ColumnInfo[] = (result().fields ?? []).map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
  const sources: ColumnSource[] = (result().fields ?? []).map((f) => (f.tableID ? { tableOid: f.tableID, attnum: f.columnID } : null));
  if (columns.length === 0) done = true;

  return {
    columns,
    sources,
    get done() {
      return done && firstBatch === undefined;
    },
    get command() {
      return done ? (result().command ?? undefined) : undefined;
    },
    get rowsAffected() {
      return done ? result().rowCount : null;
    },
    async read(count) {
      if (firstBatch) {
        const batch = firstBatch;
        firstBatch = undefined;
        if (batch.length > count) {
          firstBatch = batch.slice(count);
          return batch.slice(0, count);
        }
        if (batch.length === count || done) return batch;
        return [...batch, ...(await read(count - batch.length))];
      }
      return read(count);
    },
    async close() {
      done = true;
      firstBatch = undefined;
      await cursor.close().catch(() => undefined);
    },
  };
}
