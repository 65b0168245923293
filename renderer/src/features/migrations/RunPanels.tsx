/**
 * A run's three moments: the confirmation (the dry run's exact SQL), the progress while it runs (statement by
 * statement, or who holds the lock it waits for, with Cancel), and the report after it (a failure's file, line,
 * statement and message).
 */
import type { LockHolder, MigrationLockWait, MigrationProgress, MigrationReport, PlannedStatement } from '../../../../shared/migrations.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Spinner } from '../../components/Icons.tsx';
import type { RunAction } from './runActions.ts';

export interface Plan {
  action: RunAction;
  report: MigrationReport;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Who holds the lock, in one sentence's worth of words. */
export function describeHolder(holder: LockHolder): string {
  const who = [holder.user ?? 'someone', holder.application ? `(${holder.application})` : '', holder.host ? `from ${holder.host}` : ''].filter(Boolean).join(' ');
  const since = holder.since ? `, connected since ${formatTime(holder.since)}` : '';
  const doing = holder.state ? `, ${holder.state}${holder.stateSince ? ` since ${formatTime(holder.stateSince)}` : ''}` : '';
  return `${who}, session ${holder.id}${since}${doing}`;
}

export function ConfirmDialog({ plan, lockHolder, onCancel, onConfirm }: { plan: Plan; lockHolder: LockHolder | null; onCancel: () => void; onConfirm: () => void }) {
  const { action, report } = plan;
  const versions = report.steps.map((s) => `${s.version} ${s.name}`);
  return (
    <Dialog
      title={`${action.title}: SQL to run`}
      onClose={onCancel}
      width={780}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <span className="spacer" />
          <button type="button" className="button button--primary" disabled={report.steps.length === 0} onClick={onConfirm}>
            {action.title}
          </button>
        </>
      }
    >
      <p>{action.explain}</p>
      <p>{versions.length === 0 ? 'Nothing to do.' : `Versions: ${versions.join(', ')}.`}</p>
      {lockHolder ? (
        <p className="migrations__notice">
          Another runner holds the lock ({describeHolder(lockHolder)}). This run waits for it up to a minute; you can cancel while it waits.
        </p>
      ) : null}
      <PlannedStatements statements={report.statements} />
    </Dialog>
  );
}

/** A dry run's statements in order; the history table's and the lock's are dimmed beside the migrations' own. */
export function PlannedStatements({ statements }: { statements: PlannedStatement[] }) {
  return (
    <ol className="edit-preview" aria-label="Statements">
      {statements.map((s, i) => (
        <li key={i} className={`edit-preview__statement migration-statement is-${s.kind}`}>
          <pre className="mono">{s.sql}</pre>
        </li>
      ))}
    </ol>
  );
}

export function RunProgress({
  title,
  progress,
  lockWait,
  cancelling,
  onCancel,
}: {
  title: string;
  progress: MigrationProgress[];
  lockWait: MigrationLockWait | null;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const last = progress[progress.length - 1];
  return (
    <section className="migrations__progress" aria-label="Progress" aria-live="polite">
      <div className="migrations__report-head">
        <span>
          <Spinner /> {title}
          {last ? `: ${last.version} ${last.name}, ${last.statementsDone} of ${plural(last.statementsTotal, 'statement')}` : '…'}
        </span>
        <span className="spacer" />
        <button type="button" className="button button--small" disabled={cancelling} onClick={onCancel}>
          {cancelling ? 'Cancelling…' : 'Cancel run'}
        </button>
      </div>
      {lockWait && !last ? (
        <div className="migrations__notice">
          Waiting for the migration lock, held by {lockWait.holder ? describeHolder(lockWait.holder) : 'another runner'}: {Math.round(lockWait.waitedMs / 1000)} s of{' '}
          {Math.round(lockWait.timeoutMs / 1000)} s.
        </div>
      ) : null}
      <StatementList progress={progress} label="Statements so far" />
    </section>
  );
}

function StatementList({ progress, label }: { progress: MigrationProgress[]; label: string }) {
  const statements = progress.filter((p) => p.phase === 'statement' && p.statement);
  if (statements.length === 0) return null;
  return (
    <ol className="migrations__progress-list" aria-label={label}>
      {statements.map((p, i) => (
        <li key={i} className="mono">
          {p.version}: {p.statement}
        </li>
      ))}
    </ol>
  );
}

export function ReportSummary({ title, report, progress, onDismiss }: { title: string; report: MigrationReport; progress: MigrationProgress[]; onDismiss: () => void }) {
  const ran = progress.filter((p) => p.phase === 'statement' && p.statement).length;
  const failure = report.failure;
  return (
    <section className={`migrations__report${failure ? ' is-failed' : ''}`} aria-label="Last run">
      <div className="migrations__report-head">
        <span>
          <strong>{title}</strong>: {report.steps.length === 0 ? 'nothing ran' : report.steps.map((s) => `${s.version} ${s.result}`).join(', ')} in{' '}
          {Math.round(report.elapsedMs)} ms{report.cancelled ? '; cancelled, the versions after these did not run' : ''}
        </span>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
      {ran > 0 ? (
        <details>
          <summary>{plural(ran, 'statement')} run</summary>
          <StatementList progress={progress} label="Statements run" />
        </details>
      ) : null}
      {failure ? (
        <div role="alert" className="migrations__failure">
          <div>
            {failure.version} {failure.name} failed
            {failure.file ? ` in ${failure.file}${failure.line ? `, line ${failure.line},` : ''}` : ''} after {failure.statementsDone} of{' '}
            {plural(failure.statementsTotal, 'statement')}
            {failure.rolledBack ? '; rolled back, nothing of it remains' : '; the statements before it stay done'}.
          </div>
          <div className="migrations__failure-message">{failure.error.message}</div>
          <pre className="mono">{failure.statement}</pre>
        </div>
      ) : null}
    </section>
  );
}
