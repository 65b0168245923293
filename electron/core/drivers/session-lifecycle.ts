import type { Engine } from '../../../shared/profiles.ts';
import type { ResultSet } from '../../../shared/values.ts';
import type { DbSession, ServerMessage, StatementCursor, TransactionState } from './driver.ts';

interface ConnectionEvents {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** What every engine's session shares: noticing a lost connection once, closing once, passing on server messages. */
export abstract class SessionLifecycle implements DbSession {
  abstract readonly engine: Engine;
  abstract readonly serverVersion: string;
  abstract readonly serverProcessId: number;
  private closing = false;
  private readonly lostListeners: ((error: Error) => void)[] = [];
  private readonly messageListeners = new Set<(message: ServerMessage) => void>();

  protected constructor(connection: ConnectionEvents) {
    const lost = (error: Error) => {
      if (this.closing) return;
      this.closing = true;
      for (const listener of this.lostListeners) listener(error);
    };
    connection.on('error', lost);
    connection.on('end', () => lost(new Error('Connection terminated')));
  }

  abstract query(sql: string, params?: readonly unknown[]): Promise<ResultSet>;
  abstract openStatement(sql: string): Promise<StatementCursor>;
  abstract transactionState(): TransactionState;

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  protected message(message: ServerMessage): void {
    for (const listener of this.messageListeners) listener(message);
  }

  /** Ends the server connection; called at most once. */
  protected abstract end(): Promise<void>;

  onLost(listener: (error: Error) => void): void {
    this.lostListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.end();
  }
}
