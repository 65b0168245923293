import pg from 'pg';
import { createPostgresDatabase, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, gridCell, test } from './fixtures.ts';

test.describe('row editing on PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  test.beforeAll(async () => {
    db = await createPostgresDatabase('cabinet_e2e_edit');
    await db.exec(`
      create table people (id int primary key, name text not null, score numeric(10,2), active boolean);
      insert into people values (1, 'Ada', 1.50, true), (2, 'Bob', 2.25, false), (3, 'Cy', null, null);
      create table loose (v int);
      insert into loose values (1), (2);
    `);
    client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
    await client.connect();
  });
  test.afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  test('edit, insert, delete, preview, apply; a conflict from another connection keeps the edits; discard', async ({ workbench, page }) => {
    await workbench.connectWithUrl(db.url, 'Edits');
    const grid = await workbench.openTable('people');
    const pending = page.getByLabel('Pending changes');

    // Double-click edits the cell; Enter commits to the pending set, and the grid shows the pending value.
    await (await gridCell(grid, 1, 'name')).dblclick();
    const editor = grid.getByRole('textbox', { name: 'Edit name' });
    await editor.fill('Zoë "quoted"');
    await editor.press('Enter');
    await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');
    await expect(await gridCell(grid, 1, 'name')).toHaveClass(/is-pending/);
    await expect(pending).toHaveText('1 pending');

    // A reload asks first (the page would lose them if it were closed), and the pending edit is still there after it.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    await expect(pending).toHaveText('1 pending');
    await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');
    expect(asked).toEqual(['beforeunload']);

    // Numbers are validated before they are accepted; Escape cancels.
    await (await gridCell(grid, 2, 'score')).click();
    await page.keyboard.press('F2');
    const score = grid.getByRole('textbox', { name: 'Edit score' });
    await score.fill('abc');
    await score.press('Enter');
    await expect(grid.getByRole('alert')).toHaveText('Expected a decimal number');
    await score.fill('12345678.91');
    await score.press('Tab');
    await expect(await gridCell(grid, 2, 'score')).toHaveText('12345678.91');
    // Typing starts an edit too; Ctrl+Z pops the last change.
    await (await gridCell(grid, 3, 'name')).click();
    await page.keyboard.type('X');
    await grid.getByRole('textbox', { name: 'Edit name' }).press('Enter');
    await expect(pending).toHaveText('3 pending');
    await page.keyboard.press('Control+z');
    await expect(pending).toHaveText('2 pending');
    await expect(await gridCell(grid, 3, 'name')).toHaveText('Cy');

    // Delete a row (struck through) and insert one.
    await (await gridCell(grid, 3, 'id')).click();
    await page.keyboard.press('Delete');
    await expect(await gridCell(grid, 3, 'name')).toHaveClass(/is-deleted/);
    await page.getByRole('button', { name: 'Insert row' }).click();
    const newRows = page.getByRole('region', { name: 'New rows' });
    await newRows.getByLabel('id of new row 1').fill('10');
    await newRows.getByLabel('name of new row 1').fill('Neu');
    await newRows.getByRole('checkbox').first().check();
    await expect(pending).toHaveText('4 pending');

    // Preview: the UPDATE with its parameters.
    await page.getByRole('button', { name: 'Preview' }).click();
    const dialog = page.getByRole('dialog', { name: /SQL to apply/ });
    await expect(dialog).toContainText('UPDATE');
    await expect(dialog).toContainText('DELETE');
    await expect(dialog).toContainText('INSERT');
    await expect(dialog).toContainText('"Zoë \\"quoted\\""');
    await workbench.screenshot('row-editing-preview');
    await dialog.getByRole('button', { name: 'Close', exact: true }).filter({ hasText: 'Close' }).click();

    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page.getByRole('status', { name: 'Row editing' })).toContainText(/Applied 4 statements/);
    await expect(pending).toHaveCount(0);
    const rows = (await client.query('select id, name, score::text as score, active from people order by id')).rows;
    expect(rows).toEqual([
      { id: 1, name: 'Zoë "quoted"', score: '1.50', active: true },
      { id: 2, name: 'Bob', score: '12345678.91', active: false },
      { id: 10, name: 'Neu', score: null, active: null },
    ]);
    await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');
    await expect(await gridCell(grid, 1, 'name')).not.toHaveClass(/is-pending/);
    await expect(await gridCell(grid, 3, 'name')).toHaveText('Neu');

    // A conflict: the same row changes underneath before the apply.
    await (await gridCell(grid, 2, 'name')).dblclick();
    await grid.getByRole('textbox', { name: 'Edit name' }).fill('Mine');
    await grid.getByRole('textbox', { name: 'Edit name' }).press('Enter');
    await client.query(`update people set name = 'Theirs' where id = 2`);
    await page.keyboard.press('Control+s');
    const notice = page.getByRole('alert', { name: 'Row editing' });
    await expect(notice).toContainText('changed underneath');
    await expect(notice).toContainText('now "Theirs", you saw "Bob", yours "Mine"');
    await expect(await gridCell(grid, 2, 'name')).toHaveClass(/is-conflict/);
    await expect(await gridCell(grid, 2, 'name')).toHaveText('Mine');
    await expect(pending).toHaveText('1 pending');
    expect((await client.query('select name from people where id = 2')).rows[0].name).toBe('Theirs');
    await workbench.screenshot('row-editing-conflict');

    await page.getByRole('button', { name: 'Discard' }).click();
    await expect(pending).toHaveCount(0);
    await expect(await gridCell(grid, 2, 'name')).not.toHaveClass(/is-pending/);

    // A constraint error: nothing written, the change and the server's message named, the insert kept.
    await page.getByRole('button', { name: 'Insert row' }).click();
    await newRows.getByLabel('id of new row 1').fill('1');
    await newRows.getByLabel('name of new row 1').fill('Dup');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page.getByRole('alert', { name: 'Row editing' })).toContainText(/insert of new row 1.*duplicate key/);
    await expect(pending).toHaveText('1 pending');
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect(newRows).toHaveCount(0);

    // A table without a key: read-only for edits, with the reason.
    await workbench.openTable('loose');
    await expect(page.getByText('Read-only: this table has no primary or unique key')).toBeVisible();
  });
});
