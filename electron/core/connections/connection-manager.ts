import { randomUUID } from 'node:crypto';
import type { ConnectionInfo, TestResult } from '../../../shared/api.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { connectionParamsOf, DEMO_PROFILE_ID, type ConnectionParams, type Profile, type ProfileInput, type StoredProfile } from '../../../shared/profiles.ts';
import type { TreeNode } from '../../../shared/tree.ts';
import type { DemoService } from '../demo/demo-service.ts';
import type { DbSession, Driver } from '../drivers/driver.ts';
import { toCabinetError } from '../drivers/errors.ts';
import { loadDriver } from '../drivers/registry.ts';
import type { Emit } from '../router.ts';
import { connect, type Endpoint } from './connector.ts';
import type { ProfileStore } from './profile-store.ts';
import type { SecretStore } from './secret-store.ts';

interface OpenConnection {
  info: ConnectionInfo;
  params: ConnectionParams;
  password?: string;
  /** The profile says: no changes through this connection. */
  readOnly: boolean;
  driver: Driver;
  /** One metadata session per database (PostgreSQL catalogs are per database); the demo has one in all. */
  sessions: Map<string, Promise<DbSession>>;
}

export interface ConnectionManagerDeps {
  profiles: ProfileStore;
  secrets: SecretStore;
  demo: DemoService;
  emit: Emit;
  /** Called when a connection closes, so what was opened on it (query sessions) closes too. */
  onClose?: (connectionId: string) => Promise<void>;
}

/** Owns every server connection the app holds: opening, the metadata sessions, loss and reconnect. */
export class ConnectionManager {
  private readonly open = new Map<string, OpenConnection>();

  constructor(private readonly deps: ConnectionManagerDeps) {}

  async listProfiles(): Promise<Profile[]> {
    const stored = await this.deps.profiles.list();
    return [this.deps.demo.profile(), ...stored.map((p) => this.toProfile(p))];
  }

  async saveProfile(input: {
    id?: string;
    profile: ProfileInput;
    password?: string | null;
    savePassword?: boolean;
  }): Promise<Profile> {
    if (input.id === DEMO_PROFILE_ID) throw new CabinetError({ code: 'BAD_INPUT', message: 'The demo connection cannot be changed; duplicate it instead.' });
    const { secrets, profiles } = this.deps;
    const previous = input.id ? await profiles.get(input.id) : undefined;
    const typed = typeof input.password === 'string' ? input.password : undefined;
    const passwordRequired = typed !== undefined ? typed !== '' : input.password === null ? false : (previous?.passwordRequired ?? false);
    const saved = await profiles.save(input.id, input.profile, passwordRequired);
    if (typed !== undefined && typed !== '') {
      await secrets.remember(saved.id, typed, Boolean(input.savePassword) && secrets.canPersist);
    } else if (!passwordRequired) {
      await secrets.forget(saved.id);
    }
    return this.toProfile(saved);
  }

  async duplicateProfile(id: string): Promise<Profile> {
    const source = id === DEMO_PROFILE_ID ? { ...this.deps.demo.profile(), passwordRequired: false } : await this.deps.profiles.get(id);
    const copy = await this.deps.profiles.save(undefined, { ...source, name: `${source.name} (copy)` }, source.passwordRequired);
    const password = this.deps.secrets.get(id);
    if (password !== undefined) await this.deps.secrets.remember(copy.id, password, this.deps.secrets.isPersisted(id));
    return this.toProfile(copy);
  }

  async deleteProfile(id: string): Promise<void> {
    if (id === DEMO_PROFILE_ID) throw new CabinetError({ code: 'BAD_INPUT', message: 'The demo connection is built in and cannot be deleted.' });
    for (const conn of [...this.open.values()]) if (conn.info.profileId === id) await this.close(conn.info.connectionId);
    await this.deps.profiles.remove(id);
    await this.deps.secrets.forget(id);
  }

  async test(params: ConnectionParams, password?: string, profileId?: string): Promise<TestResult> {
    const started = performance.now();
    const resolved = profileId === DEMO_PROFILE_ID ? await this.deps.demo.params() : params;
    const session = await connect(
      { params: resolved, password: password ?? (profileId ? this.deps.secrets.get(profileId) : undefined) },
      { applicationName: 'Cabinet (test)' },
    );
    const serverVersion = session.serverVersion;
    await session.close();
    return { serverVersion, elapsedMs: Math.round(performance.now() - started) };
  }

  async openProfile(profileId: string, password?: string): Promise<ConnectionInfo> {
    const existing = [...this.open.values()].find((c) => c.info.profileId === profileId);
    if (existing && password === undefined) {
      await this.session(existing);
      return existing.info;
    }
    if (existing) await this.close(existing.info.connectionId);

    const isDemo = profileId === DEMO_PROFILE_ID;
    const stored = isDemo ? undefined : await this.deps.profiles.get(profileId);
    const params = isDemo ? await this.deps.demo.params() : connectionParamsOf(stored!);
    const secret = password ?? this.deps.secrets.get(profileId);
    if (stored?.passwordRequired && secret === undefined) {
      throw new CabinetError({ code: 'AUTH_FAILED', message: `Enter the password for "${stored.name}".`, detail: 'password-needed' });
    }
    const driver = await loadDriver(params.engine);
    const connectionId = randomUUID();
    const conn: OpenConnection = {
      params,
      password: secret,
      readOnly: stored?.readOnly === true,
      driver,
      sessions: new Map(),
      info: {
        connectionId,
        profileId,
        name: isDemo ? this.deps.demo.profile().name : stored!.name,
        engine: params.engine,
        serverVersion: '',
        database: params.database,
        user: params.user,
        host: params.host,
        port: params.port,
        capabilities: driver.capabilities,
        readOnly: stored?.readOnly === true,
      },
    };
    const session = await this.session(conn);
    conn.info.serverVersion = session.serverVersion;
    this.open.set(connectionId, conn);
    // A password that worked is kept for this run (in memory unless the profile asked to save it).
    if (password !== undefined && !isDemo) await this.deps.secrets.remember(profileId, password, this.deps.secrets.isPersisted(profileId));
    this.deps.emit('connection/status', { connectionId, state: 'connected' });
    return conn.info;
  }

  list(): ConnectionInfo[] {
    return [...this.open.values()].map((c) => c.info);
  }

  async close(connectionId: string): Promise<void> {
    const conn = this.open.get(connectionId);
    if (!conn) return;
    this.open.delete(connectionId);
    const sessions = [...conn.sessions.values()];
    conn.sessions.clear();
    await this.deps.onClose?.(connectionId);
    await Promise.all(sessions.map((s) => s.then((x) => x.close()).catch(() => undefined)));
    this.deps.emit('connection/status', { connectionId, state: 'closed' });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }

  async children(connectionId: string, path: string[]): Promise<TreeNode[]> {
    const conn = this.get(connectionId);
    const session = await this.session(conn, conn.driver.databaseOf?.(path));
    return conn.driver.listChildren(session, path);
  }

  async definition(connectionId: string, path: string[]): Promise<string> {
    const conn = this.get(connectionId);
    const session = await this.session(conn, conn.driver.databaseOf?.(path));
    const text = await conn.driver.definition(session, path);
    if (text === undefined) throw new CabinetError({ code: 'NOT_FOUND', message: 'That routine no longer exists, or its source cannot be read with this user.' });
    return text;
  }

  describe(connectionId: string): { profileId: string; name: string } {
    const { info } = this.get(connectionId);
    return { profileId: info.profileId, name: info.name };
  }

  isDemo(connectionId: string): boolean {
    return this.get(connectionId).info.profileId === DEMO_PROFILE_ID;
  }

  /** Where sessions of an open connection go (the migration runner's, a query tab's): on another database when one is named. */
  endpointFor(connectionId: string, database?: string): Endpoint {
    const conn = this.get(connectionId);
    // The demo is one PGlite database: every session goes to it.
    const sameDatabase = database === undefined || database === conn.params.database || conn.info.profileId === DEMO_PROFILE_ID;
    const params = sameDatabase ? conn.params : { ...conn.params, database };
    return { params, password: conn.password, readOnly: conn.readOnly };
  }

  private get(connectionId: string): OpenConnection {
    const conn = this.open.get(connectionId);
    if (!conn) throw new CabinetError({ code: 'NOT_CONNECTED', message: 'This connection is closed; connect again.' });
    return conn;
  }

  /** The metadata session for a database, opened on first use and again after a loss. */
  private session(conn: OpenConnection, database?: string): Promise<DbSession> {
    const isDemo = conn.info.profileId === DEMO_PROFILE_ID;
    const key = isDemo ? '' : (database ?? conn.params.database);
    const existing = conn.sessions.get(key);
    if (existing) return existing;
    const params = key === conn.params.database || isDemo ? conn.params : { ...conn.params, database: key };
    const opening = (async () => {
      const session = await connect({ params, password: conn.password, readOnly: conn.readOnly }, { applicationName: 'Cabinet' });
      session.onLost((error) => {
        conn.sessions.delete(key);
        if (!this.open.has(conn.info.connectionId)) return;
        this.deps.emit('connection/status', {
          connectionId: conn.info.connectionId,
          state: 'lost',
          message: `${toCabinetError(error).message.replace(/\.?$/, '.')} Cabinet reconnects on your next action.`,
        });
      });
      return session;
    })();
    conn.sessions.set(key, opening);
    opening.catch(() => conn.sessions.delete(key));
    return opening;
  }

  private toProfile(stored: StoredProfile): Profile {
    const { passwordRequired, ...rest } = stored;
    const { secrets } = this.deps;
    const password = !passwordRequired
      ? 'none'
      : secrets.get(stored.id) === undefined
        ? 'ask'
        : secrets.isPersisted(stored.id)
          ? 'saved'
          : 'session';
    return { ...rest, password };
  }
}
