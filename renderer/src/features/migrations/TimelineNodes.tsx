/**
 * The timeline's nodes: Cabinet's own versions (state as colour, glyph and word; their past events under
 * them) and the entries of other tools' history tables, drawn alike but read-only.
 */
import type { ForeignHistory, HistoryEvent, MigrationStatus } from '../../../../shared/migrations.ts';
import { formatTime } from './RunPanels.tsx';
import type { TimelineEntry } from './timeline.ts';

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

export const TOOL_NAMES: Record<ForeignHistory['tool'], string> = {
  prisma: 'Prisma',
  'db-migrate': 'db-migrate',
  dbmate: 'dbmate',
  'golang-migrate': 'golang-migrate',
  flyway: 'Flyway',
  knex: 'knex',
};

const EVENT_WORDS: Record<HistoryEvent['action'], string> = {
  up: 'apply',
  down: 'revert',
  baseline: 'baseline',
  'resume-up': 'resume',
  'resume-down': 'resume revert',
  'revert-failed': 'revert the failed run',
  'mark-resolved': 'marked resolved',
};

function NodeButton({
  entry,
  selected,
  onSelect,
  glyph,
  state,
  name,
  meta,
}: {
  entry: TimelineEntry;
  selected: boolean;
  onSelect: () => void;
  glyph: string;
  state: string;
  name: string;
  meta: (string | null)[];
}) {
  const shown = meta.filter((m): m is string => Boolean(m));
  return (
    <button type="button" className="migration-node__button" aria-pressed={selected} onClick={onSelect}>
      <span className="migration-node__marker" aria-hidden="true">
        {glyph}
      </span>
      <span className="migration-node__main">
        <span className="migration-node__name">{name}</span>
        <span className="migration-node__version mono">{entry.version || '(repeatable)'}</span>
      </span>
      <span className="migration-node__state">{state}</span>
      {shown.length > 0 ? (
        <span className="migration-node__meta">
          {shown.map((m) => (
            <span key={m}>{m}</span>
          ))}
        </span>
      ) : null}
    </button>
  );
}

export function TimelineNode({ entry, selected, onSelect }: { entry: TimelineEntry; selected: boolean; onSelect: () => void }) {
  if (entry.kind === 'foreign') {
    const { entry: e, history } = entry;
    const state = e.dirty ? 'dirty' : e.success ? 'applied' : 'failed';
    const tool = TOOL_NAMES[history.tool];
    return (
      <li
        role="listitem"
        aria-label={`${entry.version} ${e.name} — ${tool} ${state}`}
        aria-current={selected ? 'true' : undefined}
        className={`migration-node is-foreign is-${e.success && !e.dirty ? 'applied' : 'failed'}${selected ? ' is-selected' : ''}`}
      >
        <NodeButton
          entry={entry}
          selected={selected}
          onSelect={onSelect}
          glyph={e.success && !e.dirty ? '✓' : '✕'}
          state={`${tool}: ${state}`}
          name={e.name}
          meta={[e.appliedAt ? formatTime(e.appliedAt) : null, e.executionMs !== null ? `${e.executionMs} ms` : null, `read-only, from ${history.table}`]}
        />
      </li>
    );
  }
  const { row, events } = entry;
  const look = STATUS_LOOK[row.status];
  return (
    <li
      role="listitem"
      aria-label={`${row.version} ${row.name} — ${look.label}`}
      aria-current={selected ? 'true' : undefined}
      className={`migration-node is-${row.status}${selected ? ' is-selected' : ''}`}
    >
      <NodeButton
        entry={entry}
        selected={selected}
        onSelect={onSelect}
        glyph={look.glyph}
        state={look.label}
        name={row.name}
        meta={[
          row.appliedAt ? formatTime(row.appliedAt) : null,
          row.executionMs !== undefined ? `${row.executionMs} ms` : null,
          row.appliedBy || row.dbUser ? `by ${[row.appliedBy, row.dbUser].filter(Boolean).join(' as ')}` : null,
        ]}
      />
      {/* Its past, oldest first (not list items: the timeline's items are its versions). */}
      {events.length > 1 ? (
        <div className="migration-node__history" aria-label={`Past of ${row.version}`} role="group">
          {events.map((e) => (
            <span key={e.id} className={`migration-node__event is-${e.status}`}>
              {EVENT_WORDS[e.action]} → {e.status}, {formatTime(e.startedAt)}
            </span>
          ))}
        </div>
      ) : null}
    </li>
  );
}
