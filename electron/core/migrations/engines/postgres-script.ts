import type pg from 'pg';
import type { DbSession } from '../../drivers/driver.ts';
import type { PostgresSession } from '../../drivers/postgres/postgres-driver.ts';

/** One statement of a script; `copyData` is the input of a `COPY ... FROM stdin`. */
export interface ScriptStatement {
  sql: string;
  copyData?: string;
}

/** A script stopped at an error: `completed` statements had finished (the server said so) before it. */
export class ScriptFailed extends Error {
  constructor(
    readonly completed: number,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** The protocol hooks pg's Client calls on a query it runs; @types/pg does not declare them. */
interface ProtocolHooks {
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: CopyConnection): void;
  handleCopyInResponse(connection: CopyConnection): void;
}

/** The part of pg's Connection that feeds a COPY its input. */
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

const COPY_CHUNK = 1 << 20;

type QueryClass = new (text: string) => pg.Query & ProtocolHooks;

/** pg's own Query class, from the session's client (pg hangs it on Client), so the script runs as any query of that client. */
function queryClassOf(client: pg.Client): QueryClass {
  const Query = (client.constructor as { Query?: QueryClass }).Query;
  if (!Query) throw new Error('This pg client offers no Query class to send a script with.');
  return Query;
}

/**
 * Sends the statements as one simple-query message: one round trip for the lot. The server runs them in
 * order and reports each as complete; on an error it skips the rest, and `ScriptFailed.completed` says how
 * many had finished, which names the statement that failed even when the server's error has no position
 * (a lost connection, a constraint). Rows that statements return are not kept.
 */
export async function runPostgresScript(
  session: DbSession,
  statements: ScriptStatement[],
  onComplete: (completed: number) => void = () => undefined,
): Promise<void> {
  const { client } = session as PostgresSession;
  const Query = queryClassOf(client);
  const copies = statements.flatMap((s) => (s.copyData === undefined ? [] : [s.copyData]));
  // A statement may end in a line comment, so the semicolon goes on a line of its own.
  const text = statements.map((s) => s.sql).join('\n;\n');
  let completed = 0;
  const query = new Query(text);
  // Nothing a script's statements return is kept: no result objects, no rows parsed.
  query.handleRowDescription = () => undefined;
  query.handleDataRow = () => undefined;
  query.handleCommandComplete = () => {
    completed++;
    onComplete(completed);
  };
  query.handleCopyInResponse = (connection) => {
    const data = copies.shift();
    if (data === undefined) {
      connection.sendCopyFail('COPY FROM stdin needs its data on the lines after it, ended by a line "\\."');
      return;
    }
    const bytes = Buffer.from(data, 'utf8');
    for (let at = 0; at < bytes.length; at += COPY_CHUNK) connection.sendCopyFromChunk(bytes.subarray(at, at + COPY_CHUNK));
    connection.endCopyFrom();
  };
  await new Promise<void>((resolve, reject) => {
    query.on('end', () => resolve());
    query.on('error', (error) => reject(new ScriptFailed(completed, error)));
    void client.query(query);
  });
}

