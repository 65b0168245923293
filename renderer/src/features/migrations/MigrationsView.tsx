/**
 * The Migrations view of a connection: its attached folder's versions, and other tools' history rows found in
 * the database, as one vertical timeline (newest at the top); the selected node's SQL and actions; the runner's
 * actions, each confirmed with the exact SQL of a dry run; new migration files and seeds.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api.ts';
import { absolutePathSchema } from '../../../../shared/contract.ts';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { MigrationLockWait, MigrationProgress, MigrationReport, MigrationStatusReport } from '../../../../shared/migrations.ts';
import type { Profile } from '../../../../shared/profiles.ts';
import { call, onEvent } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { useStore } from '../../store/index.ts';
import type { MigrationsTab } from '../workbench/tabsSlice.ts';
import { FolderField } from './FolderField.tsx';
import { MigrationDetail, type DetailContext } from './MigrationDetail.tsx';
import { MigrationFileDialog, type FileDialogRequest } from './MigrationFileDialog.tsx';
import { ConfirmDialog, describeHolder, ReportSummary, RunProgress, type Plan } from './RunPanels.tsx';
import { applyAll, applyNext, revertLast, type RunAction, type RunTarget } from './runActions.ts';
import { SeedsDialog } from './SeedsDialog.tsx';
import { compareVersions, isInDatabase, nextPending, timelineEntries } from './timeline.ts';
import { TimelineNode } from './TimelineNodes.tsx';
import './migrations.css';

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


interface Running {
  runId: string;
  title: string;
  progress: MigrationProgress[];
  lockWait: MigrationLockWait | null;
  cancelling: boolean;
}

function Timeline({ profile, dir, connectionId }: { profile: Profile; dir: string; connectionId: string }) {
  const profileId = profile.id;
  const target = useMemo<RunTarget>(() => ({ connectionId, dir }), [connectionId, dir]);
  const [status, setStatus] = useState<MigrationStatusReport | null>(null);
  const [history, setHistory] = useState<MethodOutput<'migrations/history'>>({ events: [], foreign: [] });
  const [loadError, setLoadError] = useState<CabinetErrorData | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planning, setPlanning] = useState(false);
  const [actionError, setActionError] = useState<CabinetErrorData | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const [lastReport, setLastReport] = useState<{ title: string; report: MigrationReport; progress: MigrationProgress[] } | null>(null);
  const [fileDialog, setFileDialog] = useState<FileDialogRequest | null>(null);
  const [seeds, setSeeds] = useState(false);
  const schemaChanged = useStore((s) => s.schemaChanged);
  const [reloads, setReloads] = useState(0);
  const refresh = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let alive = true;
    Promise.all([call('migrations/status', target), call('migrations/history', { connectionId })]).then(
      ([report, found]) => {
        if (!alive) return;
        setStatus(report);
        setHistory(found);
        setLoadError(null);
      },
      (e: unknown) => {
        if (alive) setLoadError(toErrorData(e));
      },
    );
    return () => {
      alive = false;
    };
  }, [target, connectionId, reloads]);

  const entries = useMemo(() => timelineEntries(status, history), [status, history]);
  const rows = status?.rows ?? [];
  const next = nextPending(rows);
  const newestApplied = rows.filter(isInDatabase).sort((a, b) => compareVersions(b.version, a.version))[0];
  const runnable = status !== null && !status.readOnlyReason;
  const busy = planning || running !== null;

  const prepare = async (action: RunAction) => {
    setActionError(null);
    setPlanning(true);
    try {
      setPlan({ action, report: await action.exec({ dryRun: true }) });
    } catch (e) {
      setActionError(toErrorData(e));
    } finally {
      setPlanning(false);
    }
  };

  const run = async ({ action }: Plan) => {
    setPlan(null);
    setActionError(null);
    setLastReport(null);
    const runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    setRunning({ runId, title: action.title, progress: [], lockWait: null, cancelling: false });
    const progress: MigrationProgress[] = [];
    const stopProgress = onEvent('migrations/progress', (p) => {
      if (p.runId !== runId) return;
      progress.push(p);
      setRunning((r) => (r ? { ...r, progress: [...progress] } : r));
    });
    const stopLockWait = onEvent('migrations/lock-wait', (wait) => {
      if (wait.runId === runId) setRunning((r) => (r ? { ...r, lockWait: wait } : r));
    });
    try {
      // With the lock held elsewhere, the run waits longer than the default, and can be cancelled meanwhile.
      const report = await action.exec({ runId, ...(status?.lockHolder ? { lockTimeoutMs: 60_000 } : {}) });
      setLastReport({ title: action.title, report, progress: [...progress] });
    } catch (e) {
      setActionError(toErrorData(e));
    } finally {
      stopProgress();
      stopLockWait();
      setRunning(null);
      refresh();
      // The schema changed: the tree and the open grids of this connection read it again.
      schemaChanged(profileId);
    }
  };

  const cancelRun = async () => {
    if (!running) return;
    setRunning({ ...running, cancelling: true });
    try {
      await call('migrations/cancel', { runId: running.runId });
    } catch (e) {
      setActionError(toErrorData(e));
    }
  };

  const selectedEntry = entries.find((e) => e.key === selected);
  const detail: DetailContext = {
    target,
    engine: status?.engine ?? 'postgres',
    ...(status?.readOnlyReason ? { readOnlyReason: status.readOnlyReason } : {}),
    busy,
    hasNewerApplied: (row) => Boolean(newestApplied && compareVersions(newestApplied.version, row.version) > 0),
    prepare: (action) => void prepare(action),
    editFile: (file) => setFileDialog({ mode: 'edit', file }),
  };

  return (
    <div className="migrations">
      <div className="migrations__toolbar" role="toolbar" aria-label="Migration actions">
        <span className="migrations__dir mono" title={dir}>
          {dir}
        </span>
        <span className="spacer" />
        <button type="button" className="button" disabled={!runnable || !next || busy} onClick={() => next && void prepare(applyNext(target, next))}>
          Apply next
        </button>
        <button type="button" className="button" disabled={!runnable || !next || busy} onClick={() => void prepare(applyAll(target))}>
          Apply all pending
        </button>
        <button type="button" className="button" disabled={!runnable || !newestApplied || busy} onClick={() => void prepare(revertLast(target))}>
          Revert last
        </button>
        <button type="button" className="button" disabled={!runnable || busy} onClick={() => setFileDialog({ mode: 'create' })}>
          New migration
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setSeeds(true)}>
          Seeds
        </button>
        <button type="button" className="button" disabled={running !== null} onClick={refresh}>
          Refresh
        </button>
      </div>

      {loadError ? <ErrorMessage error={loadError} /> : null}
      {actionError ? <ErrorMessage error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {status?.readOnlyReason ? (
        <div className="migrations__notice" role="status">
          Shown read-only: {status.readOnlyReason}
        </div>
      ) : null}
      {status?.upBlockedBy ? (
        <div className="migrations__notice" role="status">
          Up is blocked: {status.upBlockedBy}
        </div>
      ) : null}
      {status?.lockHolder && !running ? (
        <div className="migrations__notice" role="status">
          Another runner holds the migration lock: {describeHolder(status.lockHolder)}. A run started now waits for it, and can be cancelled while it waits.
        </div>
      ) : null}
      {running ? (
        <RunProgress title={running.title} progress={running.progress} lockWait={running.lockWait} cancelling={running.cancelling} onCancel={() => void cancelRun()} />
      ) : null}
      {lastReport ? <ReportSummary title={lastReport.title} report={lastReport.report} progress={lastReport.progress} onDismiss={() => setLastReport(null)} /> : null}

      <div className="migrations__body">
        {!status && !loadError ? (
          <div className="muted">
            <Spinner /> Reading {profile.name}'s migrations…
          </div>
        ) : null}
        {status && entries.length === 0 ? <p className="muted">No migrations in this folder yet: New migration writes the first one.</p> : null}
        {entries.length > 0 ? (
          <ol className="migrations__timeline" role="list" aria-label="Migrations timeline">
            {entries.map((entry) => (
              <TimelineNode key={entry.key} entry={entry} selected={entry.key === selected} onSelect={() => setSelected(entry.key === selected ? null : entry.key)} />
            ))}
          </ol>
        ) : null}
        {selectedEntry ? <MigrationDetail entry={selectedEntry} context={detail} /> : null}
      </div>

      {plan ? <ConfirmDialog plan={plan} lockHolder={status?.lockHolder ?? null} onCancel={() => setPlan(null)} onConfirm={() => void run(plan)} /> : null}
      {fileDialog ? <MigrationFileDialog dir={dir} engine={status?.engine ?? 'postgres'} request={fileDialog} onClose={() => setFileDialog(null)} onSaved={refresh} /> : null}
      {seeds ? <SeedsDialog target={target} onClose={() => setSeeds(false)} onRan={() => schemaChanged(profileId)} /> : null}
    </div>
  );
}
