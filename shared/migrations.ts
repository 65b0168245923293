/**
 * The migrations part of the contract: what the core's runner answers, and the events it sends while it
 * runs. The command line prints the same types, so what a person reads in a terminal and what the app
 * draws come from one place.
 */
import { z } from 'zod';
import { absolutePathSchema, idSchema, LIMITS, method } from './contract.ts';
import type { CabinetErrorData } from './errors.ts';
import type { Engine } from './profiles.ts';

/**
 * One version's state, computed from its file and the latest row of its history:
 * - `pending`: has a file, never applied; `out-of-order` when it is older than the newest applied version;
 * - `reverted`: applied once, reverted since (the next `up` applies it again);
 * - `modified`: applied, but the file's checksum differs from the applied one (blocks `up`);
 * - `missing`: applied (or failed) while its file is gone;
 * - `running`: another runner is applying it right now;
 * - `failed`: a run stopped part way (MySQL, or PostgreSQL with `transaction:false`), waiting for `resolve`.
 */
export type MigrationStatus =
  | 'applied'
  | 'pending'
  | 'out-of-order'
  | 'failed'
  | 'running'
  | 'modified'
  | 'missing'
  | 'baseline'
  | 'reverted';

/** What a history row records: the state a run left, one row per event, never updated afterwards. */
export type HistoryState = 'running' | 'applied' | 'failed' | 'reverted' | 'baseline';

/**
 * The action that wrote a history row. A resume continues a failed run in its own direction
 * (`resume-up` or `resume-down`); `revert-failed` runs the down section of a failed version.
 */
export type HistoryAction = 'up' | 'down' | 'baseline' | 'resume-up' | 'resume-down' | 'revert-failed' | 'mark-resolved';

/** One version, as `status` lists it. */
export interface MigrationRow {
  version: string;
  name: string;
  status: MigrationStatus;
  /** The file(s) of this version, relative to the folder; absent when the file is gone. */
  files?: string[];
  /** sha256 of the file's up section, normalised (no BOM, LF line ends, no trailing blanks). */
  checksum?: string;
  /** The checksum recorded when it was applied; differs from `checksum` when `modified`. */
  appliedChecksum?: string;
  /** A down section exists in the file, or in the history (kept as applied). */
  canRevert: boolean;
  /** Latest event of this version, when it has any. */
  appliedAt?: string;
  executionMs?: number;
  /** Operating-system user and host that ran it, and the database user. */
  appliedBy?: string;
  dbUser?: string;
  statementsDone?: number;
  statementsTotal?: number;
  error?: string;
  failedStatement?: string;
}

export interface LockHolder {
  /** PostgreSQL backend pid, or MySQL connection id. */
  id: number;
  user?: string;
  /** PostgreSQL application_name, or MySQL client host. */
  application?: string;
  host?: string;
  since?: string;
}

export interface MigrationStatusReport {
  engine: Engine;
  database: string;
  /** False before the first migration ran: the history table is created on first use. */
  historyTableExists: boolean;
  rows: MigrationRow[];
  /** Who holds the migration lock right now, if anyone. */
  lockHolder: LockHolder | null;
  /** Why `up` would refuse to run now (a failed or modified version), if it would. */
  upBlockedBy?: string;
}

/** One row of `cabinet_migrations`, as the timeline draws it. */
export interface HistoryEvent {
  id: number;
  version: string;
  name: string;
  action: HistoryAction;
  status: HistoryState;
  checksum: string | null;
  upSql: string | null;
  downSql: string | null;
  statementsDone: number;
  statementsTotal: number;
  error: string | null;
  failedStatement: string | null;
  startedAt: string;
  finishedAt: string | null;
  executionMs: number | null;
  appliedBy: string | null;
  dbUser: string | null;
  toolVersion: string | null;
}

/** A statement the run executed, or would execute in a dry run. */
export interface PlannedStatement {
  /** The version it belongs to; absent for the history table's own set-up and the lock. */
  version?: string;
  /** `migration` is the migration's own SQL; `history` writes or reads `cabinet_migrations`; `control` is the lock or a transaction boundary. */
  kind: 'migration' | 'history' | 'control';
  sql: string;
}

export interface MigrationFailure {
  version: string;
  name: string;
  file?: string;
  /** 1-based line in the file where the failing statement starts. */
  line?: number;
  statement: string;
  /** Statements of this migration that completed before the failure. */
  statementsDone: number;
  statementsTotal: number;
  error: CabinetErrorData;
  /** PostgreSQL in a transaction: nothing of this migration remains. */
  rolledBack: boolean;
}

export interface MigrationStepResult {
  version: string;
  name: string;
  direction: 'up' | 'down';
  result: 'applied' | 'reverted' | 'baseline' | 'resolved';
  statementsDone: number;
  statementsTotal: number;
  executionMs: number;
}

export interface MigrationReport {
  action: 'up' | 'down' | 'baseline' | 'resolve';
  dryRun: boolean;
  steps: MigrationStepResult[];
  /** Every statement the run sent (or would send in a dry run), history-table ones included, in order. */
  statements: PlannedStatement[];
  /** Set when a migration failed; the steps before it stand. */
  failure?: MigrationFailure;
  elapsedMs: number;
}

export interface MigrationProgress {
  /** The `runId` of the call that started the run. */
  runId: string;
  version: string;
  name: string;
  direction: 'up' | 'down';
  phase: 'start' | 'statement' | 'done' | 'failed';
  statementsDone: number;
  statementsTotal: number;
  /** On `statement`: the statement that just completed. */
  statement?: string;
  dryRun: boolean;
}

const version = z.string().regex(/^\d{1,20}$/, { error: () => 'expected a version: digits, as in the file name' });

const migrationTarget = {
  connectionId: idSchema,
  /** The migrations folder, an absolute path on the machine that runs the core. */
  dir: absolutePathSchema,
};

const migrationRun = {
  ...migrationTarget,
  /** Print every statement, history-table ones included, and change nothing. */
  dryRun: z.boolean().optional(),
  /** How long to wait for another runner's lock before giving up; 10 s unless given. */
  lockTimeoutMs: z.number().int().min(0).max(600_000).optional(),
  /** Echoed in progress events, so a window can tell its own run from another's. */
  runId: z.string().max(LIMITS.id).optional(),
};

export const RESOLVE_CHOICES = ['resume', 'revert', 'mark-resolved'] as const;
export type ResolveChoice = (typeof RESOLVE_CHOICES)[number];

export const migrationMethods = {
  'migrations/status': method<MigrationStatusReport>()(z.strictObject(migrationTarget)),
  'migrations/history': method<{ events: HistoryEvent[] }>()(z.strictObject({ connectionId: idSchema })),
  /** Applies pending versions in order: all of them, or up to and including `to`. */
  'migrations/up': method<MigrationReport>()(
    z.strictObject({ ...migrationRun, to: version.optional(), allowOutOfOrder: z.boolean().optional() }),
  ),
  /** Reverts the newest applied versions: `count` of them (1 unless given), or every one above `to`. */
  'migrations/down': method<MigrationReport>()(
    z.strictObject({ ...migrationRun, count: z.number().int().min(1).max(100_000).optional(), to: version.optional() }),
  ),
  /** Records every pending version up to and including `version` as applied without running it. */
  'migrations/baseline': method<MigrationReport>()(z.strictObject({ ...migrationRun, version })),
  /** Settles a failed version: run its remaining statements, run its down section, or record it as applied. */
  'migrations/resolve': method<MigrationReport>()(
    z.strictObject({ ...migrationRun, version, choice: z.enum(RESOLVE_CHOICES) }),
  ),
  /** Writes a new migration file named with the current UTC timestamp, with both sections. */
  'migrations/create': method<{ file: string; version: string }>()(
    z.strictObject({ dir: migrationTarget.dir, name: z.string().trim().min(1).max(200) }),
  ),
};

export interface MigrationEvents {
  'migrations/progress': MigrationProgress;
}
