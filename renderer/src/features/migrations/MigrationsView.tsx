/**
 * The Migrations view of a connection: its attached folder's versions as a vertical timeline (newest at the
 * top), the SQL of the selected one, and the runner's actions, each confirmed with the exact SQL of a dry run.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodInput } from '../../../../shared/api.ts';
import { absolutePathSchema } from '../../../../shared/contract.ts';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { HistoryEvent, MigrationProgress, MigrationReport, MigrationRow, MigrationStatus, MigrationStatusReport } from '../../../../shared/migrations.ts';
import type { Profile } from '../../../../shared/profiles.ts';
import { call, onEvent } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import type { MigrationsTab } from '../workbench/tabsSlice.ts';
import { FolderField } from './FolderField.tsx';
import './migrations.css';

/** Each state has its own colour (by class), glyph and word, so colour is never the only signal. */
export const STATUS_LOOK: Record<MigrationStatus, { label: string; glyph: string }> = {
  applied: { label: 'applied', glyph: '✓' },
  pending: { label: 'pending', glyph: '○' },
  failed: { label: 'failed', glyph: '✕' },
  modified: { label: 'modified', glyph: '≠' },
  missing: { label: 'missing file', glyph: '?' },
  'out-of-order': { label: 'out of order', glyph: '↯' },
  baseline: { label: 'baseline', glyph: '⚑' },
  reverted: { label: 'reverted', glyph: '↶' },
  running: { label: 'running', glyph: '⟳' },
};

type Action = 'apply-next' | 'apply-all' | 'revert-last';

const ACTION_TITLES: Record<Action, string> = {
  'apply-next': 'Apply next',
  'apply-all': 'Apply all pending',
  'revert-last': 'Revert last',
};

interface Plan {
  action: Action;
  method: 'migrations/up' | 'migrations/down';
  input: MethodInput<'migrations/up'> | MethodInput<'migrations/down'>;
  report: MigrationReport;
}

/** The version the next `up` applies: the oldest one waiting (pending or reverted). */
function nextPending(rows: MigrationRow[]): MigrationRow | undefined {
  return [...rows].sort((a, b) => compareVersions(a.version, b.version)).find((r) => r.status === 'pending' || r.status === 'reverted');
}

function compareVersions(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function MigrationsView({ tab }: { tab: MigrationsTab }) {
  const profile = useStore((s) => s.profiles.find((p) => p.id === tab.profileId));
  const connectionId = useStore((s) => s.connections[tab.profileId]?.info.connectionId);
  if (!profile) return <div className="placeholder-card">This connection no longer exists.</div>;
  if (!profile.migrationsDir) return <AttachFolder profile={profile} />;
  if (!connectionId) return null;
  return <Timeline key={`${connectionId}:${profile.migrationsDir}`} profile={profile} dir={profile.migrationsDir} connectionId={connectionId} />;
}

/** No folder attached yet: a field to attach one (saved on the profile). */
function AttachFolder({ profile }: { profile: Profile }) {
  const saveProfile = useStore((s) => s.saveProfile);
  const [dir, setDir] = useState('');
  const [error, setError] = useState<CabinetErrorData | null>(null);
  const [busy, setBusy] = useState(false);

  const attach = async () => {
    const path = dir.trim();
    if (!absolutePathSchema.safeParse(path).success) {
      setError({ code: 'BAD_INPUT', message: `"${path}" is not an absolute path, such as /home/me/app/migrations.` });
      return;
    }
    setBusy(true);
    try {
      const { id: _id, password: _password, builtIn: _builtIn, createdAt: _createdAt, updatedAt: _updatedAt, ...input } = profile;
      await saveProfile({ id: profile.id, profile: { ...input, migrationsDir: path } });
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="placeholder-card migrations-attach">
      <p>No migrations folder is attached to {profile.name}.</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void attach();
        }}
      >
        <div className="field field--wide">
          <label htmlFor="migrations-attach-dir">Migrations folder</label>
          <FolderField id="migrations-attach-dir" value={dir} onChange={setDir} />
        </div>
        <button type="submit" className="button button--primary" disabled={busy || profile.builtIn === true}>
          Attach folder
        </button>
        {profile.builtIn ? <p className="muted">The demo connection cannot be edited.</p> : null}
      </form>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

function Timeline({ profile, dir, connectionId }: { profile: Profile; dir: string; connectionId: string }) {
  const profileId = profile.id;
  const [status, setStatus] = useState<MigrationStatusReport | null>(null);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [loadError, setLoadError] = useState<CabinetErrorData | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planning, setPlanning] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<CabinetErrorData | null>(null);
  const [running, setRunning] = useState<{ title: string; progress: MigrationProgress[] } | null>(null);
  const [lastReport, setLastReport] = useState<{ title: string; report: MigrationReport; progress: MigrationProgress[] } | null>(null);
  const refreshTree = useStore((s) => s.refreshNode);
  const [reloads, setReloads] = useState(0);
  const refresh = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let alive = true;
    Promise.all([call('migrations/status', { connectionId, dir }), call('migrations/history', { connectionId })]).then(
      ([report, history]) => {
        if (!alive) return;
        setStatus(report);
        setEvents(history.events);
        setLoadError(null);
      },
      (e: unknown) => {
        if (alive) setLoadError(toErrorData(e));
      },
    );
    return () => {
      alive = false;
    };
  }, [connectionId, dir, reloads]);

  const rows = useMemo(() => [...(status?.rows ?? [])].sort((a, b) => compareVersions(b.version, a.version)), [status]);
  const next = status ? nextPending(status.rows) : undefined;
  const revertable = rows.find((r) => r.status === 'applied' || r.status === 'baseline' || r.status === 'modified' || r.status === 'missing');

  const prepare = async (action: Action) => {
    setActionError(null);
    setPlanning(action);
    try {
      if (action === 'revert-last') {
        const input: MethodInput<'migrations/down'> = { connectionId, dir, count: 1 };
        const report = await call('migrations/down', { ...input, dryRun: true });
        setPlan({ action, method: 'migrations/down', input, report });
      } else {
        const input: MethodInput<'migrations/up'> = { connectionId, dir };
        if (action === 'apply-next' && next) input.to = next.version;
        const report = await call('migrations/up', { ...input, dryRun: true });
        setPlan({ action, method: 'migrations/up', input, report });
      }
    } catch (e) {
      setActionError(toErrorData(e));
    } finally {
      setPlanning(null);
    }
  };

  const run = async (chosen: Plan) => {
    setPlan(null);
    setActionError(null);
    setLastReport(null);
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const title = ACTION_TITLES[chosen.action];
    setRunning({ title, progress: [] });
    const progress: MigrationProgress[] = [];
    const stop = onEvent('migrations/progress', (p) => {
      if (p.runId !== runId) return;
      progress.push(p);
      setRunning((r) => (r ? { ...r, progress: [...progress] } : r));
    });
    try {
      const report =
        chosen.method === 'migrations/down'
          ? await call('migrations/down', { ...(chosen.input as MethodInput<'migrations/down'>), runId })
          : await call('migrations/up', { ...(chosen.input as MethodInput<'migrations/up'>), runId });
      setLastReport({ title, report, progress: [...progress] });
    } catch (e) {
      setActionError(toErrorData(e));
    } finally {
      stop();
      setRunning(null);
      refresh();
      // The schema changed: the tree shows it.
      void refreshTree(profileId, []);
    }
  };

  const selectedRow = rows.find((r) => r.version === selected);

  return (
    <div className="migrations">
      <div className="migrations__toolbar" role="toolbar" aria-label="Migration actions">
        <span className="migrations__dir mono" title={dir}>
          {dir}
        </span>
        <span className="spacer" />
        <button type="button" className="button" disabled={!next || planning !== null || running !== null} onClick={() => void prepare('apply-next')}>
          Apply next
        </button>
        <button type="button" className="button" disabled={!next || planning !== null || running !== null} onClick={() => void prepare('apply-all')}>
          Apply all pending
        </button>
        <button type="button" className="button" disabled={!revertable || planning !== null || running !== null} onClick={() => void prepare('revert-last')}>
          Revert last
        </button>
        <button type="button" className="button" disabled={running !== null} onClick={refresh}>
          Refresh
        </button>
      </div>

      {loadError ? <ErrorMessage error={loadError} /> : null}
      {actionError ? <ErrorMessage error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {status?.upBlockedBy ? (
        <div className="migrations__notice" role="status">
          Up is blocked: {status.upBlockedBy}
        </div>
      ) : null}
      {status?.lockHolder ? (
        <div className="migrations__notice" role="status">
          Another runner holds the migration lock: {status.lockHolder.user ?? 'someone'}
          {status.lockHolder.application ? ` (${status.lockHolder.application})` : ''}, id {status.lockHolder.id}
          {status.lockHolder.since ? `, since ${formatTime(status.lockHolder.since)}` : ''}.
        </div>
      ) : null}
      {running ? <RunProgress title={running.title} progress={running.progress} /> : null}
      {lastReport ? <ReportSummary title={lastReport.title} report={lastReport.report} progress={lastReport.progress} onDismiss={() => setLastReport(null)} /> : null}

      <div className="migrations__body">
        {!status && !loadError ? (
          <div className="muted">
            <Spinner /> Reading {profile.name}'s migrations…
          </div>
        ) : null}
        {status && rows.length === 0 ? <p className="muted">No migrations in this folder.</p> : null}
        {rows.length > 0 ? (
          <ol className="migrations__timeline" role="list" aria-label="Migrations timeline">
            {rows.map((row) => {
              const look = STATUS_LOOK[row.status];
              const isSelected = row.version === selected;
              return (
                <li
                  key={row.version}
                  role="listitem"
                  aria-label={`${row.version} ${row.name} — ${look.label}`}
                  aria-current={isSelected ? 'true' : undefined}
                  className={`migration-node is-${row.status}${isSelected ? ' is-selected' : ''}`}
                >
                  <button type="button" className="migration-node__button" onClick={() => setSelected(isSelected ? null : row.version)}>
                    <span className="migration-node__marker" aria-hidden="true">
                      {look.glyph}
                    </span>
                    <span className="migration-node__main">
                      <span className="migration-node__name">{row.name}</span>
                      <span className="migration-node__version mono">{row.version}</span>
                    </span>
                    <span className="migration-node__state">{look.label}</span>
                    <span className="migration-node__meta">
                      {row.appliedAt ? <span>{formatTime(row.appliedAt)}</span> : null}
                      {row.executionMs !== undefined ? <span>{row.executionMs} ms</span> : null}
                      {row.appliedBy || row.dbUser ? <span>by {[row.appliedBy, row.dbUser].filter(Boolean).join(' as ')}</span> : null}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        ) : null}
        {selectedRow ? <Detail row={selectedRow} events={events.filter((e) => e.version === selectedRow.version)} /> : null}
      </div>

      {plan ? <ConfirmDialog plan={plan} onCancel={() => setPlan(null)} onConfirm={() => void run(plan)} /> : null}
    </div>
  );
}

/** What the selected version holds: its SQL as applied (from the history) or its file, and its past. */
function Detail({ row, events }: { row: MigrationRow; events: HistoryEvent[] }) {
  const withSql = [...events].reverse().find((e) => e.upSql !== null || e.downSql !== null);
  return (
    <section className="migration-detail" aria-label={`Migration ${row.version}`}>
      <h2>
        {row.name} <span className="mono muted">{row.version}</span>
      </h2>
      {row.files?.length ? <p className="muted">File: {row.files.join(', ')}</p> : <p className="muted">The file is gone from the folder.</p>}
      {row.status === 'modified' ? (
        <div className="migrations__notice">
          The file changed since it was applied. Applied checksum <span className="mono">{row.appliedChecksum ?? '?'}</span>, file now{' '}
          <span className="mono">{row.checksum ?? '?'}</span>. (A side-by-side diff is not shown yet.)
        </div>
      ) : null}
      {row.error ? (
        <div className="migrations__notice">
          Failed after {row.statementsDone ?? 0} of {row.statementsTotal ?? '?'} statements: {row.error}
          {row.failedStatement ? <pre className="mono">{row.failedStatement}</pre> : null}
        </div>
      ) : null}
      {withSql ? (
        <>
          <h3>Up (as applied)</h3>
          <pre className="mono migration-detail__sql" aria-label="Up SQL">
            {withSql.upSql ?? '(not recorded)'}
          </pre>
          <h3>Down (as applied)</h3>
          <pre className="mono migration-detail__sql" aria-label="Down SQL">
            {withSql.downSql ?? '(none)'}
          </pre>
        </>
      ) : (
        <p>Not applied yet: its SQL is in {row.files?.join(', ') ?? 'its file'}. The dry run of an action shows every statement.</p>
      )}
      {events.length > 0 ? (
        <>
          <h3>History</h3>
          <ul className="migration-detail__history">
            {events.map((e) => (
              <li key={e.id}>
                {formatTime(e.startedAt)}: {e.action} → {e.status}
                {e.executionMs !== null ? `, ${e.executionMs} ms` : ''}
                {e.appliedBy ? `, by ${e.appliedBy}` : ''}
                {e.dbUser ? ` as ${e.dbUser}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function ConfirmDialog({ plan, onCancel, onConfirm }: { plan: Plan; onCancel: () => void; onConfirm: () => void }) {
  const title = ACTION_TITLES[plan.action];
  const versions = plan.report.steps.map((s) => `${s.version} ${s.name}`);
  return (
    <Dialog
      title={`${title}: SQL to run`}
      onClose={onCancel}
      width={760}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <span className="spacer" />
          <button type="button" className="button button--primary" disabled={plan.report.steps.length === 0} onClick={onConfirm}>
            {title}
          </button>
        </>
      }
    >
      <p>
        {versions.length === 0
          ? 'Nothing to do.'
          : `${plan.method === 'migrations/down' ? 'Reverts' : 'Applies'} ${versions.length} migration${versions.length === 1 ? '' : 's'}: ${versions.join(', ')}.`}
      </p>
      <ol className="edit-preview" aria-label="Statements">
        {plan.report.statements.map((s, i) => (
          <li key={i} className={`edit-preview__statement migration-statement is-${s.kind}`}>
            <pre className="mono">{s.sql}</pre>
          </li>
        ))}
      </ol>
    </Dialog>
  );
}

function RunProgress({ title, progress }: { title: string; progress: MigrationProgress[] }) {
  const last = progress[progress.length - 1];
  return (
    <section className="migrations__progress" aria-label="Progress" aria-live="polite">
      <div>
        <Spinner /> {title}
        {last ? `: ${last.version} ${last.name}, ${last.statementsDone} of ${last.statementsTotal} statements` : '…'}
      </div>
      <ol className="migrations__progress-list">
        {progress
          .filter((p) => p.phase === 'statement' && p.statement)
          .map((p, i) => (
            <li key={i} className="mono">
              {p.version}: {p.statement}
            </li>
          ))}
      </ol>
    </section>
  );
}

function ReportSummary({ title, report, progress, onDismiss }: { title: string; report: MigrationReport; progress: MigrationProgress[]; onDismiss: () => void }) {
  const statements = progress.filter((p) => p.phase === 'statement' && p.statement);
  const failure = report.failure;
  return (
    <section className={`migrations__report${failure ? ' is-failed' : ''}`} aria-label="Last run">
      <div className="migrations__report-head">
        <span>
          <strong>{title}</strong>: {report.steps.length === 0 ? 'nothing ran' : report.steps.map((s) => `${s.version} ${s.result}`).join(', ')} in{' '}
          {Math.round(report.elapsedMs)} ms
        </span>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
      {statements.length > 0 ? (
        <details>
          <summary>
            {statements.length} statement{statements.length === 1 ? '' : 's'} run
          </summary>
          <ol className="migrations__progress-list" aria-label="Statements run">
            {statements.map((p, i) => (
              <li key={i} className="mono">
                {p.version}: {p.statement}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {failure ? (
        <div role="alert" className="migrations__failure">
          <div>
            {failure.version} {failure.name} failed
            {failure.file ? ` in ${failure.file}${failure.line ? `, line ${failure.line},` : ''}` : ''} after {failure.statementsDone} of {failure.statementsTotal}{' '}
            statements{failure.rolledBack ? '; rolled back, nothing of it remains' : ''}.
          </div>
          <div className="migrations__failure-message">{failure.error.message}</div>
          <pre className="mono">{failure.statement}</pre>
        </div>
      ) : null}
    </section>
  );
}
