import pg from 'pg';
import { expect, test } from './fixtures.ts';

test('an open transaction on the demo from another client is shown, and can be rolled back', async ({ workbench, page }) => {
  await workbench.profile('Demo (embedded PostgreSQL)').dblclick();
  await expect(workbench.treeItem('artist')).toBeVisible();
  const status = page.getByRole('contentinfo', { name: 'Status' });
  const port = Number(/127\.0\.0\.1:(\d+)\//.exec((await status.textContent()) ?? '')?.[1]);
  expect(port).toBeGreaterThan(0);

  // Another client (psql, a script) opens a transaction on the demo and leaves it open.
  const other = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  other.on('error', () => undefined);
  await other.connect();
  await other.query('begin');
  await other.query("insert into artist (artist_id, name) values (9999, 'Uncommitted Band')");

  // Cabinet's next use of the demo waits behind it, and says why.
  await workbench.openNewConnectionForm();
  await workbench.field('Connection URL').fill(`postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
  await workbench.dialog.getByRole('button', { name: 'Test', exact: true }).click();
  const banner = page.getByRole('status').filter({ hasText: 'open transaction' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('COMMIT or ROLLBACK');
  await workbench.screenshot('demo-busy');

  // The way out: end the other connection; its transaction rolls back and Cabinet goes on.
  await banner.getByRole('button', { name: 'Roll back the other connection' }).click();
  await expect(workbench.dialog.getByRole('status')).toContainText(/Connected: PostgreSQL \d+/);
  await expect(banner).toBeHidden();
  await other.end().catch(() => undefined);

  const check = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await check.connect();
  const { rows } = await check.query('select count(*)::int as n from artist where artist_id = 9999');
  await check.end();
  expect(rows[0].n).toBe(0);
});
