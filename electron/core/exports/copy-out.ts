/**
 * `COPY (<query>) TO STDOUT` on a pg client, as psql's \copy does it: the server formats the CSV and sends one
 * CopyData message per row; each arrives here as bytes, untouched. node-postgres has no COPY OUT of its own,
 * so this is a small "submittable" (the documented way to run a custom query on a pg.Client): it sends the
 * statement, hands every CopyData chunk to `onData`, and settles on the server's answer. `pause`/`resume` hold
 * the socket, so a slow disk pushes back on the server instead of filling memory.
 */
import type pg from 'pg';

interface CopyMessage {
  chunk: Buffer;
}

interface CommandCompleteMessage {
  text?: string;
}

/** The parts of pg's Connection this uses: the simple-query send and the socket under it. */
interface WireConnection {
  query(text: string): void;
  stream: { pause(): void; resume(): void };
}

export interface CopyOut {
  /** Resolves with the number of rows COPY reports once the server has sent everything. */
  readonly finished: Promise<number>;
  /** Stops reading from the socket (the server blocks once its send buffer fills). */
  pause(): void;
  resume(): void;
}

/**
 * Runs `copySql` (a complete `COPY ... TO STDOUT ...` statement) on `client`; every row's bytes go to `onData`,
 * in order, synchronously as they are parsed.
 */
export function copyOut(client: pg.Client, copySql: string, onData: (chunk: Buffer) => void): CopyOut {
  let connection: WireConnection | undefined;
  let resolveFinished!: (rows: number) => void;
  let rejectFinished!: (error: unknown) => void;
  const finished = new Promise<number>((resolve, reject) => {
    resolveFinished = resolve;
    rejectFinished = reject;
  });
  let rows = 0;
  let failure: unknown;
  let settled = false;
  const fail = (error: unknown) => {
    if (settled) return;
    settled = true;
    rejectFinished(error);
  };
  const unexpected = (what: string) => {
    // Remembered, and reported when the server says it is ready again (the statement's messages are all read).
    failure ??= new Error(`The server answered the export's COPY with ${what}.`);
  };

  const submittable = {
    submit(wire: WireConnection) {
      connection = wire;
      wire.query(copySql);
    },
    handleCopyData(message: CopyMessage) {
      onData(message.chunk);
    },
    handleCommandComplete(message: CommandCompleteMessage) {
      const match = /^COPY (\d+)$/.exec(message.text ?? '');
      rows = match ? Number(match[1]) : rows;
    },
    handleReadyForQuery() {
      if (failure !== undefined) fail(failure);
      else if (!settled) {
        settled = true;
        resolveFinished(rows);
      }
    },
    // An ErrorResponse (a bad query, a cancel) or a lost socket; pg routes nothing more to this query after it.
    handleError(error: unknown) {
      fail(error);
    },
    handleRowDescription() {
      unexpected('rows');
    },
    handleDataRow() {
      unexpected('rows');
    },
    handleEmptyQuery() {
      unexpected('nothing');
    },
    handlePortalSuspended() {
      unexpected('a suspended portal');
    },
    handleCopyInResponse(wire: { sendCopyFail(message: string): void }) {
      unexpected('a request for input');
      wire.sendCopyFail('Cabinet exports read data only.');
    },
  };
  client.query(submittable as unknown as pg.Submittable);
  return {
    finished,
    pause: () => connection?.stream.pause(),
    resume: () => connection?.stream.resume(),
  };
}
