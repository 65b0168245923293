import type { AppInfo, CoreMethods, EventName, Events } from '../../shared/api.ts';
import type { RpcEvent } from '../../shared/rpc.ts';
import { ConnectionManager } from './connections/connection-manager.ts';
import { ProfileStore } from './connections/profile-store.ts';
import type { SecretStore } from './connections/secret-store.ts';
import { DemoService } from './demo/demo-service.ts';
import { createMigrationHandlers } from './migrations/handlers.ts';
import { Router, type Handlers } from './router.ts';
import { APP_VERSION } from './version.ts';

export interface CoreOptions {
  mode: AppInfo['mode'];
  /** The app's data folder: profiles, the demo database. */
  dataDir: string;
  secrets: SecretStore;
  log?: (line: string) => void;
}

export interface Core {
  router: Router;
  onEvent(listener: (event: RpcEvent) => void): () => void;
  close(): Promise<void>;
}

/** The whole backend, free of Electron: the desktop main process, browser mode and the tests all start it this way. */
export function createCore(options: CoreOptions): Core {
  const listeners = new Set<(event: RpcEvent) => void>();
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const listener of listeners) listener({ event, payload } as RpcEvent);
  };
  const profiles = new ProfileStore(options.dataDir);
  const demo = new DemoService({ dataDir: options.dataDir, emit, log: options.log });
  const connections = new ConnectionManager({ profiles, secrets: options.secrets, demo, emit });
  // Warm the demo in the background so the first click on it is quick; a failure shows when it is opened.
  demo.start().catch((error: unknown) => options.log?.(`demo database did not start: ${String(error)}`));

  const handlers: Handlers<keyof CoreMethods> = {
    'app/info': async () => ({ mode: options.mode, version: APP_VERSION, canSavePasswords: options.secrets.canPersist }),
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
  };

  return {
    router: new Router({
      ...handlers,
      ...createMigrationHandlers({ credentialsFor: (id) => connections.credentialsFor(id), emit }),
    }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await connections.closeAll();
      await demo.stop();
    },
  };
}
