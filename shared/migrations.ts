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
  /**
   * The file's sections now, in the form the history keeps them (headed by their `-- migrate:` marker), so
   * `upSql` and `appliedUpSql` compare line for line in a diff. Absent when the file (or the section) is not there.
   */
  upSql?: string;
  downSql?: string;
  /** The up and down SQL recorded by the latest event of this version, as it ran; absent for a version never run. */
  appliedUpSql?: string;
  appliedDownSql?: string;
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
  /** PostgreSQL application_name (MySQL keeps none). */
  application?: string;
  host?: string;
  /**
   * When the holder's session connected (PostgreSQL `backend_start`; a runner takes the lock right after it
   * connects). MySQL records no connection time: there it is when the session's current command began.
   */
  since?: string;
  /** What the holder's session is doing: PostgreSQL `state` (`idle`, `active`...), MySQL `COMMAND`. */
  state?: string;
  /** When that state began (PostgreSQL `state_change`; MySQL: now minus the processlist's `TIME`). */
  stateSince?: string;
}

/**
 * How the attached folder is laid out. `cabinet` is Cabinet's own two layouts (one file with `-- migrate:up`
 * and `-- migrate:down`, or `.up.sql`/`.down.sql` pairs), which it runs. `db-migrate` (`migrations/*.js` with
 * `migrations/sqls/*-up.sql`/`*-down.sql`) and `prisma` (`prisma/migrations/<ts>_<name>/migration.sql`) are
 * shown, their state read from those tools' own history tables, and never run: their tools own them.
 */
export const MIGRATION_LAYOUTS = ['cabinet', 'db-migrate', 'prisma'] as const;
export type MigrationLayout = (typeof MIGRATION_LAYOUTS)[number];

/** Tools whose history tables Cabinet reads (read-only) to show them on the same timeline. */
export const FOREIGN_TOOLS = ['prisma', 'db-migrate', 'dbmate', 'golang-migrate', 'flyway', 'knex'] as const;
export type ForeignTool = (typeof FOREIGN_TOOLS)[number];

/** One row of another tool's history table, as the timeline draws it. */
export interface ForeignHistoryEntry {
  tool: ForeignTool;
  /** The version the tool records (Flyway's `version`, golang-migrate's number, the numeric prefix of a name); '' when it keeps none (a Flyway repeatable migration). */
  version: string;
  /** The migration's name as the tool records it (Prisma's `migration_name`, knex's file name, Flyway's description). */
  name: string;
  /** Server text in UTC, ISO 8601; null where the tool keeps no time (dbmate, golang-migrate). */
  appliedAt: string | null;
  /** False for a failed (Flyway `success = false`, Prisma unfinished), dirty (golang-migrate) or rolled-back entry. */
  success: boolean;
  /** golang-migrate: the last migration failed part way and the database needs fixing by hand. */
  dirty?: boolean;
  executionMs: number | null;
  checksum: string | null;
  /** Every column of the row as the tool recorded it, as text (times as ISO 8601): installed_by, type, script, batch, logs... */
  extra: Record<string, string>;
}

export interface ForeignHistory {
  tool: ForeignTool;
  /** The table as found, schema-qualified on PostgreSQL. */
  table: string;
  /** Oldest first; at most `FOREIGN_HISTORY_LIMIT` rows, the newest ones. */
  entries: ForeignHistoryEntry[];
  /** Rows in the table; more than `entries.length` when it was cut. */
  total: number;
}

export const FOREIGN_HISTORY_LIMIT = 5000;

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
  layout: MigrationLayout;
  /**
   * Set for a layout Cabinet shows but does not run (db-migrate, Prisma): why `up`, `down`, `baseline`,
   * `resolve`, `create` and `write-file` refuse. Rows then take their state from that tool's history table.
   */
  readOnlyReason?: string;
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
  /** `migrations/cancel` stopped the run between two migrations: the steps listed ran, the rest did not. */
  cancelled?: boolean;
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

/**
 * A run waits for another runner's lock: sent when the wait begins and about every second while it lasts,
 * so a window can name the holder and offer to cancel (`migrations/cancel`) or wait longer (`lockTimeoutMs`).
 */
export interface MigrationLockWait {
  runId: string;
  holder: LockHolder | null;
  waitedMs: number;
  timeoutMs: number;
}

/** What `migrations/cancel` did. */
export interface CancelResult {
  /**
   * `waiting`: the run was waiting for the lock; it stops at once, nothing ran, and its call fails with LOCKED.
   * `running`: it holds the lock; the migration under way completes (a PostgreSQL migration is never torn
   * half-way, and a MySQL one is not stopped between its statements), the next ones do not start, and its
   * report says `cancelled`. `none`: no run of that id is going on (it ended, or never started).
   */
  stage: 'waiting' | 'running' | 'none';
  message: string;
}

/** One file of the attached folder, read for the editor. */
export interface MigrationFileText {
  /** The file's name, relative to the folder (no folders: migrations are flat). */
  file: string;
  text: string;
  /** Bytes on disk. */
  size: number;
  /** Last change, ISO 8601: `write-file` refuses to overwrite a file changed since (`expectedModifiedAt`). */
  modifiedAt: string;
}

/** The largest migration or seed file the app reads or writes: 8 MiB (pg_dump files included); bigger ones belong to the command line. */
export const MIGRATION_FILE_MAX_BYTES = 8 * 1024 * 1024;

/** One `.sql` file of the `seeds/` folder beside the migrations folder. */
export interface SeedFile {
  file: string;
  /** The file's text; absent when it is bigger than `MIGRATION_FILE_MAX_BYTES` (then `error` says so). */
  sql?: string;
  size: number;
  /** The statements Cabinet's splitter finds, in order: what a run sends. */
  statements: string[];
  /** Why the file cannot be run (too big, an unterminated quote). */
  error?: string;
}

export interface SeedList {
  /** The seeds folder: `seeds/` beside the migrations folder (`<parent>/seeds`). */
  dir: string;
  exists: boolean;
  seeds: SeedFile[];
}

/**
 * A seed run. PostgreSQL runs the file in one transaction: on failure nothing of it remains (`rolledBack`).
 * MySQL commits DDL implicitly, so it runs statement by statement and a failure leaves the statements before it.
 */
export interface SeedRunResult {
  file: string;
  dryRun: boolean;
  ok: boolean;
  statementsDone: number;
  statementsTotal: number;
  /** Every statement sent (or, in a dry run, that would be sent), control statements included. */
  statements: PlannedStatement[];
  error?: CabinetErrorData;
  failedStatement?: string;
  /** 1-based line of the failing statement in the seed file. */
  failedLine?: number;
  rolledBack: boolean;
  executionMs: number;
  /** The log entry written for this run (absent for a dry run, which is not logged). */
  logEntry?: SeedLogEntry;
}

/** One line of the seed log, kept in the app's data folder (`seed-log.jsonl`): every run, whatever its result. */
export interface SeedLogEntry {
  /** When the run started, ISO 8601 UTC. */
  at: string;
  /** The connection profile it ran on (`seed-log` filters by it). */
  profileId: string;
  connectionName: string;
  engine: Engine;
  host: string;
  port: number;
  database: string;
  /** The seed file's absolute path. */
  file: string;
  result: 'ok' | 'failed';
  statementsDone: number;
  statementsTotal: number;
  executionMs: number;
  error?: string;
  failedStatement?: string;
  rolledBack?: boolean;
}

export interface SeedProgress {
  runId: string;
  file: string;
  statementsDone: number;
  statementsTotal: number;
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

/** A file name in the attached folder: one name, no folders; which names are allowed is the core's to say. */
const fileName = z
  .string()
  .min(1)
  .max(LIMITS.name)
  .regex(/^[^/\\\0]+$/, { error: () => 'expected a file name in the folder, without any folder part' });

export const RESOLVE_CHOICES = ['resume', 'revert', 'mark-resolved'] as const;
export type ResolveChoice = (typeof RESOLVE_CHOICES)[number];

export const migrationMethods = {
  'migrations/status': method<MigrationStatusReport>()(z.strictObject(migrationTarget)),
  /** Cabinet's own history (every event, oldest first), and other tools' history tables found in the database. */
  'migrations/history': method<{ events: HistoryEvent[]; foreign: ForeignHistory[] }>()(z.strictObject({ connectionId: idSchema })),
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
  /** Stops a run by its `runId`: at once while it waits for the lock, or between two migrations once it runs. */
  'migrations/cancel': method<CancelResult>()(z.strictObject({ runId: z.string().min(1).max(LIMITS.id) })),
  /** The text of one migration file of the folder, for the editor. Only migration file names, only in the folder. */
  'migrations/read-file': method<MigrationFileText>()(z.strictObject({ dir: migrationTarget.dir, file: fileName })),
  /**
   * Saves a migration file of the folder (a new one, or one `read-file` returned). Refused for a name that is
   * not a migration's, for a path out of the folder (a symbolic link included), for a layout Cabinet does not
   * run, and when `expectedModifiedAt` is given and the file changed since.
   */
  'migrations/write-file': method<MigrationFileText>()(
    z.strictObject({
      dir: migrationTarget.dir,
      file: fileName,
      text: z.string().max(MIGRATION_FILE_MAX_BYTES),
      expectedModifiedAt: z.string().max(64).optional(),
    }),
  ),
  /** The `.sql` files of the `seeds/` folder beside the migrations folder, with their statements. */
  'migrations/seeds': method<SeedList>()(z.strictObject(migrationTarget)),
  /** Runs one seed file on the connection (or, with `dryRun`, lists what it would send); logs every real run. */
  'migrations/seed-run': method<SeedRunResult>()(
    z.strictObject({ ...migrationTarget, file: fileName, dryRun: z.boolean().optional(), runId: z.string().max(LIMITS.id).optional() }),
  ),
  /** The seed log, newest first: every run on every connection, or those on one connection's database. */
  'migrations/seed-log': method<{ entries: SeedLogEntry[] }>()(z.strictObject({ connectionId: idSchema.optional() })),
};

export interface MigrationEvents {
  'migrations/progress': MigrationProgress;
  'migrations/lock-wait': MigrationLockWait;
  'migrations/seed-progress': SeedProgress;
}
