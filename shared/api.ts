/**
 * The typed contract between the renderer and the core. One map of methods, one map of events.
 * Core handlers and the renderer client are both typed from these, so a renamed field fails to compile
 * on both sides.
 */
import type { ConnectionParams, Engine, Profile, ProfileInput } from './profiles.ts';
import type { TreeNode } from './tree.ts';
import type { MigrationEvents, MigrationMethods } from './migrations.ts';

export type Empty = Record<string, never>;

export interface AppInfo {
  mode: 'desktop' | 'browser';
  version: string;
  /** Desktop with an OS keyring: passwords can be saved encrypted. Otherwise they live in memory or are asked for. */
  canSavePasswords: boolean;
}

/** What an engine can do; the UI asks these instead of checking engine names. */
export interface Capabilities {
  schemas: boolean;
  materializedViews: boolean;
  transactionalDdl: boolean;
  functions: boolean;
  procedures: boolean;
}

export interface ConnectionInfo {
  connectionId: string;
  profileId: string;
  name: string;
  engine: Engine;
  serverVersion: string;
  database: string;
  user: string;
  host: string;
  port: number;
  capabilities: Capabilities;
}

export interface TestResult {
  serverVersion: string;
  /** Milliseconds from starting to connect until the version query returned. */
  elapsedMs: number;
}

export interface CoreMethods {
  'app/info': { in: Empty; out: AppInfo };
  'profiles/list': { in: Empty; out: Profile[] };
  /** Creates (no id) or updates a profile. `password: undefined` keeps the stored one; `null` forgets it. */
  'profiles/save': {
    in: { id?: string; profile: ProfileInput; password?: string | null; savePassword?: boolean };
    out: Profile;
  };
  'profiles/duplicate': { in: { id: string }; out: Profile };
  'profiles/delete': { in: { id: string }; out: Empty };
  /** Connects once, reads the server version, disconnects. `profileId` supplies a stored password when none is typed. */
  'connections/test': { in: { params: ConnectionParams; password?: string; profileId?: string }; out: TestResult };
  'connections/open': { in: { profileId: string; password?: string }; out: ConnectionInfo };
  'connections/close': { in: { connectionId: string }; out: Empty };
  'connections/list': { in: Empty; out: ConnectionInfo[] };
  /** Children of one tree node; `path: []` lists the connection's databases. */
  'schema/children': { in: { connectionId: string; path: string[] }; out: { nodes: TreeNode[] } };
  /** Disconnects the client holding the embedded demo (its open transaction rolls back), so the others go on. */
  'demo/release': { in: Empty; out: { released: boolean } };
}

export type Methods = CoreMethods & MigrationMethods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = Methods[M]['in'];
export type MethodOutput<M extends MethodName> = Methods[M]['out'];

export interface CoreEvents {
  'connection/status': { connectionId: string; state: 'connected' | 'lost' | 'closed'; message?: string };
  /** The embedded demo serves one backend: an open transaction on one of its connections holds the others back. */
  'demo/busy': { busy: boolean; message: string };
}

export type Events = CoreEvents & MigrationEvents;
export type EventName = keyof Events;
