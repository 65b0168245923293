import { describe, expect, it } from 'vitest';
import type { ForeignHistory, HistoryEvent, MigrationRow, MigrationStatusReport } from '../../shared/migrations.ts';
import { compareVersions, nextPending, pastOf, timelineEntries } from '../../renderer/src/features/migrations/timeline.ts';

const row = (version: string, status: MigrationRow['status']): MigrationRow => ({ version, name: `v${version}`, status, canRevert: true });

const status = (rows: MigrationRow[], layout: MigrationStatusReport['layout'] = 'cabinet'): MigrationStatusReport => ({
  engine: 'postgres',
  database: 'app',
  historyTableExists: true,
  rows,
  lockHolder: null,
  layout,
});

let nextId = 1;
const event = (version: string, action: HistoryEvent['action'], state: HistoryEvent['status']): HistoryEvent => ({
  id: nextId++,
  version,
  name: `v${version}`,
  action,
  status: state,
  checksum: null,
  upSql: null,
  downSql: null,
  statementsDone: 0,
  statementsTotal: 1,
  error: null,
  failedStatement: null,
  startedAt: '2025-01-01T00:00:00Z',
  finishedAt: null,
  executionMs: null,
  appliedBy: null,
  dbUser: null,
  toolVersion: null,
});

const prisma = (versions: string[]): ForeignHistory => ({
  tool: 'prisma',
  table: '_prisma_migrations',
  total: versions.length,
  entries: versions.map((version) => ({ tool: 'prisma', version, name: 'x', appliedAt: null, success: true, executionMs: null, checksum: null, extra: {} })),
});

describe('the migrations timeline', () => {
  it('compares versions as numbers, whatever their length', () => {
    expect(compareVersions('9', '10')).toBeLessThan(0);
    expect(compareVersions('20250101000000', '002')).toBeGreaterThan(0);
    expect(compareVersions('007', '007')).toBe(0);
  });

  it('takes the oldest waiting version next: pending, reverted or out of order, never an applied one', () => {
    expect(nextPending([row('3', 'pending'), row('2', 'reverted'), row('1', 'applied')])?.version).toBe('2');
    expect(nextPending([row('5', 'applied'), row('4', 'out-of-order')])?.version).toBe('4');
    expect(nextPending([row('1', 'applied'), row('2', 'failed')])).toBeUndefined();
  });

  it("puts other tools' rows among Cabinet's versions, newest first, each version with its own past", () => {
    const history = { events: [event('20250102000000', 'up', 'applied'), event('20250103000000', 'up', 'applied')], foreign: [prisma(['20250101000000', '20250104000000'])] };
    const entries = timelineEntries(status([row('20250102000000', 'applied'), row('20250103000000', 'applied')]), history);
    expect(entries.map((e) => `${e.kind} ${e.version}`)).toEqual(['foreign 20250104000000', 'cabinet 20250103000000', 'cabinet 20250102000000', 'foreign 20250101000000']);
    const cabinet = entries.find((e) => e.kind === 'cabinet' && e.version === '20250102000000');
    expect(cabinet?.kind === 'cabinet' && cabinet.events.map((e) => e.version)).toEqual(['20250102000000']);
  });

  it("does not draw a tool's table twice when its folder layout is the one attached", () => {
    const entries = timelineEntries(status([row('20250101000000', 'applied')], 'prisma'), { events: [], foreign: [prisma(['20250101000000'])] });
    expect(entries.map((e) => e.kind)).toEqual(['cabinet']);
  });

  it('keeps a version reverted and applied again with its whole past, leaving out running rows a later event ended', () => {
    const events = [event('1', 'up', 'running'), event('1', 'up', 'applied'), event('1', 'down', 'reverted'), event('1', 'up', 'applied'), event('2', 'up', 'running')];
    expect(pastOf('1', events).map((e) => `${e.action} ${e.status}`)).toEqual(['up applied', 'down reverted', 'up applied']);
    // Still running: the row is all there is to show.
    expect(pastOf('2', events).map((e) => e.status)).toEqual(['running']);
  });
});
