import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { type MigrationLab, useLab } from './migrations-fixture.ts';

const SAMPLES = join(import.meta.dirname, '../../migrations-samples');

/** Everything in the database but the history table: it must all be gone after reverting every sample. */
const LEFTOVERS = {
  postgres: `select c.relkind::text || ' ' || c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relname not like 'cabinet_migrations%'
             union all select 'function ' || proname from pg_proc where pronamespace = 'public'::regnamespace
             union all select 'type ' || typname from pg_type where typnamespace = 'public'::regnamespace and typtype = 'e'`,
  mysql: `select concat(table_type, ' ', table_name) from information_schema.tables where table_schema = database() and table_name <> 'cabinet_migrations'
          union all select concat(routine_type, ' ', routine_name) from information_schema.routines where routine_schema = database()`,
};

describe.each(['postgres', 'mysql'] as const)('the shipped %s samples', (engine) => {
  let lab!: MigrationLab;
  useLab(engine, (opened) => (lab = opened), { resetEachTest: false });

  it('apply in full, work, and revert in full leaving only the history table', async () => {
    const options = lab.options({ dir: join(SAMPLES, engine) });
    const before = await migrationStatus(options);
    expect(before.rows.length).toBeGreaterThanOrEqual(10);
    expect(before.rows.some((r) => r.files!.length === 2)).toBe(true);
    expect(before.rows.some((r) => r.files!.length === 1)).toBe(true);

    const up = await migrateUp(options);
    expect(up.failure).toBeUndefined();
    expect(up.steps).toHaveLength(before.rows.length);
    expect((await migrationStatus(options)).rows.every((r) => r.status === 'applied')).toBe(true);

    if (engine === 'postgres') {
      expect(await lab.query('select slug, author, post_word_count(p.body) from published_posts join posts p using (slug) order by slug')).toEqual([
        ['notes-on-the-analytical-engine', 'Ada Lovelace', '11'],
        ['the-first-bug', 'Grace Hopper', '9'],
      ]);
      await expect(lab.query("update users set role = 'owner' where id = 1")).rejects.toThrow(/users_role_check/);
    } else {
      await lab.query('call publish_post(3)');
      expect(await lab.query('select slug, author, post_word_count(p.body) from published_posts join posts p using (slug) order by slug')).toEqual([
        ['go-to-statement-considered-harmful', 'Edsger Dijkstra', '12'],
        ['notes-on-the-analytical-engine', 'Ada Lovelace', '11'],
        ['the-first-bug', 'Grace Hopper', '9'],
      ]);
      await expect(lab.query('call publish_post(99)')).rejects.toThrow(/No such post/);
    }

    const down = await migrateDown({ ...options, to: '0' });
    expect(down.failure).toBeUndefined();
    expect(down.steps).toHaveLength(before.rows.length);
    expect(await lab.query(LEFTOVERS[engine])).toEqual([]);
    expect((await migrationStatus(options)).rows.every((r) => r.status === 'reverted')).toBe(true);
  });
});
