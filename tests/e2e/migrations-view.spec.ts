import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from '../support/cabinet-process.ts';
import { createPostgresDatabase, PG_HOST, PG_PORT } from '../support/databases.ts';
import { expect, test } from './fixtures.ts';

/**
 * The Migrations view of a connection: the PostgreSQL samples attached through the form, drawn as a timeline,
 * then applied one, all, and reverted one, each after a dialog that shows the dry run's SQL.
 */
test('the Migrations view applies and reverts the PostgreSQL samples', async ({ workbench }) => {
  const { page } = workbench;
  const db = await createPostgresDatabase('cabinet_e2e_migrations');
  const dir = mkdtempSync(join(tmpdir(), 'cabinet-migrations-'));
  cpSync(join(ROOT, 'migrations-samples', 'postgres'), dir, { recursive: true });
  const name = 'migrations e2e';
  try {
    await workbench.connectWithUrl(db.url, name, dir);
    const timeline = await workbench.openMigrations(name);
    const nodes = timeline.getByRole('listitem');
    await expect(nodes).toHaveCount(12);
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(12);
    // Newest at the top.
    await expect(nodes.first()).toHaveAccessibleName(/^20250116090000 /);
    await expect(nodes.last()).toHaveAccessibleName(/^20250106090000 /);

    // Apply next: the dialog shows the SQL the dry run would send.
    await page.getByRole('button', { name: 'Apply next', exact: true }).click();
    const dialog = workbench.dialog;
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('list', { name: 'Statements' })).toContainText(/create table/i);
    await expect(dialog.getByRole('list', { name: 'Statements' })).toContainText('cabinet_migrations');
    await workbench.screenshot('migrations-view-confirm');
    await dialog.getByRole('button', { name: 'Apply next', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: /^20250106090000 .* — applied$/ })).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(11);
    // The run's progress, statement by statement.
    const lastRun = page.getByRole('region', { name: 'Last run' });
    await lastRun.getByText(/statements? run$/).click();
    await expect(lastRun.getByRole('list', { name: 'Statements run' })).toContainText(/create table users/i);

    // Its SQL as applied.
    await timeline.getByRole('listitem', { name: /^20250106090000 / }).getByRole('button').click();
    await expect(page.getByRole('region', { name: 'Up SQL' })).toContainText('CREATE TABLE users');

    await page.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: / — applied$/ })).toHaveCount(12);
    await workbench.screenshot('migrations-view-applied');

    await page.getByRole('button', { name: 'Revert last', exact: true }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('20250116090000');
    await dialog.getByRole('button', { name: 'Revert last', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: /^20250116090000 .* — reverted$/ })).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: / — applied$/ })).toHaveCount(11);

    // Revert to here: every applied version above the chosen one, newest first; the chosen one stays.
    await timeline.getByRole('listitem', { name: /^20250113090000 / }).getByRole('button').click();
    await page.getByRole('toolbar', { name: 'Actions for 20250113090000' }).getByRole('button', { name: 'Revert to here' }).click();
    await expect(dialog).toContainText('Versions: 20250115090000 post_state_enum, 20250114090000 users_role_check.');
    await dialog.getByRole('button', { name: 'Revert to here', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: / — reverted$/ })).toHaveCount(3);
    await expect(timeline.getByRole('listitem', { name: /^20250113090000 .* — applied$/ })).toBeVisible();
    await workbench.screenshot('migrations-view-reverted');

    // A migration that fails: the file, the line, the statement and the server's message are shown.
    writeFileSync(join(dir, '20250117090000_broken.sql'), '-- migrate:up\nCREATE TABLE broken_ok (id int);\nSELEC 1;\n-- migrate:down\nDROP TABLE broken_ok;\n');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(timeline.getByRole('listitem', { name: /^20250117090000 broken — pending$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    await dialog.getByRole('button', { name: 'Apply all pending', exact: true }).click();
    const failure = lastRun.getByRole('alert');
    await expect(failure).toContainText('20250117090000_broken.sql, line 3');
    await expect(failure).toContainText('SELEC 1');
    await expect(failure).toContainText(/syntax error/);
    await expect(timeline.getByRole('listitem', { name: /^20250116090000 .* — applied$/ })).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: /^20250117090000 broken — pending$/ })).toBeVisible();
    await workbench.screenshot('migrations-view-failure');

    // Resolved: the file fixed, applied again (PostgreSQL rolled the failed one back whole).
    writeFileSync(join(dir, '20250117090000_broken.sql'), '-- migrate:up\nCREATE TABLE broken_ok (id int);\nSELECT 1;\n-- migrate:down\nDROP TABLE broken_ok;\n');
    await page.getByRole('button', { name: 'Apply next', exact: true }).click();
    await dialog.getByRole('button', { name: 'Apply next', exact: true }).click();
    await expect(timeline.getByRole('listitem', { name: /^20250117090000 broken — applied$/ })).toBeVisible();
    await expect(lastRun.getByRole('alert')).toHaveCount(0);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder attached from the view; the tab survives a reload; a lock held elsewhere is named; baseline; seeds', async ({ workbench }) => {
  const { page } = workbench;
  const db = await createPostgresDatabase('cabinet_e2e_migrations_lock');
  // A project: its migrations folder, and seeds beside it.
  const project = mkdtempSync(join(tmpdir(), 'cabinet-project-'));
  const dir = join(project, 'migrations');
  cpSync(join(ROOT, 'migrations-samples', 'postgres'), dir, { recursive: true });
  mkdirSync(join(project, 'seeds'));
  writeFileSync(join(project, 'seeds', '01_colours.sql'), "CREATE TABLE colours (name text);\nINSERT INTO colours VALUES ('red'), ('blue');\n");
  const name = 'migrations lock e2e';
  const holder = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name, application_name: 'other-runner' });
  try {
    await workbench.connectWithUrl(db.url, name);
    // From the command palette, on the active connection.
    await page.keyboard.press('Control+Shift+P');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await expect(palette).toBeVisible();
    await page.keyboard.type('Migrations');
    await palette.getByRole('option', { name: /^Migrations/ }).first().click();
    await expect(page.getByText(`No migrations folder is attached to ${name}.`)).toBeVisible();
    await page.getByLabel('Migrations folder', { exact: true }).fill('relative/path');
    await page.getByRole('button', { name: 'Attach folder' }).click();
    await expect(page.getByRole('alert')).toContainText('is not an absolute path');
    await page.getByLabel('Migrations folder', { exact: true }).fill(dir);
    await page.getByRole('button', { name: 'Attach folder' }).click();
    const timeline = page.getByRole('list', { name: 'Migrations timeline' });
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(12);

    // The folder is on the profile, and the tab comes back after a reload.
    await page.waitForTimeout(1_500);
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Migrations' })).toBeVisible();
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(12);
    await workbench.profile(name).hover();
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    await expect(workbench.field('Migrations folder')).toHaveValue(dir);
    await workbench.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

    // Another runner holds the lock: the runner's own key, read from the dry run.
    await page.getByRole('button', { name: 'Apply next', exact: true }).click();
    const statements = workbench.dialog.getByRole('list', { name: 'Statements' });
    const lockSql = (await statements.getByRole('listitem').first().textContent()) ?? '';
    const key = /pg_try_advisory_lock\(([^)]*)\)/.exec(lockSql)?.[1];
    expect(key).toBeTruthy();
    await workbench.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await holder.connect();
    await holder.query(`select pg_advisory_lock(${key})`);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(page.getByText(/Another runner holds the migration lock/)).toContainText('other-runner');
    // A run waits for it, naming the holder, until cancelled; nothing ran.
    await page.getByRole('button', { name: 'Apply next', exact: true }).click();
    await expect(workbench.dialog).toContainText('Another runner holds the lock');
    await workbench.dialog.getByRole('button', { name: 'Apply next', exact: true }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    await expect(progress).toContainText(/Waiting for the migration lock, held by postgres \(other-runner\)/);
    await workbench.screenshot('migrations-view-lock-wait');
    await progress.getByRole('button', { name: 'Cancel run' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Stopped waiting for the migration lock' })).toBeVisible();
    await expect(progress).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(12);
    await workbench.screenshot('migrations-view-locked');
    await holder.end();

    // Baseline: a database that already has the first versions' schema records them without running them.
    await timeline.getByRole('listitem', { name: /^20250107100000 / }).getByRole('button').click();
    await page.getByRole('toolbar', { name: 'Actions for 20250107100000' }).getByRole('button', { name: 'Baseline' }).click();
    await expect(workbench.dialog).toContainText('without running it');
    const planned = workbench.dialog.getByRole('list', { name: 'Statements' }).getByRole('listitem');
    await expect(planned.filter({ hasText: /^INSERT INTO public\.cabinet_migrations/ })).toHaveCount(3);
    await expect(planned.filter({ hasText: /^CREATE TABLE users/ })).toHaveCount(0);
    await workbench.dialog.getByRole('button', { name: 'Baseline', exact: true }).click();
    await expect(workbench.dialog).toBeHidden();
    await expect(timeline.getByRole('listitem', { name: / — baseline$/ })).toHaveCount(3);
    await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(9);

    // Seeds: listed, confirmed with their statements, run, and logged.
    await page.getByRole('button', { name: 'Seeds', exact: true }).click();
    const seeds = page.getByRole('dialog', { name: 'Seeds' });
    await expect(seeds.getByRole('list', { name: 'Seed files' })).toContainText('01_colours.sql');
    await expect(seeds).toContainText('No seed has run on this database yet.');
    await seeds.getByRole('button', { name: 'Run 01_colours.sql' }).click();
    const confirm = page.getByRole('dialog', { name: 'Run seed 01_colours.sql: SQL to run' });
    await expect(confirm.getByRole('list', { name: 'Statements' })).toContainText("INSERT INTO colours VALUES ('red'), ('blue')");
    await confirm.getByRole('button', { name: 'Run seed' }).click();
    await expect(seeds.getByRole('status')).toContainText('01_colours.sql: done, 2 of 2 statements');
    const log = seeds.getByRole('table', { name: 'Seed log' });
    await expect(log.getByRole('row')).toHaveCount(2);
    await expect(log.getByRole('row').nth(1)).toContainText(/01_colours\.sql\s*ok\s*2 of 2/);
    await workbench.screenshot('migrations-view-seeds');
  } finally {
    await holder.end().catch(() => undefined);
    await db.drop();
    rmSync(project, { recursive: true, force: true });
  }
});
