/**
 * `cabinet-migrate`: the migration runner from a terminal or a CI pipeline. Exit code 0 on success,
 * 1 when a command fails, 2 for a usage mistake; the reason is one line on stderr.
 */
import { resolve } from 'node:path';
import { parseConnectionUrl } from '../../../shared/connection-url.ts';
import { CabinetError } from '../../../shared/errors.ts';
import type { MigrationReport } from '../../../shared/migrations.ts';
import type { Engine } from '../../../shared/profiles.ts';
import { readDotenvValue } from './cli/dotenv.ts';
import { parseCommandLine, type Command } from './cli/command-line.ts';
import { failureLine, formatDryRun, formatHistory, formatProgress, formatStatus, formatSummary, oneLine } from './cli/print.ts';
import { createMigrationFile } from './files/migration-folder.ts';
import { baselineAt, migrateDown, migrateUp, migrationHistory, migrationStatus, resolveFailed } from './runner/actions.ts';
import type { RunnerOptions } from './runner/migration-run.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if ('help' in parsed) {
    io.stdout(parsed.help);
    return 0;
  }
  if ('usageError' in parsed) {
    io.stderr(`cabinet-migrate: ${parsed.usageError}\n${parsed.usage ? `${parsed.usage}\n` : ''}`);
    return 2;
  }
  try {
    return await runCommand(parsed.command, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`cabinet-migrate: ${oneLine(message)}\n`);
    return 1;
  }
}

/** Whether these arguments make a command that connects to a database (the bin keeps a fuller code cache after one). */
export function touchesDatabase(argv: string[]): boolean {
  const parsed = parseCommandLine(argv);
  return 'command' in parsed && parsed.command.verb !== 'create';
}

async function runCommand(command: Command, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd, command.dir);
  if (command.verb === 'create') {
    const created = await createMigrationFile(dir, command.argument!);
    io.stdout(`${resolve(dir, created.file)}\n`);
    return 0;
  }
  const options = await runnerOptions(command, dir, io);
  const { engine } = options.params;
  const print = (text: unknown) => io.stdout(typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
  switch (command.verb) {
    case 'status': {
      const report = await migrationStatus(options);
      print(command.json ? report.rows : formatStatus(report));
      return 0;
    }
    case 'history': {
      const events = await migrationHistory(options);
      print(command.json ? events : formatHistory(events));
      return 0;
    }
    case 'up':
      return finish(await migrateUp({ ...options, to: command.to, allowOutOfOrder: command.allowOutOfOrder }), engine, command, io);
    case 'down':
      return finish(await migrateDown({ ...options, count: command.count, to: command.to }), engine, command, io);
    case 'baseline':
      return finish(await baselineAt({ ...options, version: command.argument! }), engine, command, io);
    case 'resolve':
      return finish(await resolveFailed({ ...options, version: command.argument!, choice: command.choice! }), engine, command, io);
  }
}

/** The connection from --url, else DATABASE_URL from the environment, else from ./.env. */
async function runnerOptions(command: Command, dir: string, io: CliIo): Promise<RunnerOptions> {
  const url = command.url ?? io.env.DATABASE_URL ?? (await readDotenvValue(io.cwd, 'DATABASE_URL'));
  if (!url) {
    throw new CabinetError({ code: 'BAD_INPUT', message: 'No database given: pass --url, or set DATABASE_URL (in the environment or ./.env).' });
  }
  const { password, ...params } = parseConnectionUrl(url);
  const options: RunnerOptions = { params, password, dir, dryRun: command.dryRun, applicationName: 'cabinet-migrate' };
  if (command.lockTimeoutMs !== undefined) options.lockTimeoutMs = command.lockTimeoutMs;
  if (!command.json && !command.dryRun) {
    options.onProgress = (progress) => {
      const line = formatProgress(progress);
      if (line) io.stdout(`${line}\n`);
    };
  }
  return options;
}

function finish(report: MigrationReport, engine: Engine, command: Command, io: CliIo): number {
  if (command.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (report.dryRun) io.stdout(formatDryRun(report, engine));
  if (!command.json) io.stdout(formatSummary(report));
  if (report.failure) {
    io.stderr(`cabinet-migrate: ${failureLine(report.failure)}\n`);
    return 1;
  }
  return 0;
}
