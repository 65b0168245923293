/**
 * What the timeline needs for a selected version: its up and down SQL as the file has them now, the SQL as it
 * was applied (for the diff of a modified version), and every past event, kept through revert and re-apply.
 */
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus } from '../../electron/core/migrations/runner/actions.ts';
import { migrationFile, type MigrationLab, useLab } from './migrations-fixture.ts';

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`the timeline's detail on ${engine}`, () => {
    let lab!: MigrationLab;
    useLab(engine, (opened) => (lab = opened));

    it('gives the file SQL now beside the SQL as applied, and keeps every event of a reverted and re-applied version', async () => {
      await lab.write({ '001_a.sql': migrationFile('create table a (id int);', 'drop table a;') });
      await migrateUp(lab.options());
      await migrateDown(lab.options());
      await migrateUp(lab.options());
      // The file changes after it was applied: the row is modified, and carries both texts for a diff.
      await lab.write({ '001_a.sql': migrationFile('create table a (id int, note text);', 'drop table a;') });

      const [row] = (await migrationStatus(lab.options())).rows;
      expect(row).toMatchObject({
        status: 'modified',
        upSql: '-- migrate:up\ncreate table a (id int, note text);',
        appliedUpSql: '-- migrate:up\ncreate table a (id int);',
        downSql: '-- migrate:down\ndrop table a;\n',
        appliedDownSql: '-- migrate:down\ndrop table a;\n',
      });
      expect(row!.checksum).not.toBe(row!.appliedChecksum);

      const events = (await lab.history()).filter((e) => e.status !== 'running');
      expect(events.map((e) => [e.action, e.status])).toEqual([
        ['up', 'applied'],
        ['down', 'reverted'],
        ['up', 'applied'],
      ]);
      expect(events.every((e) => e.upSql === '-- migrate:up\ncreate table a (id int);')).toBe(true);
    });
  });
}
