import { randomUUID } from 'node:crypto';
import type { SessionInfo, SessionResult } from '../../../shared/api.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { connect, type Endpoint } from '../connections/connector.ts';
import type { DbSession } from '../drivers/driver.ts';
import type { CallContext } from '../router.ts';

const DEFAULT_MAX_ROWS = 1000;

interface OwnedSession {
  info: SessionInfo;
  clientId: string;
  endpoint: Endpoint;
  /** Null after the server connection was lost: the next statement reconnects. */
  session: Promise<DbSession> | null;
  /** Set when the connection was lost, so the next statement says what happened to the transaction. */
  lostMessage?: string;
}

export interface SessionRegistryDeps {
  /** The endpoint of an open connection, on another database when one is named. */
  endpointFor(connectionId: string, database?: string): Endpoint;
}

/**
 * Sessions that belong to one client (a window, or a browser tab): a query tab's own connection. Only the
 * client that opened a session may use it; when the client goes away, or its connection is closed, the
 * session closes, and the server rolls back any transaction it left open.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, OwnedSession>();

  constructor(private readonly deps: SessionRegistryDeps) {}

  async open(context: CallContext, connectionId: string, database?: string): Promise<SessionInfo> {
    const endpoint = this.deps.endpointFor(connectionId, database);
    const owned: OwnedSession = {
      info: { sessionId: randomUUID(), connectionId, database: endpoint.params.database },
      clientId: context.clientId,
      endpoint,
      session: null,
    };
    await this.connected(owned);
    // The caller may have gone while the session opened: then nobody can close it but us.
    if (context.signal.aborted) {
      await owned.session?.then((s) => s.close());
      throw new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that asked for this session has closed.' });
    }
    this.sessions.set(owned.info.sessionId, owned);
    return owned.info;
  }

  async query(context: CallContext, sessionId: string, sql: string, maxRows = DEFAULT_MAX_ROWS): Promise<SessionResult> {
    const owned = this.owned(context, sessionId);
    if (owned.lostMessage) {
      const message = owned.lostMessage;
      delete owned.lostMessage;
      throw new CabinetError({ code: 'CONNECTION_LOST', message });
    }
    const session = await this.connected(owned);
    const result = await session.query(sql);
    const truncated = result.rows.length > maxRows;
    return { ...result, rows: truncated ? result.rows.slice(0, maxRows) : result.rows, truncated };
  }

  async close(context: CallContext, sessionId: string): Promise<void> {
    const owned = this.owned(context, sessionId);
    await this.drop([owned]);
  }

  /** A client went away: its sessions close. */
  closeClient(clientId: string): Promise<void> {
    return this.drop([...this.sessions.values()].filter((s) => s.clientId === clientId));
  }

  /** A connection was closed: the sessions opened on it close too. */
  closeConnection(connectionId: string): Promise<void> {
    return this.drop([...this.sessions.values()].filter((s) => s.info.connectionId === connectionId));
  }

  closeAll(): Promise<void> {
    return this.drop([...this.sessions.values()]);
  }

  private owned(context: CallContext, sessionId: string): OwnedSession {
    const owned = this.sessions.get(sessionId);
    // Another client's session is answered exactly like one that does not exist.
    if (!owned || owned.clientId !== context.clientId) {
      throw new CabinetError({ code: 'NOT_FOUND', message: 'That session is closed; open a new one.' });
    }
    return owned;
  }

  private connected(owned: OwnedSession): Promise<DbSession> {
    if (owned.session) return owned.session;
    const opening = connect(owned.endpoint, { applicationName: 'Cabinet (query)' });
    owned.session = opening;
    opening.then(
      (session) =>
        session.onLost(() => {
          owned.session = null;
          owned.lostMessage =
            'The connection of this session was lost; the server rolled back any transaction it had open. Run again to reconnect.';
        }),
      () => (owned.session = null),
    );
    return opening;
  }

  private async drop(list: OwnedSession[]): Promise<void> {
    for (const owned of list) this.sessions.delete(owned.info.sessionId);
    await Promise.all(list.map((owned) => owned.session?.then((s) => s.close()).catch(() => undefined)));
  }
}
