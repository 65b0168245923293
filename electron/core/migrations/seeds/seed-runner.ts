/**
 * Seeds: `.sql` files in a `seeds/` folder beside the migrations folder, run on a connection when a person
 * asks. Unlike migrations they keep no state in the database: each run is logged in the app's data folder
 * (seed-log.ts) instead.
 */
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CabinetError } from '../../../../shared/errors.ts';
import type { PlannedStatement, SeedFile, SeedList, SeedRunResult } from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import { splitStatements, type SqlStatement } from '../../../../shared/sql-split.ts';
import type { Endpoint } from '../../connections/connector.ts';
import type { DbSession } from '../../drivers/driver.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import { dialectFor } from '../engines/migration-dialect.ts';
import { readFolderFile } from '../files/folder-files.ts';
import { openRunnerSession } from '../runner/migration-run.ts';

/** `db/migrations` → `db/seeds`. */
export function seedsFolder(migrationsDir: string): string {
  return join(dirname(migrationsDir), 'seeds');
}

const seedName = (file: string) => (/\.sql$/i.test(file) ? undefined : `"${file}" is not a seed: seeds are .sql files in the seeds folder.`);

function statementsOf(text: string, file: string, engine: Engine): SqlStatement[] {
  return splitStatements(text, { engine, file, firstLine: 1 });
}

async function seedFile(dir: string, file: string, engine: Engine): Promise<SeedFile> {
  try {
    const { text, size } = await readFolderFile(dir, file, seedName);
    try {
      return { file, sql: text, size, statements: statementsOf(text, file, engine).map((s) => s.sql) };
    } catch (error) {
      return { file, sql: text, size, statements: [], error: toCabinetError(error).message };
    }
  } catch (error) {
    const size = (await lstat(join(dir, file)).catch(() => undefined))?.size ?? 0;
    return { file, size, statements: [], error: toCabinetError(error).message };
  }
}

/** The seeds folder's `.sql` files, sorted by name (the order a person numbers them in), with their statements. */
export async function listSeeds(migrationsDir: string, engine: Engine): Promise<SeedList> {
  const dir = seedsFolder(migrationsDir);
  const found = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!found) return { dir, exists: false, seeds: [] };
  // A symbolic link is not listed: seeds are read from the folder itself, as migrations are.
  const files = found.filter((e) => e.isFile() && seedName(e.name) === undefined).map((e) => e.name).sort();
  return { dir, exists: true, seeds: await Promise.all(files.map((file) => seedFile(dir, file, engine))) };
}

export interface SeedRunOptions {
  endpoint: Endpoint;
  migrationsDir: string;
  file: string;
  dryRun?: boolean;
  /** After each statement that completed. */
  onProgress?: (statementsDone: number, statementsTotal: number) => void;
}

/**
 * Runs one seed. PostgreSQL: in one transaction (BEGIN, its statements, COMMIT), so a failure leaves nothing.
 * MySQL commits DDL implicitly: statement by statement, and a failure leaves the statements before it. A seed
 * that starts its own transactions is run as written. Once the file is read, a failure (the connection
 * included) is the result's, never thrown: every run can be logged.
 */
export async function runSeed(options: SeedRunOptions): Promise<SeedRunResult> {
  const { endpoint, file } = options;
  const { engine, database } = endpoint.params;
  const { text } = await readFolderFile(seedsFolder(options.migrationsDir), file, seedName);
  const statements = statementsOf(text, file, engine);
  const transactional = engine === 'postgres';
  const planned: PlannedStatement[] = [];
  const result: SeedRunResult = {
    file,
    dryRun: options.dryRun === true,
    ok: true,
    statementsDone: 0,
    statementsTotal: statements.length,
    statements: planned,
    rolledBack: false,
    executionMs: 0,
  };
  if (options.dryRun) {
    if (transactional) planned.push({ kind: 'control', sql: 'BEGIN' });
    planned.push(...statements.map((s): PlannedStatement => ({ kind: 'migration', sql: s.sql })));
    if (transactional) planned.push({ kind: 'control', sql: 'COMMIT' });
    return result;
  }
  const begun = performance.now();
  const dialect = dialectFor(engine, database);
  let session: DbSession | undefined;
  try {
    session = await openRunnerSession(endpoint, 'Cabinet seeds');
    const send = async (statement: PlannedStatement, copyData?: string) => {
      planned.push(statement);
      await dialect.runStatement(session!, statement.sql, copyData);
    };
    if (transactional) await send({ kind: 'control', sql: 'BEGIN' });
    for (const statement of statements) {
      await send({ kind: 'migration', sql: statement.sql }, statement.copyData);
      result.statementsDone++;
      options.onProgress?.(result.statementsDone, statements.length);
    }
    if (transactional) await send({ kind: 'control', sql: 'COMMIT' });
  } catch (error) {
    const cause = error instanceof CabinetError ? error : toCabinetError(error);
    result.ok = false;
    result.error = cause.toData();
    const last = planned.at(-1);
    const failed = last?.kind === 'migration' ? statements[result.statementsDone] : undefined;
    result.failedStatement = failed?.sql ?? last?.sql ?? '(connecting)';
    if (failed) result.failedLine = failed.line;
    if (transactional && session && last) {
      result.rolledBack = true;
      if (cause.code !== 'CONNECTION_LOST') await session.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    await session?.close();
  }
  result.executionMs = Math.round(performance.now() - begun);
  return result;
}
