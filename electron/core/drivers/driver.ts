import type { Capabilities } from '../../../shared/api.ts';
import type { ConnectionParams, Engine } from '../../../shared/profiles.ts';
import type { TreeNode } from '../../../shared/tree.ts';
import type { ResultSet } from '../../../shared/values.ts';

export interface ConnectOptions {
  password?: string;
  /** Connect timeout, 10 s unless given. */
  connectTimeoutMs?: number;
  /** Shown to the server (pg application_name), so a lock holder can be named. */
  applicationName?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * One server connection. Values come back exact (see shared/values.ts); rows are arrays.
 * `query` takes `$1`-style placeholders on PostgreSQL and `?` on MySQL.
 */
export interface DbSession {
  readonly engine: Engine;
  readonly serverVersion: string;
  query(sql: string, params?: readonly unknown[]): Promise<ResultSet>;
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
  /** Whether listing a path needs a session on another database (MySQL reads all databases from one). */
  databaseOf?(path: string[]): string | undefined;
}
