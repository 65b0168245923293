import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlDatabase } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

const SPLIT_NAMES = (table: string) =>
  `-- migrate:up\nALTER TABLE items ADD COLUMN first_name varchar(50);\nUPDATE ${table} SET first_name = name;\nALTER TABLE items DROP COLUMN name;\n` +
  '-- migrate:down\nALTER TABLE items ADD COLUMN name varchar(50);\nUPDATE items SET name = first_name;\nALTER TABLE items DROP COLUMN first_name;\n';

/**
 * MariaDB commits DDL as it goes: a migration whose second of three statements fails leaves the first one done.
 * The view says how far it got and what failed, the file is fixed in the app's editor and the run resumed.
 * Beside it, a Prisma history the test writes is on the same timeline, read-only; an applied file edited
 * afterwards shows the diff against what ran. Prisma's own folder, attached, is shown and never run.
 */
test('MariaDB: a partial failure fixed in the editor and resumed; a Prisma history beside it; a modified version diffed; a Prisma folder read-only', async ({ workbench }) => {
  const { page } = workbench;
  const db = await createMysqlDatabase('cabinet_e2e_migrations');
  const dir = mkdtempSync(join(tmpdir(), 'cabinet-migrations-'));
  writeFileSync(join(dir, '20250201090000_create_items.sql'), "-- migrate:up\nCREATE TABLE items (id int PRIMARY KEY, name varchar(50));\nINSERT INTO items VALUES (1, 'lamp');\n-- migrate:down\nDROP TABLE items;\n");
  writeFileSync(join(dir, '20250202090000_split_names.sql'), SPLIT_NAMES('itemz'));
  // Prisma's folder for the same history: its checksum is the sha256 of the file as it is.
  const prismaProject = mkdtempSync(join(tmpdir(), 'cabinet-prisma-'));
  const prismaSql = (folder: string) => `-- ${folder}\nCREATE TABLE t_${folder.slice(15)} (id int);\n`;
  for (const folder of ['20250102100000_init', '20250103100000_add_orders']) {
    mkdirSync(join(prismaProject, 'prisma', 'migrations', folder), { recursive: true });
    writeFileSync(join(prismaProject, 'prisma', 'migrations', folder, 'migration.sql'), prismaSql(folder));
  }
  await db.exec(`
    CREATE TABLE _prisma_migrations (
      id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at DATETIME(3), migration_name VARCHAR(255) NOT NULL,
      logs TEXT, rolled_back_at DATETIME(3), started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    INSERT INTO _prisma_migrations VALUES
      ('a1', '${createHash('sha256').update(prismaSql('20250102100000_init')).digest('hex')}', '2025-01-02 10:00:01.250', '20250102100000_init', NULL, NULL, '2025-01-02 10:00:00', 1),
      ('a2', '${'d'.repeat(64)}', NULL, '20250103100000_add_orders', 'Table orders already exists', NULL, '2025-01-03 10:00:00', 0);
  `);
  const name = 'migrations mariadb e2e';
  try {
    await workbench.connectWithUrl(db.url, name, dir);
    const timeline = await workbench.openMigrations(name);
    // Prisma's rows, under Cabinet's pending versions, read-only, with what Prisma recorded.
    await expect(timeline.getByRole('listitem')).toHaveCount(4);
    await expect(timeline.getByRole('listitem').nth(2)).toHaveAccessibleName('20250103100000 add_orders — Prisma failed');
    await expect(timeline.getByRole('listitem').nth(3)).toHaveAccessibleName('20250102100000 init — Prisma applied');
    await timeline.getByRole('listitem', { name: /add_orders — Prisma failed/ }).getByRole('button').click();
    const prisma = page.getByRole('region', { name: 'Prisma migration add_orders' });
    await expect(prisma).toContainText('Recorded by Prisma in _prisma_migrations');
    await expect(prisma).toContainText('Table orders already exists');
    await expect(prisma.getByRole('button')).toHaveCount(0);
    await workbench.screenshot('migrations-mariadb-prisma');

    const dialog = workbench.dialog;
    await page.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    await dialog.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    await expect(dialog).toBeHidden();
    const failure = page.getByRole('region', { name: 'Last run' }).getByRole('alert');
    await expect(failure).toContainText('20250202090000 split_names failed in 20250202090000_split_names.sql, line 3, after 1 of 3 statements; the statements before it stay done.');
    await expect(failure).toContainText(`Table '${db.name}.itemz' doesn't exist`);
    await expect(failure).toContainText('UPDATE itemz SET first_name = name');
    const failed = timeline.getByRole('listitem', { name: '20250202090000 split_names — failed' });
    await expect(failed).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: '20250201090000 create_items — applied' })).toBeVisible();
    await expect(page.getByText(/Up is blocked/)).toBeVisible();

    // The failed version: how far it got and the three ways out, each said in full.
    await failed.getByRole('button').click();
    const panel = page.getByRole('group', { name: 'Failed run' });
    await expect(panel).toContainText('Failed after 1 of 3 statements');
    await expect(panel).toContainText('Runs the remaining 2 statements of 20250202090000 from the file');
    await expect(panel).toContainText('Runs the down section of 20250202090000');
    await expect(panel).toContainText('Runs nothing and records the failed run of 20250202090000 as completed');
    await workbench.screenshot('migrations-mariadb-partial-failure');

    // Fix the file in the editor, then resume: only the two statements left run.
    await page.getByRole('toolbar', { name: 'Actions for 20250202090000' }).getByRole('button', { name: 'Edit file' }).click();
    const editor = dialog.getByRole('region', { name: 'Migration file' });
    await expect(editor).toContainText('UPDATE itemz');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(SPLIT_NAMES('items'));
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await panel.getByRole('button', { name: 'Resume' }).click();
    const statements = dialog.getByRole('list', { name: 'Statements' });
    const statement = (sql: RegExp) => statements.getByRole('listitem').filter({ hasText: sql });
    await expect(statement(/^UPDATE items SET first_name = name/)).toHaveCount(1);
    await expect(statement(/^ALTER TABLE items DROP COLUMN name/)).toHaveCount(1);
    await expect(statement(/^ALTER TABLE items ADD COLUMN first_name/)).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect(dialog).toBeHidden();
    const resumed = timeline.getByRole('listitem', { name: '20250202090000 split_names — applied' });
    await expect(resumed).toBeVisible();
    await expect(resumed.getByRole('group', { name: 'Past of 20250202090000' })).toContainText(/apply → failed.*resume → applied/);
    await workbench.screenshot('migrations-mariadb-resumed');

    // An applied file edited afterwards: modified, with what ran beside the file now.
    writeFileSync(
      join(dir, '20250201090000_create_items.sql'),
      "-- migrate:up\nCREATE TABLE items (id int PRIMARY KEY, name varchar(80));\nINSERT INTO items VALUES (1, 'lamp');\n-- migrate:down\nDROP TABLE items;\n",
    );
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const modified = timeline.getByRole('listitem', { name: '20250201090000 create_items — modified' });
    await modified.getByRole('button').click();
    const diff = page.getByRole('region', { name: 'Applied against file' });
    await expect(diff).toContainText('varchar(50)');
    await expect(diff).toContainText('varchar(80)');
    // Monaco marks the changed text once its worker has compared the two.
    await expect(diff.locator('.char-insert').first()).toBeVisible();
    await workbench.screenshot('migrations-mariadb-modified-diff');

    // Prisma's own folder attached instead: its versions take their state from _prisma_migrations, and nothing runs.
    await workbench.profile(name).hover();
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    await workbench.field('Migrations folder').fill(prismaProject);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Shown read-only' })).toContainText("This folder holds Prisma's migrations");
    await expect(timeline.getByRole('listitem')).toHaveCount(2);
    await expect(timeline.getByRole('listitem', { name: '20250102100000 init — applied' })).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: '20250103100000 add_orders — failed' })).toBeVisible();
    for (const action of ['Apply next', 'Apply all pending', 'Revert last', 'New migration']) {
      await expect(page.getByRole('button', { name: action, exact: true })).toBeDisabled();
    }
    await workbench.screenshot('migrations-mariadb-prisma-folder');
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(prismaProject, { recursive: true, force: true });
  }
});
