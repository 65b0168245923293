/**
 * Seeds: the `.sql` files of the `seeds/` folder beside the migrations, each run on the connection after a
 * confirmation that lists what it sends; every run is logged with its time and result.
 */
import { useEffect, useState } from 'react';
import type { CabinetErrorData } from '../../../../shared/errors.ts';
import type { SeedList, SeedLogEntry, SeedRunResult } from '../../../../shared/migrations.ts';
import { call } from '../../api/client.ts';
import { toErrorData } from '../../api/errors.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Spinner } from '../../components/Icons.tsx';
import { formatTime, PlannedStatements } from './RunPanels.tsx';
import type { RunTarget } from './runActions.ts';

export function SeedsDialog({ target, onClose, onRan }: { target: RunTarget; onClose: () => void; onRan: () => void }) {
  const [list, setList] = useState<SeedList | null>(null);
  const [log, setLog] = useState<SeedLogEntry[]>([]);
  const [error, setError] = useState<CabinetErrorData | null>(null);
  const [confirming, setConfirming] = useState<SeedRunResult | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [result, setResult] = useState<SeedRunResult | null>(null);

  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    Promise.all([call('migrations/seeds', target), call('migrations/seed-log', { connectionId: target.connectionId })]).then(
      ([seeds, entries]) => {
        setList(seeds);
        setLog(entries.entries);
      },
      (e: unknown) => setError(toErrorData(e)),
    );
  }, [target, reloads]);

  const prepare = async (file: string) => {
    setError(null);
    setResult(null);
    try {
      setConfirming(await call('migrations/seed-run', { ...target, file, dryRun: true }));
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  const run = async (file: string) => {
    setConfirming(null);
    setRunning(file);
    try {
      setResult(await call('migrations/seed-run', { ...target, file }));
      onRan();
    } catch (e) {
      setError(toErrorData(e));
    } finally {
      setRunning(null);
      setReloads((n) => n + 1);
    }
  };

  if (confirming) {
    return (
      <Dialog
        title={`Run seed ${confirming.file}: SQL to run`}
        onClose={() => setConfirming(null)}
        width={780}
        footer={
          <>
            <button type="button" className="button" onClick={() => setConfirming(null)}>
              Back
            </button>
            <span className="spacer" />
            <button type="button" className="button button--primary" onClick={() => void run(confirming.file)}>
              Run seed
            </button>
          </>
        }
      >
        <p>
          Runs {confirming.statementsTotal} statement{confirming.statementsTotal === 1 ? '' : 's'} of {confirming.file} on this connection
          {confirming.statements.some((s) => s.kind === 'control') ? ', in one transaction (a failure leaves nothing of it)' : ', one by one (a failure leaves the statements before it)'}.
        </p>
        <PlannedStatements statements={confirming.statements} />
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Seeds"
      onClose={onClose}
      width={780}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error ? <ErrorMessage error={error} onDismiss={() => setError(null)} /> : null}
      {!list ? (
        <div className="muted-row">
          <Spinner /> Reading the seeds folder…
        </div>
      ) : !list.exists || list.seeds.length === 0 ? (
        <p className="muted">
          No seeds: put <span className="mono">.sql</span> files in <span className="mono">{list.dir}</span>.
        </p>
      ) : (
        <>
          <p className="muted mono">{list.dir}</p>
          <ul className="migrations__seeds" aria-label="Seed files">
            {list.seeds.map((seed) => (
              <li key={seed.file}>
                <span className="mono">{seed.file}</span>
                <span className="muted">{seed.error ?? `${seed.statements.length} statement${seed.statements.length === 1 ? '' : 's'}`}</span>
                <span className="spacer" />
                <button type="button" className="button button--small" aria-label={`Run ${seed.file}`} disabled={Boolean(seed.error) || running !== null} onClick={() => void prepare(seed.file)}>
                  {running === seed.file ? <Spinner /> : null} Run…
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {result ? (
        <div role="status" className={`migrations__report${result.ok ? '' : ' is-failed'}`}>
          {result.file}: {result.ok ? 'done' : 'failed'}, {result.statementsDone} of {result.statementsTotal} statements in {Math.round(result.executionMs)} ms
          {result.error ? (
            <>
              <div className="migrations__failure-message">
                {result.failedLine ? `Line ${result.failedLine}: ` : ''}
                {result.error.message}
                {result.rolledBack ? ' (rolled back: nothing of it remains)' : ''}
              </div>
              {result.failedStatement ? <pre className="mono">{result.failedStatement}</pre> : null}
            </>
          ) : null}
        </div>
      ) : null}
      <h3>Log</h3>
      {log.length === 0 ? (
        <p className="muted">No seed has run on this database yet.</p>
      ) : (
        <table className="migrations__seed-log" aria-label="Seed log">
          <thead>
            <tr>
              <th>Time</th>
              <th>File</th>
              <th>Result</th>
              <th>Statements</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {log.map((entry, i) => (
              <tr key={i}>
                <td>{formatTime(entry.at)}</td>
                <td className="mono">{entry.file.split(/[\\/]/).pop()}</td>
                <td className={entry.result === 'ok' ? '' : 'migrations__failure-message'}>{entry.result === 'ok' ? 'ok' : `failed: ${entry.error ?? ''}`}</td>
                <td>
                  {entry.statementsDone} of {entry.statementsTotal}
                </td>
                <td>{Math.round(entry.executionMs)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
