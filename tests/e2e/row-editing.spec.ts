import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Locator } from '@playwright/test';
import { createMysqlDatabase, createPostgresDatabase, MYSQL_HOST, MYSQL_PORT, PG_HOST, PG_PORT, type TestDatabase } from '../support/databases.ts';
import { expect, gridCell, paste, test, type Workbench } from './fixtures.ts';

/** Per engine: the tables, and a second connection that checks (and changes) the database behind the app's back. */
const ENGINES = {
  postgres: {
    create: () => createPostgresDatabase('cabinet_e2e_edit'),
    schema: `
      create type mood as enum ('sad', 'happy', 'it''s ok');
      create table people (id serial primary key, name varchar(40) not null unique, score numeric(10,2), active boolean, mood mood, seen timestamp(3) with time zone, tags text[]);
      insert into people (name, score, active, mood, seen) values
        ('Ada', 1.50, true, 'happy', '2024-01-02 03:04:05.678+00'), ('Bob', 2.25, false, 'sad', null), ('Cy', null, null, null, null), ('Dee', 4.00, true, null, null);
      create table loose (v int, w text);
      insert into loose values (1, 'a'), (2, 'b');`,
    async second(db: TestDatabase) {
      const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
      await client.connect();
      return {
        rows: async (sql: string) => (await client.query(sql)).rows as Record<string, unknown>[],
        exec: async (sql: string) => void (await client.query(sql)),
        end: () => client.end(),
      };
    },
  },
  mysql: {
    create: () => createMysqlDatabase('cabinet_e2e_edit'),
    schema: `
      create table people (id int auto_increment primary key, name varchar(40) not null unique, score decimal(10,2), active tinyint(1), mood enum('sad', 'happy', 'it''s ok'), seen datetime(3), tags set('a', 'b', 'c d'));
      insert into people (name, score, active, mood, seen) values
        ('Ada', 1.50, 1, 'happy', '2024-01-02 03:04:05.678'), ('Bob', 2.25, 0, 'sad', null), ('Cy', null, null, null, null), ('Dee', 4.00, 1, null, null);
      create table loose (v int, w text);
      insert into loose values (1, 'a'), (2, 'b');`,
    async second(db: TestDatabase) {
      const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: db.name });
      return {
        rows: async (sql: string) => (await conn.query(sql))[0] as Record<string, unknown>[],
        exec: async (sql: string) => void (await conn.query(sql)),
        end: () => conn.end(),
      };
    },
  },
} as const;

async function editCell(grid: Locator, row: number, column: string, text: string): Promise<void> {
  await (await gridCell(grid, row, column)).dblclick();
  const editor = grid.getByRole('textbox', { name: `Edit ${column}` });
  await editor.fill(text);
  await editor.press('Enter');
}

for (const engine of ['postgres', 'mysql'] as const) {
  const setup = ENGINES[engine];
  const shot = (workbench: Workbench, name: string) => workbench.screenshot(`row-editing-${engine}-${name}`);

  test.describe(`row editing on ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    // Wide enough for every column beside the value panel a double-click opens.
    test.use({ viewport: { width: 1800, height: 900 } });
    let db: TestDatabase;
    let other: Awaited<ReturnType<(typeof setup)['second']>>;
    test.beforeAll(async () => {
      db = await setup.create();
      await db.exec(setup.schema);
      other = await setup.second(db);
    });
    test.afterAll(async () => {
      await other?.end();
      await db?.drop();
    });

    test('edit, insert, clone, delete, paste, preview, apply; a conflict keeps the edits; a constraint error is marked; discard', async ({ workbench, page, context }) => {
      test.setTimeout(150_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await workbench.connectWithUrl(db.url, 'Edits');
      const grid = await workbench.openTable('people');
      const pending = page.getByLabel('Pending changes');
      const notice = page.getByRole('alert', { name: 'Row editing' });

      // Text: double-click, type, Enter; the grid shows the pending value, marked.
      await editCell(grid, 1, 'name', 'Zoë "quoted"');
      await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');
      await expect(await gridCell(grid, 1, 'name')).toHaveClass(/is-pending/);
      await expect(pending).toHaveText('1 pending');

      // A reload asks first, and the pending edit is still there after it.
      page.once('dialog', (dialog) => void dialog.accept());
      await page.reload();
      await expect(pending).toHaveText('1 pending');
      await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');

      // Numbers are checked against the declared type before they are accepted; Escape cancels.
      await (await gridCell(grid, 2, 'score')).click();
      await page.keyboard.press('F2');
      const score = grid.getByRole('textbox', { name: 'Edit score' });
      await score.fill('abc');
      await score.press('Enter');
      await expect(grid.getByRole('alert')).toHaveText('Expected a decimal number');
      await score.fill('1.234');
      await score.press('Enter');
      await expect(grid.getByRole('alert')).toHaveText(/keeps 2 decimal places: this would be rounded/);
      await score.fill('12345678.91');
      await score.press('Tab');
      await expect(await gridCell(grid, 2, 'score')).toHaveText('12345678.91');

      // An enum is a list of its labels.
      await (await gridCell(grid, 2, 'mood')).dblclick();
      const mood = grid.getByRole('combobox', { name: 'Edit mood' });
      await expect(mood.getByRole('option')).toHaveText(['sad', 'happy', "it's ok"]);
      await shot(workbench, 'enum-editor');
      await mood.selectOption("it's ok");
      await expect(await gridCell(grid, 2, 'mood')).toHaveText("it's ok");

      // Timestamps keep their fractional seconds; more digits than the column keeps are refused.
      await (await gridCell(grid, 1, 'seen')).dblclick();
      const seen = grid.getByRole('textbox', { name: 'Edit seen' });
      await seen.fill('2024-02-29 23:59:59.1234');
      await seen.press('Enter');
      await expect(grid.getByRole('alert')).toHaveText('This column keeps 3 digits of fractional seconds: more would be rounded');
      await seen.fill(engine === 'postgres' ? '2024-02-29 23:59:59.125+00' : '2024-02-29 23:59:59.125');
      await seen.press('Enter');

      if (engine === 'postgres') {
        // A boolean is a true/false list; an array is its text form, checked.
        await (await gridCell(grid, 3, 'active')).dblclick();
        await grid.getByRole('combobox', { name: 'Edit active' }).selectOption('true');
        await expect(await gridCell(grid, 3, 'active')).toHaveText('true');
        await (await gridCell(grid, 3, 'tags')).dblclick();
        const tags = grid.getByRole('textbox', { name: 'Edit tags' });
        await tags.fill('{a,{"b c"}');
        await tags.press('Enter');
        await expect(grid.getByRole('alert')).toHaveText('Braces do not match');
        await tags.fill('{a,"b c"}');
        await tags.press('Enter');
        await expect(await gridCell(grid, 3, 'tags')).toHaveText('{a,"b c"}');
      } else {
        await editCell(grid, 3, 'active', '1');
        // A SET is a box per member.
        await (await gridCell(grid, 3, 'tags')).dblclick();
        const tags = grid.getByRole('group', { name: 'Edit tags' });
        await tags.getByRole('checkbox', { name: 'c d' }).check();
        await tags.getByRole('checkbox', { name: 'a' }).check();
        await shot(workbench, 'set-editor');
        await tags.getByRole('button', { name: 'Set' }).click();
        await expect(await gridCell(grid, 3, 'tags')).toHaveText('a,c d');
      }
      await (await gridCell(grid, 4, 'score')).dblclick();
      await grid.getByRole('button', { name: 'NULL' }).click();
      await expect(await gridCell(grid, 4, 'score')).toHaveText('NULL');
      await expect(pending).toHaveText('4 pending');

      // Ctrl+Z pops the last change.
      await page.keyboard.press('Control+z');
      await expect(await gridCell(grid, 4, 'score')).toHaveText('4.00');
      await expect(pending).toHaveText('3 pending');

      // A TSV block from a spreadsheet, pasted with Ctrl+V at row 4's name: row 4 changes, the row past the end is new.
      await (await gridCell(grid, 4, 'name')).click();
      await paste(page, grid, 'Dora\t4.5\n"Eve\tTab"\t5\r\n');
      await expect(await gridCell(grid, 4, 'name')).toHaveText('Dora');
      await expect(await gridCell(grid, 4, 'score')).toHaveText('4.5');
      const newRows = page.getByRole('region', { name: 'New rows' });
      await expect(newRows.getByLabel('name of new row 1', { exact: true })).toHaveValue('Eve\tTab');
      await expect(newRows.getByLabel('score of new row 1', { exact: true })).toHaveValue('5');
      await expect(pending).toHaveText('5 pending');
      // A block that does not fit is refused whole, naming the cell; nothing changes.
      await (await gridCell(grid, 3, 'name')).click();
      await paste(page, grid, 'Cyd\tlots');
      await expect(notice).toHaveText(/Nothing was pasted: Row 3, score: Expected a decimal number/);
      await expect(await gridCell(grid, 3, 'name')).toHaveText('Cy');
      await expect(pending).toHaveText('5 pending');

      // Insert with Ctrl+N: the serial / auto-increment key is left to the server.
      await page.keyboard.press('Control+n');
      await expect(newRows.getByRole('columnheader', { name: engine === 'postgres' ? 'id serial' : 'id auto_increment' })).toBeVisible();
      await expect(newRows.getByLabel('id of new row 2', { exact: true })).toHaveAttribute('placeholder', 'DEFAULT');
      await newRows.getByLabel('name of new row 2', { exact: true }).fill('Neu');
      await newRows.getByLabel('score of new row 2', { exact: true }).fill('1.999');
      await expect(newRows.getByLabel('score of new row 2', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await newRows.getByLabel('score of new row 2', { exact: true }).fill('1.99');
      await newRows.getByLabel('mood of new row 2', { exact: true }).selectOption('happy');

      // Clone row 1 with Ctrl+D (its pending name comes along; the key does not), then rename the clone.
      await (await gridCell(grid, 1, 'score')).click();
      await page.keyboard.press('Control+d');
      await expect(newRows.getByLabel('name of new row 3', { exact: true })).toHaveValue('Zoë "quoted"');
      await expect(newRows.getByLabel('id of new row 3', { exact: true })).toHaveValue('');
      await newRows.getByLabel('name of new row 3', { exact: true }).fill('Ada 2');

      // Delete row 3 (struck through).
      await (await gridCell(grid, 3, 'id')).click();
      await page.keyboard.press('Delete');
      await expect(await gridCell(grid, 3, 'name')).toHaveClass(/is-deleted/);
      // Row 3's pending edit goes with it: 3 updated rows, 1 deleted, 3 new.
      await expect(pending).toHaveText('7 pending');
      await shot(workbench, 'pending');

      // Preview: the statements with their parameters.
      await page.getByRole('button', { name: 'Preview' }).click();
      const dialog = page.getByRole('dialog', { name: /SQL to apply/ });
      await expect(dialog).toContainText('UPDATE');
      await expect(dialog).toContainText('DELETE');
      await expect(dialog).toContainText('INSERT');
      await expect(dialog).toContainText('"Zoë \\"quoted\\""');
      await shot(workbench, 'preview');
      await dialog.getByRole('button', { name: 'Close', exact: true }).filter({ hasText: 'Close' }).click();

      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(page.getByRole('status', { name: 'Row editing' })).toContainText(/Applied 7 statements/);
      await expect(pending).toHaveCount(0);
      const rows = await other.rows(
        engine === 'postgres'
          ? `select id, name, score::text as score, active::text as active, mood::text as mood, to_char(seen at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as seen from people order by id`
          : `select id, name, cast(score as char) as score, cast(active as char) as active, mood, cast(seen as char) as seen from people order by id`,
      );
      const [yes, no] = engine === 'postgres' ? ['true', 'false'] : ['1', '0'];
      expect(rows).toEqual([
        { id: 1, name: 'Zoë "quoted"', score: '1.50', active: yes, mood: 'happy', seen: '2024-02-29 23:59:59.125' },
        { id: 2, name: 'Bob', score: '12345678.91', active: no, mood: "it's ok", seen: null },
        { id: 4, name: 'Dora', score: '4.50', active: yes, mood: null, seen: null },
        { id: 5, name: 'Eve\tTab', score: '5.00', active: null, mood: null, seen: null },
        { id: 6, name: 'Neu', score: '1.99', active: null, mood: 'happy', seen: null },
        { id: 7, name: 'Ada 2', score: '1.50', active: yes, mood: 'happy', seen: '2024-02-29 23:59:59.125' },
      ]);
      await expect(await gridCell(grid, 1, 'name')).toHaveText('Zoë "quoted"');
      await expect(await gridCell(grid, 1, 'name')).not.toHaveClass(/is-pending/);
      await expect(await gridCell(grid, 3, 'name')).toHaveText('Dora');

      // A conflict: the row changes underneath (a second connection) before the apply; nothing is written, the edit stays.
      await editCell(grid, 2, 'name', 'Mine');
      await other.exec(`update people set name = 'Theirs' where id = 2`);
      await page.keyboard.press('Control+s');
      await expect(notice).toContainText('changed underneath');
      await expect(notice).toContainText('now "Theirs", you saw "Bob", yours "Mine"');
      await expect(await gridCell(grid, 2, 'name')).toHaveClass(/is-conflict/);
      await expect(await gridCell(grid, 2, 'name')).toHaveText('Mine');
      await expect(pending).toHaveText('1 pending');
      expect((await other.rows('select name from people where id = 2'))[0]!.name).toBe('Theirs');
      await shot(workbench, 'conflict');
      await page.getByRole('button', { name: 'Discard' }).click();
      await expect(pending).toHaveCount(0);
      await expect(await gridCell(grid, 2, 'name')).not.toHaveClass(/is-pending/);
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect(await gridCell(grid, 2, 'name')).toHaveText('Theirs');

      // A constraint error is marked on its row and column, with the server's message; the edits are kept.
      await editCell(grid, 2, 'name', 'Dora');
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(notice).toContainText(/update of row 2.*(duplicate key|Duplicate entry)/);
      await expect(await gridCell(grid, 2, 'name')).toHaveClass(/is-conflict/);
      // The cell itself carries the server's message, as its tooltip.
      await expect(await gridCell(grid, 2, 'name')).toHaveAttribute('title', /duplicate key|Duplicate entry/);
      await expect(pending).toHaveText('1 pending');
      await shot(workbench, 'constraint');
      // The new rows' field the server refused is marked too.
      await page.getByRole('button', { name: 'Discard' }).click();
      await page.getByRole('button', { name: 'Insert row' }).click();
      await newRows.getByLabel('name of new row 1', { exact: true }).fill('Dora');
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(notice).toContainText(/insert of new row 1.*(duplicate key|Duplicate entry)/);
      await expect(newRows.getByLabel('name of new row 1', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await page.getByRole('button', { name: 'Discard' }).click();
      await expect(newRows).toHaveCount(0);
      expect((await other.rows('select count(*) as n from people'))[0]!.n).toBe(engine === 'postgres' ? '6' : 6);

      // A table without a key: a one-line reason; editing says it again; rows can still be inserted.
      const loose = await workbench.openTable('loose');
      const reason = 'No primary or unique key: rows can be inserted, not updated or deleted';
      await expect(page.getByRole('note')).toHaveText(reason);
      await (await gridCell(loose, 1, 'w')).dblclick();
      await expect(notice).toContainText(reason);
      await page.getByRole('button', { name: 'Insert row' }).click();
      await newRows.getByLabel('v of new row 1', { exact: true }).fill('3');
      await newRows.getByLabel('w of new row 1', { exact: true }).fill('c');
      await page.keyboard.press('Control+s');
      await expect(page.getByRole('status', { name: 'Row editing' })).toContainText(/Applied 1 statement/);
      expect(await other.rows('select v, w from loose order by v')).toEqual([
        { v: 1, w: 'a' },
        { v: 2, w: 'b' },
        { v: 3, w: 'c' },
      ]);
      await shot(workbench, 'keyless');
    });
  });
}
