import type {
  HistoryEvent,
  MigrationFailure,
  MigrationProgress,
  MigrationReport,
  MigrationStatusReport,
} from '../../../../shared/migrations.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import { describeHolder } from '../runner/lock.ts';

/** Columns padded to their widest cell; the last column is left ragged. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const when = (iso: string | undefined | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
const duration = (ms: number | undefined | null) => (ms === undefined || ms === null ? '' : `${ms} ms`);

export function formatStatus(report: MigrationStatusReport): string {
  const rows = report.rows.map((r) => [r.version, r.name, r.status, when(r.appliedAt), duration(r.executionMs), r.appliedBy ?? '']);
  const notes = report.rows.flatMap((r) => {
    if (r.status === 'modified') return [`${r.version} modified: checksum ${r.appliedChecksum} when applied, ${r.checksum} now.`];
    if (r.status === 'failed') {
      const at = `after ${r.statementsDone ?? 0} of ${r.statementsTotal ?? 0} statements`;
      return [`${r.version} failed ${at}: ${r.error ?? ''}${r.failedStatement ? `\n  statement: ${firstLine(r.failedStatement)}` : ''}`];
    }
    if (r.status === 'missing') return [`${r.version} missing: applied, but its file is gone.`];
    return [];
  });
  const out = [
    report.rows.length === 0 ? 'No migrations in the folder and none in the history.' : table(['VERSION', 'NAME', 'STATUS', 'WHEN (UTC)', 'TIME', 'BY'], rows),
    ...notes,
  ];
  if (report.lockHolder) out.push(`Locked by another runner: ${describeHolder(report.lockHolder, report.engine)}.`);
  if (report.upBlockedBy) out.push(`"up" is blocked: ${report.upBlockedBy}`);
  if (report.readOnlyReason) out.push(report.readOnlyReason);
  return `${out.join('\n')}\n`;
}

export function formatHistory(events: HistoryEvent[]): string {
  if (events.length === 0) return 'The history is empty.\n';
  const rows = events.map((e) => [String(e.id), e.version, e.name, e.action, e.status, `${e.statementsDone}/${e.statementsTotal}`, when(e.startedAt), e.appliedBy ?? '']);
  return `${table(['ID', 'VERSION', 'NAME', 'ACTION', 'STATUS', 'DONE', 'STARTED (UTC)', 'BY'], rows)}\n`;
}

/** One line per finished migration, as it finishes. */
export function formatProgress(progress: MigrationProgress): string | undefined {
  if (progress.phase !== 'done') return undefined;
  const arrow = progress.direction === 'up' ? 'applied ' : 'reverted';
  return `${arrow} ${progress.version} ${progress.name} (${progress.statementsTotal} statement${progress.statementsTotal === 1 ? '' : 's'})`;
}

/**
 * A dry run: every statement, grouped under its version, each with its terminator, so the text runs
 * as printed (in psql, or in the mysql client, where a body with semicolons needs a DELIMITER).
 */
export function formatDryRun(report: MigrationReport, engine: Engine): string {
  let current: string | undefined;
  const out: string[] = ['-- dry run: nothing was changed'];
  for (const statement of report.statements) {
    if (statement.version !== current) {
      current = statement.version;
      if (current !== undefined) out.push(`\n-- version ${current}`);
    }
    if (engine === 'mysql' && statement.kind === 'migration' && statement.sql.includes(';')) out.push(`DELIMITER $$\n${statement.sql}$$\nDELIMITER ;`);
    // COPY ... FROM stdin comes with its data lines and the closing \. line, as psql reads it.
    else if (engine === 'postgres' && statement.kind === 'migration' && statement.sql.endsWith('\n\\.')) out.push(statement.sql);
    else out.push(`${statement.sql};`);
  }
  return `${out.join('\n')}\n`;
}

export function formatSummary(report: MigrationReport): string {
  const count = report.steps.length;
  const verb = { up: 'Applied', down: 'Reverted', baseline: 'Baselined', resolve: 'Resolved' }[report.action];
  if (count === 0 && !report.failure) return report.action === 'up' ? 'Nothing to apply: the database is up to date.\n' : 'Nothing to do.\n';
  return `${verb} ${count} migration${count === 1 ? '' : 's'} in ${report.elapsedMs} ms.\n`;
}

/** The one line a failure gets on stderr. */
export function failureLine(failure: MigrationFailure): string {
  const where = [failure.file, failure.line === undefined ? undefined : `line ${failure.line}`].filter(Boolean).join(', ');
  const outcome = failure.rolledBack ? 'rolled back' : `${failure.statementsDone} of ${failure.statementsTotal} statements ran`;
  return `version ${failure.version} (${where}) failed at statement ${failure.statementsDone + 1} "${firstLine(failure.statement)}": ${oneLine(failure.error.message)} (${outcome})`;
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0]!;
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
