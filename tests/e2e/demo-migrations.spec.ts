import { expect, test } from './fixtures.ts';

const DEMO = 'Demo (embedded PostgreSQL)';

/** A first-time user opens the demo's Migrations view and finds the samples attached, half applied. */
test("the demo's Migrations view opens on applied and pending versions", async ({ workbench }) => {
  const { page } = workbench;
  await workbench.profile(DEMO).dblclick();
  await expect(workbench.treeItem('album')).toBeVisible();
  await workbench.profile(DEMO).click({ button: 'right' });
  await page.getByRole('menu', { name: `Actions for ${DEMO}` }).getByRole('menuitem', { name: /^Migrations/ }).click();

  const timeline = page.getByRole('list', { name: 'Migrations timeline' });
  await expect(timeline.getByRole('listitem')).toHaveCount(12);
  await expect(timeline.getByRole('listitem', { name: / — applied$/ })).toHaveCount(6);
  await expect(timeline.getByRole('listitem', { name: / — pending$/ })).toHaveCount(6);
  await expect(timeline.getByRole('listitem', { name: /^20250110120000 .* — applied$/ })).toBeVisible();
  await expect(timeline.getByRole('listitem', { name: /^20250111090000 .* — pending$/ })).toBeVisible();
  await workbench.screenshot('demo-migrations-half-applied');
});
