import type { Capabilities } from '../../../shared/api.ts';
import type { ConnectionParams, Engine } from '../../../shared/profiles.ts';
import type { TreeNode } from '../../../shared/tree.ts';
import type { ServerMessageData, TransactionState } from '../../../shared/sessions.ts';
import type { CellValue, ColumnInfo, ResultSet } from '../../../shared/values.ts';

export interface ConnectOptions {
  password?: string;
  /** Connect timeout, 10 s unless given. */
  connectTimeoutMs?: number;
  /** Shown to the server (pg application_name), so a lock holder can be named. */
  applicationName?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Whether the session is inside a transaction, as the server last said (PostgreSQL ReadyForQuery, MySQL status flags). */
export type { TransactionState } from '../../../shared/sessions.ts';
/** A message the server sent beside a statement's result: a notice (RAISE NOTICE) or a warning (SHOW WARNINGS). */
export type { ServerMessageData as ServerMessage } from '../../../shared/sessions.ts';

/**
 * Where a result column comes from, as the server describes it: PostgreSQL names the table's oid and column
 * number, MySQL the database, table (and the alias the statement gave it) and column. Null: an expression.
 */
export type ColumnSource = { tableOid: number; attnum: number } | { database: string; table: string; alias: string; column: string } | null;

/**
 * One statement running on a session, read in batches: rows for a query, nothing for a command. Closing it
 * early ends the statement on the server (a PostgreSQL portal is closed; a MySQL stream is drained).
 */
export interface StatementCursor {
  /** Empty for a statement that returns no rows. */
  readonly columns: ColumnInfo[];
  /** Per column: the table column it is, where the server says so. */
  readonly sources: ColumnSource[];
  /** Up to `count` more rows; an empty list once every row was read. */
  read(count: number): Promise<CellValue[][]>;
  readonly done: boolean;
  /** Once done: the command tag (SELECT, INSERT…) and the rows it affected, where the server says. */
  readonly command: string | undefined;
  readonly rowsAffected: number | null;
  close(): Promise<void>;
}

/**
 * One server connection. Values come back exact (see shared/values.ts); rows are arrays.
 * `query` takes `$1`-style placeholders on PostgreSQL and `?` on MySQL.
 */
export interface DbSession {
  readonly engine: Engine;
  readonly serverVersion: string;
  query(sql: string, params?: readonly unknown[]): Promise<ResultSet>;
  /** Runs one statement (never several) for a person: its rows come as they are read. */
  openStatement(sql: string): Promise<StatementCursor>;
  /** The server's id for this connection: PostgreSQL backend pid, MySQL thread id (what cancel targets). */
  readonly serverProcessId: number;
  transactionState(): TransactionState;
  /** Notices and warnings the server sends while statements run. */
  onMessage(listener: (message: ServerMessageData) => void): () => void;
  /** Fires once when the server connection is lost (not on `close`). */
  onLost(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** One engine: how to connect, what it can do, how it quotes, how its tree is read. */
export interface Driver {
  readonly engine: Engine;
  readonly capabilities: Capabilities;
  connect(params: ConnectionParams, options: ConnectOptions): Promise<DbSession>;
  quoteIdent(name: string): string;
  /** Children of a tree node: `path` is `[]` for the databases. */
  listChildren(session: DbSession, path: string[]): Promise<TreeNode[]>;
  /** The source of the routine at `path`, or undefined when the path names none (or it cannot be read). */
  definition(session: DbSession, path: string[]): Promise<string | undefined>;
  /**
   * Asks the server, from `via` (another session on it), to cancel what `target` is running. False when there
   * was nothing to cancel (the statement had just ended, or the session is gone): not an error.
   */
  cancel(via: DbSession, target: DbSession): Promise<boolean>;
  /** Whether listing a path needs a session on another database (MySQL reads all databases from one). */
  databaseOf?(path: string[]): string | undefined;
}
