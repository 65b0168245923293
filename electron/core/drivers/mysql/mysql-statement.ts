import type { FieldPacket } from 'mysql2';
import type { CellValue, ColumnInfo } from '../../../../shared/values.ts';
import type { ColumnSource, StatementCursor, TransactionState } from '../driver.ts';
import { toCabinetError } from '../errors.ts';
import { exactConnectionOptions, mysqlTypeName } from './values.ts';

/** The callback side of mysql2's connection, which streams rows (the promise wrapper holds it as `.connection`). */
export interface StreamingConnection {
  query(options: { sql: string; rowsAsArray: boolean }): QueryEmitter;
  pause(): void;
  resume(): void;
}

interface QueryEmitter {
  on(event: 'fields', listener: (fields: FieldPacket[] | undefined) => void): QueryEmitter;
  on(event: 'result', listener: (row: unknown, index: number) => void): QueryEmitter;
  on(event: 'end', listener: () => void): QueryEmitter;
  on(event: 'error', listener: (error: Error) => void): QueryEmitter;
}

interface OkPacket {
  affectedRows?: number;
  serverStatus?: number;
}

/** SERVER_STATUS_IN_TRANS, in the status flags of every OK packet. */
const IN_TRANSACTION = 0x0001;
/** Rows buffered before the socket is paused; reading drains it and resumes. */
const HIGH_WATER = 2000;

/**
 * One statement streamed from MySQL: mysql2 has no server-side cursor for plain queries, so rows arrive as fast
 * as the server sends them, and the socket is paused when the reader falls behind (the caller must keep reading:
 * the server drops a stream paused longer than net_write_timeout). A CALL that returns several result sets shows
 * the first one.
 */
export function openMysqlStatement(
  connection: StreamingConnection,
  sql: string,
  onTransaction: (state: TransactionState) => void,
): Promise<StatementCursor> {
  return new Promise((resolve, reject) => {
    const buffer: CellValue[][] = [];
    let columns: ColumnInfo[] | undefined;
    let sources: ColumnSource[] = [];
    let rowsIndex: number | undefined;
    let affected: number | null = null;
    let ended = false;
    let failure: Error | undefined;
    let discard = false;
    let wake: (() => void) | undefined;
    let settled = false;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    const cursor: StatementCursor = {
      get columns() {
        return columns ?? [];
      },
      get sources() {
        return sources;
      },
      get done() {
        return ended && buffer.length === 0;
      },
      get command() {
        return ended ? (columns ? 'SELECT' : undefined) : undefined;
      },
      get rowsAffected() {
        return ended ? (columns ? null : affected) : null;
      },
      async read(count) {
        while (buffer.length < count && !ended) {
          connection.resume();
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (failure && buffer.length === 0) throw toCabinetError(failure);
        const rows = buffer.splice(0, count);
        if (buffer.length < HIGH_WATER / 2) connection.resume();
        return rows;
      },
      async close() {
        discard = true;
        buffer.length = 0;
        while (!ended) {
          connection.resume();
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };

    const ready = () => {
      if (settled) return;
      settled = true;
      if (failure && !columns) reject(toCabinetError(failure));
      else resolve(cursor);
    };

    const query = connection.query({ sql, rowsAsArray: exactConnectionOptions.rowsAsArray });
    query.on('fields', (fields) => {
      if (!fields || columns) return;
      columns = fields.map((f) => ({ name: f.name, type: mysqlTypeName(f) }));
      // An expression has no database (a view's expression column still names the view).
      sources = fields.map((f) => (f.db && f.orgTable && f.orgName ? { database: f.db, table: f.orgTable, alias: f.table, column: f.orgName } : null));
      ready();
    });
    query.on('result', (row, index) => {
      if (Array.isArray(row)) {
        rowsIndex ??= index;
        if (discard || index !== rowsIndex) return;
        buffer.push(row as CellValue[]);
        if (buffer.length >= HIGH_WATER) connection.pause();
        notify();
        return;
      }
      const ok = row as OkPacket;
      if (typeof ok.serverStatus === 'number') onTransaction(ok.serverStatus & IN_TRANSACTION ? 'open' : 'idle');
      if (!columns) affected = ok.affectedRows ?? null;
    });
    query.on('error', (error) => {
      failure = error;
      ended = true;
      ready();
      notify();
    });
    query.on('end', () => {
      ended = true;
      ready();
      notify();
    });
  });
}
