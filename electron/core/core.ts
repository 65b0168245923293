import { randomUUID } from 'node:crypto';
import type { AppInfo, coreMethods, EventName, Events } from '../../shared/api.ts';
import type { RpcEvent, RpcResponse } from '../../shared/rpc.ts';
import { ConnectionManager } from './connections/connection-manager.ts';
import { ProfileStore } from './connections/profile-store.ts';
import type { SecretStore } from './connections/secret-store.ts';
import { DemoService } from './demo/demo-service.ts';
import { BrowseService } from './browse/browse-service.ts';
import { createBrowseHandlers } from './browse/handlers.ts';
import { createMigrationHandlers } from './migrations/handlers.ts';
import { SeedLog } from './migrations/seeds/seed-log.ts';
import { Router, type CallContext, type Handlers, type Log } from './router.ts';
import { createDraftHandlers, DraftStore } from './drafts/draft-store.ts';
import { createHistoryHandlers } from './history/handlers.ts';
import { HistoryStore } from './history/history-store.ts';
import { SavedQueries } from './history/saved-queries.ts';
import { createExportHandlers } from './exports/handlers.ts';
import { createEditHandlers } from './edits/handlers.ts';
import { createSessionHandlers } from './sessions/handlers.ts';
import { SessionRegistry } from './sessions/session-registry.ts';
import { UiStateStore } from './ui-state/ui-state-store.ts';
import { APP_VERSION } from './version.ts';

export interface CoreOptions {
  mode: AppInfo['mode'];
  /** The app's data folder: profiles, the demo database. */
  dataDir: string;
  secrets: SecretStore;
  log?: Log;
}

/**
 * One caller of the core: a desktop window or a browser-mode socket. Its calls carry its id; events meant for
 * it (a migration run it started) reach only it; closing it aborts its calls and closes its sessions.
 */
export interface CoreClient {
  readonly id: string;
  call(id: number, method: string, input: unknown): Promise<RpcResponse>;
  close(): Promise<void>;
}

export interface Core {
  connectClient(send: (event: RpcEvent) => void): CoreClient;
  /** Closes every client, connection and session (open transactions roll back), then the demo. */
  close(): Promise<void>;
}

interface ClientEntry {
  send: (event: RpcEvent) => void;
  abort: AbortController;
}

/** The whole backend, free of Electron: the desktop main process, browser mode and the tests all start it this way. */
export function createCore(options: CoreOptions): Core {
  const log = options.log ?? (() => undefined);
  const clients = new Map<string, ClientEntry>();
  const deliver = (entry: ClientEntry, event: RpcEvent) => {
    try {
      entry.send(event);
    } catch (error) {
      log(`an event could not be delivered: ${String(error)}`);
    }
  };
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const entry of clients.values()) deliver(entry, { event, payload } as RpcEvent);
  };
  const emitTo = <E extends EventName>(clientId: string, event: E, payload: Events[E]) => {
    const entry = clients.get(clientId);
    if (entry) deliver(entry, { event, payload } as RpcEvent);
  };

  const profiles = new ProfileStore(options.dataDir);
  const uiState = new UiStateStore(options.dataDir);
  const history = new HistoryStore(options.dataDir);
  const savedQueries = new SavedQueries(options.dataDir);
  const drafts = new DraftStore(options.dataDir);
  const demo = new DemoService({ dataDir: options.dataDir, emit, log });
  const sessions: SessionRegistry = new SessionRegistry({
    endpointFor: (id, database) => connections.endpointFor(id, database),
    canCancel: (id) => !connections.isDemo(id),
    progress: (clientId, progress) => emitTo(clientId, 'sessions/progress', progress),
    history,
    describe: (id) => connections.describe(id),
  });
  const browse = new BrowseService({ endpointFor: (id, database) => connections.endpointFor(id, database) });
  const connections = new ConnectionManager({
    profiles,
    secrets: options.secrets,
    demo,
    emit,
    onClose: async (connectionId) => {
      await Promise.all([sessions.closeConnection(connectionId), browse.closeConnection(connectionId)]);
    },
  });
  // The demo starts when it is first used, not with the app: PGlite holds a few hundred MB, which a person
  // working on their own servers should not pay for (its prebuilt data folder makes the first start quick).

  const handlers: Handlers<keyof typeof coreMethods> = {
    'app/info': async () => {
      await Promise.all([profiles.list().catch(() => undefined), uiState.load().catch(() => undefined)]);
      const notices = [...profiles.notices, ...uiState.notices];
      return { mode: options.mode, version: APP_VERSION, canSavePasswords: options.secrets.canPersist, notices };
    },
    'profiles/list': () => connections.listProfiles(),
    'profiles/save': (input) => connections.saveProfile(input),
    'profiles/duplicate': ({ id }) => connections.duplicateProfile(id),
    'profiles/delete': async ({ id }) => {
      await connections.deleteProfile(id);
      return {};
    },
    'connections/test': ({ params, password, profileId }) => connections.test(params, password, profileId),
    'connections/open': ({ profileId, password }) => connections.openProfile(profileId, password),
    'connections/close': async ({ connectionId }) => {
      await connections.close(connectionId);
      return {};
    },
    'connections/list': async () => connections.list(),
    'schema/children': async ({ connectionId, path }) => ({ nodes: await connections.children(connectionId, path) }),
    'demo/release': async () => ({ released: await demo.release() }),
    'schema/definition': async ({ connectionId, path }) => ({ text: await connections.definition(connectionId, path) }),
    'ui/load': () => uiState.load(),
    'ui/save': async ({ state }) => {
      await uiState.save(state);
      return {};
    },
  };

  const router = new Router(
    {
      ...handlers,
      ...createMigrationHandlers({
        endpointFor: (id) => connections.endpointFor(id),
        describe: (id) => connections.describe(id),
        emitTo,
        seedLog: new SeedLog(options.dataDir),
      }),
      ...createSessionHandlers(sessions),
      ...createHistoryHandlers(history, savedQueries),
      ...createDraftHandlers(drafts),
      ...createBrowseHandlers(browse),
      ...createEditHandlers({ endpointFor: (id, database) => connections.endpointFor(id, database) }),
      ...createExportHandlers({ endpointFor: (id, database) => connections.endpointFor(id, database), isDemo: (id) => connections.isDemo(id), emitTo, log }),
    },
    log,
  );

  const closeClient = async (id: string) => {
    const entry = clients.get(id);
    if (!entry) return;
    clients.delete(id);
    entry.abort.abort();
    browse.closeClient(id);
    await sessions.closeClient(id);
  };

  return {
    connectClient(send) {
      const id = randomUUID();
      const entry: ClientEntry = { send, abort: new AbortController() };
      clients.set(id, entry);
      const context: CallContext = { clientId: id, signal: entry.abort.signal };
      return {
        id,
        call: (callId, method, input) => router.dispatch(context, callId, method, input),
        close: () => closeClient(id),
      };
    },
    async close() {
      await Promise.all([...clients.keys()].map(closeClient));
      await sessions.closeAll();
      await browse.closeAll();
      await connections.closeAll();
      await demo.stop();
    },
  };
}
