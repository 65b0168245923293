import { randomUUID } from 'node:crypto';
import type { BrowseCount, BrowseQueryInfo, BrowseTableInfo, BrowseWindow, TableStructure } from '../../../shared/browse.ts';
import { CabinetError } from '../../../shared/errors.ts';
import type { Endpoint } from '../connections/connector.ts';
import type { DbSession } from '../drivers/driver.ts';
import type { CallContext } from '../router.ts';
import { loadDialect } from './dialect.ts';
import { readMysqlMeta, readMysqlTotal } from './meta-mysql.ts';
import { readPostgresMeta, readPostgresTotal } from './meta-postgres.ts';
import { RowSource, type QueryInput } from './row-source.ts';
import { SessionPool } from './session-pool.ts';
import { readMysqlStructure } from './structure-mysql.ts';
import { readPostgresStructure } from './structure-postgres.ts';
import { parseTablePath } from './table-path.ts';

export interface BrowseServiceDeps {
  /** The endpoint of an open connection (throws NOT_CONNECTED when it is closed), on another database when one is named. */
  endpointFor(connectionId: string, database?: string): Endpoint;
  /** Replaces the engines' `exactSkipRows` (jump.ts): tests set a small one to see approximate jumps on small tables. */
  exactSkipRows?: number;
}

interface OwnedView {
  clientId: string;
  connectionId: string;
  source: RowSource;
}

/** Views one client may hold open at once: far above any real use, and a bound on what a runaway client costs. */
const MAX_VIEWS_PER_CLIENT = 500;

/**
 * Every browse view, each owned by the client that opened it, and the session pools they read through (one
 * per connection and database, shared by the views on it). A view closes when its client closes it or goes
 * away; a pool when its connection closes.
 */
export class BrowseService {
  private readonly views = new Map<string, OwnedView>();
  private readonly pools = new Map<string, { connectionId: string; pool: SessionPool }>();

  constructor(private readonly deps: BrowseServiceDeps) {}

  async open(context: CallContext, connectionId: string, path: string[]): Promise<BrowseTableInfo> {
    const { engine } = this.deps.endpointFor(connectionId).params;
    const address = parseTablePath(engine, path);
    if ([...this.views.values()].filter((v) => v.clientId === context.clientId).length >= MAX_VIEWS_PER_CLIENT) {
      throw new CabinetError({ code: 'BAD_INPUT', message: `${MAX_VIEWS_PER_CLIENT} tables are open in this window; close some first.` });
    }
    const engineDialect = await loadDialect(engine);
    const { exactSkipRows } = this.deps;
    const dialect = exactSkipRows === undefined ? engineDialect : { ...engineDialect, exactSkipRows };
    const pool = this.poolFor(connectionId, engine === 'postgres' ? address.database : undefined);
    const meta = await pool.use(context.signal, (session) =>
      engine === 'postgres' ? readPostgresMeta(session, address, dialect.quoteIdent) : readMysqlMeta(session, address, dialect.quoteIdent),
    );
    const readTotal =
      engine === 'postgres'
        ? (session: DbSession) => readPostgresTotal(session, address, meta.sqlName)
        : (session: DbSession) => readMysqlTotal(session, address, meta.sqlName);
    const source = new RowSource(randomUUID(), meta, pool, dialect, readTotal);
    // The caller may have gone while the table opened: then nobody could close the view.
    if (context.signal.aborted) throw new CabinetError({ code: 'NOT_CONNECTED', message: 'The window that opened this table has closed.' });
    this.views.set(source.viewId, { clientId: context.clientId, connectionId, source });
    return source.info();
  }

  async query(context: CallContext, viewId: string, input: QueryInput): Promise<BrowseQueryInfo> {
    return this.owned(context, viewId).source.setQuery(input, context.signal);
  }

  async rows(context: CallContext, viewId: string, start: number, count: number): Promise<BrowseWindow> {
    return this.owned(context, viewId).source.rows(start, count, context.signal);
  }

  async count(context: CallContext, viewId: string): Promise<BrowseCount> {
    return this.owned(context, viewId).source.count(context.signal);
  }

  close(context: CallContext, viewId: string): void {
    const view = this.owned(context, viewId);
    this.views.delete(viewId);
    view.source.close();
  }

  async structure(context: CallContext, connectionId: string, path: string[]): Promise<TableStructure> {
    const { engine } = this.deps.endpointFor(connectionId).params;
    const address = parseTablePath(engine, path);
    const pool = this.poolFor(connectionId, engine === 'postgres' ? address.database : undefined);
    return pool.use(context.signal, (session) =>
      engine === 'postgres' ? readPostgresStructure(session, address) : readMysqlStructure(session, address),
    );
  }

  /** A client went away: its views close (what they were reading is cancelled). */
  closeClient(clientId: string): void {
    for (const [id, view] of this.views) {
      if (view.clientId !== clientId) continue;
      this.views.delete(id);
      view.source.close();
    }
  }

  /** A connection closed: the views on it stop and its sessions close. */
  async closeConnection(connectionId: string): Promise<void> {
    for (const [id, view] of this.views) {
      if (view.connectionId !== connectionId) continue;
      this.views.delete(id);
      view.source.close();
    }
    const pools = [...this.pools].filter(([, p]) => p.connectionId === connectionId);
    for (const [key] of pools) this.pools.delete(key);
    await Promise.all(pools.map(([, p]) => p.pool.close()));
  }

  async closeAll(): Promise<void> {
    for (const view of this.views.values()) view.source.close();
    this.views.clear();
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.pool.close()));
  }

  private owned(context: CallContext, viewId: string): OwnedView {
    const view = this.views.get(viewId);
    // Another client's view is answered exactly like one that does not exist.
    if (!view || view.clientId !== context.clientId) {
      throw new CabinetError({ code: 'NOT_FOUND', message: 'This table view is closed; open the table again.' });
    }
    // Its connection may have closed without this service being told (it is told in core.ts): check.
    this.deps.endpointFor(view.connectionId);
    return view;
  }

  /** PostgreSQL reads one database per session; MySQL reads every database from one, with qualified names. */
  private poolFor(connectionId: string, database: string | undefined): SessionPool {
    const key = JSON.stringify([connectionId, database ?? null]);
    let entry = this.pools.get(key);
    if (!entry) {
      entry = { connectionId, pool: new SessionPool(() => this.deps.endpointFor(connectionId, database)) };
      this.pools.set(key, entry);
    }
    return entry.pool;
  }
}
