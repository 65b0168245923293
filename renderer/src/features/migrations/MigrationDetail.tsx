/**
 * The selected node: a version's actions, its up and down SQL (Monaco, read-only), the diff of a modified one,
 * the ways out of a failed one; or what another tool's history row records.
 */
import type { Engine } from '../../../../shared/profiles.ts';
import type { MigrationRow } from '../../../../shared/migrations.ts';
import { RESOLVE_CHOICES } from '../../../../shared/migrations.ts';
import { applyUpTo, baseline, resolveFailed, revertTo, type RunAction, type RunTarget } from './runActions.ts';
import { SqlDiff, SqlView } from './SqlPanes.tsx';
import { isInDatabase, isWaiting, type TimelineEntry } from './timeline.ts';
import { TOOL_NAMES } from './TimelineNodes.tsx';

export interface DetailContext {
  target: RunTarget;
  engine: Engine;
  /** Set when the folder's layout belongs to another tool: nothing here runs. */
  readOnlyReason?: string;
  /** A run is being prepared or is running: actions wait. */
  busy: boolean;
  /** Some version newer than this one is in the database (so "Revert to here" has something to do). */
  hasNewerApplied(row: MigrationRow): boolean;
  prepare(action: RunAction): void;
  editFile(file: string): void;
}

export function MigrationDetail({ entry, context }: { entry: TimelineEntry; context: DetailContext }) {
  if (entry.kind === 'foreign') return <ForeignDetail entry={entry} />;
  const { row } = entry;
  const { target, engine, busy } = context;
  const runnable = !context.readOnlyReason;
  const actions: RunAction[] = [];
  if (runnable && isWaiting(row)) actions.push(applyUpTo(target, row));
  if (runnable && isInDatabase(row) && context.hasNewerApplied(row)) actions.push(revertTo(target, row));
  if (runnable && row.status === 'pending') actions.push(baseline(target, row));
  // One file, or an .up.sql/.down.sql pair: each opens in the editor.
  const editable = runnable ? (row.files ?? []) : [];
  const upSql = row.upSql ?? row.appliedUpSql;
  const downSql = row.appliedDownSql ?? row.downSql;

  return (
    <section className="migration-detail" aria-label={`Migration ${row.version}`}>
      <h2>
        {row.name} <span className="mono muted">{row.version}</span>
      </h2>
      {row.files?.length ? <p className="muted">File: {row.files.join(', ')}</p> : <p className="muted">The file is gone from the folder.</p>}
      {actions.length > 0 || editable.length > 0 ? (
        <div className="migration-detail__actions" role="toolbar" aria-label={`Actions for ${row.version}`}>
          {actions.map((action) => (
            <button key={action.title} type="button" className="button button--small" title={action.explain} disabled={busy} onClick={() => context.prepare(action)}>
              {action.title}
            </button>
          ))}
          {editable.map((file) => (
            <button key={file} type="button" className="button button--small" onClick={() => context.editFile(file)}>
              {editable.length === 1 ? 'Edit file' : `Edit ${file.replace(/^.*\.(up|down)\.sql$/, '$1')} file`}
            </button>
          ))}
        </div>
      ) : null}

      {row.status === 'failed' ? <FailedRun row={row} context={context} /> : null}

      {row.status === 'modified' && row.appliedUpSql !== undefined && row.upSql !== undefined ? (
        <>
          <div className="migrations__notice">The file changed since it was applied: up is blocked until it matches again or is reverted.</div>
          <h3>Up: as applied (left) and the file now (right)</h3>
          <SqlDiff label="Applied against file" applied={row.appliedUpSql} current={row.upSql} engine={engine} />
        </>
      ) : upSql !== undefined ? (
        <>
          <h3>Up {row.upSql !== undefined ? '(the file)' : '(as applied; the file is gone)'}</h3>
          <SqlView label="Up SQL" sql={upSql} engine={engine} />
        </>
      ) : null}
      {downSql !== undefined ? (
        <>
          <h3>Down {row.appliedDownSql !== undefined ? '(as applied: what a revert runs)' : '(the file)'}</h3>
          <SqlView label="Down SQL" sql={downSql} engine={engine} />
        </>
      ) : (
        <p className="muted">No down section: this version cannot be reverted.</p>
      )}
    </section>
  );
}

/** A run stopped part way: how far it got, what failed, and the three ways out, each said in full. */
function FailedRun({ row, context }: { row: MigrationRow; context: DetailContext }) {
  return (
    <div className="migrations__failure-panel" role="group" aria-label="Failed run">
      <p>
        Failed after {row.statementsDone ?? 0} of {row.statementsTotal ?? '?'} statements; the ones before it stay done.
      </p>
      {row.error ? <p className="migrations__failure-message">{row.error}</p> : null}
      {row.failedStatement ? <pre className="mono">{row.failedStatement}</pre> : null}
      {context.readOnlyReason ? null : (
        <dl className="migrations__choices">
          {RESOLVE_CHOICES.map((choice) => {
            const action = resolveFailed(context.target, row, choice);
            return (
              <div key={choice}>
                <dt>
                  <button type="button" className="button button--small" disabled={context.busy} onClick={() => context.prepare(action)}>
                    {action.title}
                  </button>
                </dt>
                <dd>{action.explain}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}

function ForeignDetail({ entry }: { entry: Extract<TimelineEntry, { kind: 'foreign' }> }) {
  const { entry: e, history } = entry;
  const tool = TOOL_NAMES[history.tool];
  // What the tool's table records: every column of the row, as the tool wrote it.
  const fields: [string, string][] = [
    ['Result', e.dirty ? 'dirty: failed part way, to be fixed by hand' : e.success ? 'succeeded' : 'failed'],
    ...Object.entries(e.extra),
  ];
  return (
    <section className="migration-detail" aria-label={`${tool} migration ${e.name}`}>
      <h2>
        {e.name} <span className="mono muted">{e.version}</span>
      </h2>
      <p className="muted">
        Recorded by {tool} in {history.table} ({history.total} row{history.total === 1 ? '' : 's'}). Read-only: {tool} runs and reverts it, not Cabinet.
      </p>
      <dl className="migration-detail__fields">
        {fields.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd className="mono">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
