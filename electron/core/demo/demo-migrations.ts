/**
 * The demo's migrations folder: the PostgreSQL samples (`migrations-samples/postgres`), copied into the app's
 * data folder (the app's own files may be read-only, and "Create migration" writes there), with the first half
 * applied, so a first-time user sees applied and pending versions at once.
 *
 * The prebuilt data folder already holds the applied half (scripts/build-demo-data.mjs applies it before
 * packing: on PGlite the six migrations take seconds). A demo seeded from SQL, or one from before the demo came
 * with migrations, gets it on the start that copies the samples, when the database has no `cabinet_migrations`
 * yet; later starts find the folder and check nothing.
 */
import { existsSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MigrationReport } from '../../../shared/migrations.ts';
import type { Endpoint } from '../connections/connector.ts';
import { migrateUp, migrationStatus } from '../migrations/runner/actions.ts';

/** Beside the bundle (copied there by scripts/build-electron.mjs), else in the source tree. */
const SAMPLE_CANDIDATES = [new URL('./demo-migrations', import.meta.url), new URL('../../../migrations-samples/postgres', import.meta.url)].map((url) =>
  fileURLToPath(url),
);

export function demoSamplesDir(): string {
  const found = SAMPLE_CANDIDATES.find((dir) => existsSync(dir));
  if (!found) throw new Error(`The demo's sample migrations are missing (looked in ${SAMPLE_CANDIDATES.join(', ')}).`);
  return found;
}

/**
 * Copies the samples into `dir` unless it exists (a person's own edits and new files stay). Whole or absent.
 * True when it copied them now.
 */
export async function copyDemoMigrations(dir: string, samples = demoSamplesDir()): Promise<boolean> {
  if (existsSync(dir)) return false;
  const partial = `${dir}.copying`;
  await rm(partial, { recursive: true, force: true });
  await cp(samples, partial, { recursive: true });
  await rename(partial, dir);
  return true;
}

/**
 * Applies the first half of the folder's versions to a database that has never run a migration; null when it
 * has (whatever a person applied or reverted since stays as it is).
 */
export async function applyFirstHalf(endpoint: Endpoint, dir: string): Promise<MigrationReport | null> {
  const target = { ...endpoint, dir, applicationName: 'Cabinet demo', appliedBy: 'Cabinet demo' };
  const status = await migrationStatus(target);
  if (status.historyTableExists) return null;
  const half = status.rows[Math.floor(status.rows.length / 2) - 1];
  if (!half) return null;
  return migrateUp({ ...target, to: half.version });
}
