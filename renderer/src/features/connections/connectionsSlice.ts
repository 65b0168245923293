import type { AppInfo, ConnectionInfo, MethodInput } from '../../../../shared/api.ts';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import { DEMO_PROFILE_ID, type Profile, type ProfileInput } from '../../../../shared/profiles.ts';
import { ApiError, call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import type { SliceCreator } from '../../store/types.ts';

export interface OpenConnection {
  info: ConnectionInfo;
  status: 'connected' | 'lost';
  /** Why the connection was lost, in the core's words. */
  message?: string;
}

export type ConnectOutcome = { ok: true } | { ok: false; error: CabinetErrorData } | { ok: false; prompted: true };

export type FormRequest = { mode: 'new' } | { mode: 'edit'; profileId: string };

export interface SaveProfileRequest {
  id?: string;
  profile: ProfileInput;
  /** undefined keeps the stored password; a string replaces it ('' means none is needed); null forgets it. */
  password?: string | null;
  savePassword?: boolean;
}

export interface ConnectionsSlice {
  appInfo: AppInfo | null;
  profiles: Profile[];
  profilesLoaded: boolean;
  profilesError: CabinetErrorData | null;
  /** Open connections by profile id: one connection per profile. */
  connections: Record<string, OpenConnection>;
  connecting: Record<string, boolean>;
  connectErrors: Record<string, CabinetErrorData>;
  activeProfileId: string | null;
  passwordPrompt: { profileId: string; error?: CabinetErrorData } | null;
  form: FormRequest | null;

  loadAppInfo(): Promise<void>;
  refreshProfiles(): Promise<void>;
  /** Picks up connections the core already holds (after a page reload in browser mode). */
  syncConnections(): Promise<void>;
  saveProfile(request: SaveProfileRequest): Promise<Profile>;
  duplicateProfile(id: string): Promise<void>;
  deleteProfile(id: string): Promise<void>;
  /**
   * Opens a connection. From the list, failures show on the profile's row and a refused password opens
   * the password prompt; with `reportToCaller` the failure is only returned (the form shows it itself).
   */
  openConnection(profileId: string, password?: string, options?: { reportToCaller?: boolean }): Promise<ConnectOutcome>;
  closeConnection(profileId: string): Promise<void>;
  connectionStatusChanged(connectionId: string, state: 'connected' | 'lost' | 'closed', message?: string): void;
  setActiveProfile(profileId: string | null): void;
  dismissConnectError(profileId: string): void;
  closePasswordPrompt(): void;
  openForm(request: FormRequest): void;
  closeForm(): void;
}

/** The demo first, then the others in the order the core keeps them. */
function orderProfiles(profiles: Profile[]): Profile[] {
  return [...profiles].sort((a, b) => Number(b.id === DEMO_PROFILE_ID) - Number(a.id === DEMO_PROFILE_ID));
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export const createConnectionsSlice: SliceCreator<ConnectionsSlice> = (set, get) => ({
  appInfo: null,
  profiles: [],
  profilesLoaded: false,
  profilesError: null,
  connections: {},
  connecting: {},
  connectErrors: {},
  activeProfileId: null,
  passwordPrompt: null,
  form: null,

  async loadAppInfo() {
    try {
      set({ appInfo: await call('app/info', {}) });
    } catch {
      // The profiles call reports the same failure where a person sees it.
    }
  },

  async refreshProfiles() {
    try {
      const profiles = await call('profiles/list', {});
      set({ profiles: orderProfiles(profiles), profilesLoaded: true, profilesError: null });
    } catch (error) {
      set({ profilesError: toErrorData(error), profilesLoaded: true });
    }
  },

  async syncConnections() {
    let list: ConnectionInfo[];
    try {
      list = await call('connections/list', {});
    } catch {
      return;
    }
    const connections: Record<string, OpenConnection> = {};
    for (const info of list) connections[info.profileId] = { info, status: 'connected' };
    set({ connections });
    for (const info of list) void get().revealDefault(info.profileId);
    if (list.length > 0 && !get().activeProfileId) set({ activeProfileId: list[0]!.profileId });
  },

  async saveProfile(request) {
    const input: MethodInput<'profiles/save'> = { profile: request.profile };
    if (request.id) input.id = request.id;
    if (request.password !== undefined) input.password = request.password;
    if (request.savePassword !== undefined) input.savePassword = request.savePassword;
    const saved = await call('profiles/save', input);
    await get().refreshProfiles();
    return saved;
  },

  async duplicateProfile(id) {
    try {
      await call('profiles/duplicate', { id });
      await get().refreshProfiles();
    } catch (error) {
      set((s) => ({ connectErrors: { ...s.connectErrors, [id]: toErrorData(error) } }));
    }
  },

  async deleteProfile(id) {
    try {
      if (get().connections[id]) await get().closeConnection(id);
      await call('profiles/delete', { id });
      set((s) => ({ connectErrors: without(s.connectErrors, id) }));
      await get().refreshProfiles();
    } catch (error) {
      set((s) => ({ connectErrors: { ...s.connectErrors, [id]: toErrorData(error) } }));
    }
  },

  async openConnection(profileId, password, options = {}) {
    const profile = get().profiles.find((p) => p.id === profileId);
    if (profile?.password === 'ask' && password === undefined) {
      set({ passwordPrompt: { profileId } });
      return { ok: false, prompted: true };
    }
    set((s) => ({
      connecting: { ...s.connecting, [profileId]: true },
      connectErrors: without(s.connectErrors, profileId),
    }));
    try {
      const input: { profileId: string; password?: string } = { profileId };
      if (password !== undefined) input.password = password;
      const info = await call('connections/open', input);
      set((s) => ({
        connections: { ...s.connections, [profileId]: { info, status: 'connected' } },
        connecting: without(s.connecting, profileId),
        activeProfileId: profileId,
        passwordPrompt: null,
      }));
      // The core may have noted a typed password, or (for the demo) the port it now listens on.
      void get().refreshProfiles();
      void get().revealDefault(profileId);
      return { ok: true };
    } catch (error) {
      const data = toErrorData(error);
      if (options.reportToCaller) {
        set((s) => ({ connecting: without(s.connecting, profileId) }));
        return { ok: false, error: data };
      }
      if (error instanceof ApiError && error.code === 'AUTH_FAILED') {
        set((s) => ({
          connecting: without(s.connecting, profileId),
          passwordPrompt: { profileId, error: data },
        }));
        return { ok: false, prompted: true };
      }
      set((s) => ({
        connecting: without(s.connecting, profileId),
        connectErrors: { ...s.connectErrors, [profileId]: data },
      }));
      return { ok: false, error: data };
    }
  },

  async closeConnection(profileId) {
    const open = get().connections[profileId];
    if (!open) return;
    try {
      await call('connections/close', { connectionId: open.info.connectionId });
    } catch {
      // Already gone on the core's side: forgetting it here is all that is left to do.
    }
    set((s) => ({
      connections: without(s.connections, profileId),
      activeProfileId: s.activeProfileId === profileId ? (Object.keys(without(s.connections, profileId))[0] ?? null) : s.activeProfileId,
    }));
    get().forgetTree(profileId);
  },

  connectionStatusChanged(connectionId, state, message) {
    const entry = Object.entries(get().connections).find(([, c]) => c.info.connectionId === connectionId);
    if (!entry) return;
    const [profileId, open] = entry;
    if (state === 'closed') {
      set((s) => ({ connections: without(s.connections, profileId) }));
      get().forgetTree(profileId);
      return;
    }
    set((s) => ({
      connections: {
        ...s.connections,
        [profileId]: { info: open.info, status: state, ...(message !== undefined ? { message } : {}) },
      },
    }));
  },

  setActiveProfile(profileId) {
    if (get().activeProfileId !== profileId) set({ activeProfileId: profileId });
  },

  dismissConnectError(profileId) {
    set((s) => ({ connectErrors: without(s.connectErrors, profileId) }));
  },

  closePasswordPrompt() {
    set({ passwordPrompt: null });
  },

  openForm(request) {
    set({ form: request });
  },

  closeForm() {
    set({ form: null });
  },
});
