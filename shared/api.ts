/**
 * The typed contract between the renderer and the core: one map of methods (each with its input schema),
 * one map of events. Core handlers and the renderer client are both typed from these, so a renamed field
 * fails to compile on both sides, and the router checks every input against the same schema.
 */
import { z } from 'zod';
import { emptyInput, idSchema, LIMITS, method, type MethodTypes } from './contract.ts';
import { connectionParamsSchema, profileInputSchema, type Engine, type Profile } from './profiles.ts';
import type { TreeNode } from './tree.ts';
import { uiStateSchema, type UiState } from './ui-state.ts';
import { migrationMethods, type MigrationEvents } from './migrations.ts';
import { sessionMethods, type SessionEvents } from './sessions.ts';
import { historyMethods } from './history.ts';
import { draftMethods } from './drafts.ts';
import { browseMethods } from './browse.ts';
import { exportMethods, type ExportEvents } from './exports.ts';
import { editMethods } from './edits.ts';

export type Empty = Record<string, never>;

export interface AppInfo {
  mode: 'desktop' | 'browser';
  version: string;
  /** Desktop with an OS keyring: passwords can be saved encrypted. Otherwise they live in memory or are asked for. */
  canSavePasswords: boolean;
  /** Things the core had to tell the user at start-up, e.g. a damaged file it set aside. */
  notices: string[];
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
  /** The profile is marked read-only: sessions start read-only and the grid offers no edits. */
  readOnly: boolean;
}

export interface TestResult {
  serverVersion: string;
  /** Milliseconds from starting to connect until the version query returned. */
  elapsedMs: number;
}

const password = z.string().max(LIMITS.password);
const treePath = z.array(z.string().max(LIMITS.name)).max(LIMITS.treeDepth);

export const coreMethods = {
  'app/info': method<AppInfo>()(emptyInput),
  'profiles/list': method<Profile[]>()(emptyInput),
  /** Creates (no id) or updates a profile. `password: undefined` keeps the stored one; `null` forgets it. */
  'profiles/save': method<Profile>()(
    z.strictObject({
      id: idSchema.optional(),
      profile: profileInputSchema,
      password: password.nullable().optional(),
      savePassword: z.boolean().optional(),
    }),
  ),
  'profiles/duplicate': method<Profile>()(z.strictObject({ id: idSchema })),
  'profiles/delete': method<Empty>()(z.strictObject({ id: idSchema })),
  /** Connects once, reads the server version, disconnects. `profileId` supplies a stored password when none is typed. */
  'connections/test': method<TestResult>()(
    z.strictObject({ params: connectionParamsSchema, password: password.optional(), profileId: idSchema.optional() }),
  ),
  'connections/open': method<ConnectionInfo>()(z.strictObject({ profileId: idSchema, password: password.optional() })),
  'connections/close': method<Empty>()(z.strictObject({ connectionId: idSchema })),
  'connections/list': method<ConnectionInfo[]>()(emptyInput),
  /** Children of one tree node; `path: []` lists the connection's databases. */
  'schema/children': method<{ nodes: TreeNode[] }>()(z.strictObject({ connectionId: idSchema, path: treePath })),
  /** Disconnects the client holding the embedded demo (its open transaction rolls back), so the others go on. */
  'demo/release': method<{ released: boolean }>()(emptyInput),
  /** The source of a function or procedure in the tree. */
  'schema/definition': method<{ text: string }>()(z.strictObject({ connectionId: idSchema, path: treePath })),
  /** The workbench's layout between runs (theme, tabs, tree expansion), kept in the data folder. */
  'ui/load': method<UiState>()(emptyInput),
  'ui/save': method<Empty>()(z.strictObject({ state: uiStateSchema })),
};

export const methods = { ...coreMethods, ...migrationMethods, ...sessionMethods, ...historyMethods, ...draftMethods, ...browseMethods, ...exportMethods, ...editMethods };

export type Methods = MethodTypes<typeof methods>;
export type MethodName = keyof Methods;
/** What a caller sends. */
export type MethodInput<M extends MethodName> = Methods[M]['in'];
/** What a handler receives, after the schema checked it. */
export type ParsedInput<M extends MethodName> = Methods[M]['parsed'];
export type MethodOutput<M extends MethodName> = Methods[M]['out'];

export interface CoreEvents {
  'connection/status': { connectionId: string; state: 'connected' | 'lost' | 'closed'; message?: string };
  /** The embedded demo serves one backend: an open transaction on one of its connections holds the others back. */
  'demo/busy': { busy: boolean; message: string };
}

export type Events = CoreEvents & MigrationEvents & SessionEvents & ExportEvents;
export type EventName = keyof Events;
