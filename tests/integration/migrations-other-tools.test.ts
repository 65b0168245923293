/**
 * Other tools on the same timeline: their history tables read (created here with each tool's own DDL), their
 * folders (db-migrate's, Prisma's) shown with the state those tables record, and never changed by Cabinet.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../shared/profiles.ts';
import { createMigrationHandlers } from '../../electron/core/migrations/handlers.ts';
import { SeedLog } from '../../electron/core/migrations/seeds/seed-log.ts';
import { migrateUp, migrationStatus, otherToolsHistories } from '../../electron/core/migrations/runner/actions.ts';
import { Router } from '../../electron/core/router.ts';
import { type MigrationLab, useLab } from './migrations-fixture.ts';

/** Each tool's table as the tool itself creates it, per engine. */
const DDL: Record<Engine, Record<string, string>> = {
  postgres: {
    prisma: `CREATE TABLE "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
    'db-migrate': 'CREATE TABLE "migrations" ("id" SERIAL PRIMARY KEY, "name" VARCHAR (255) NOT NULL, "run_on" TIMESTAMP NOT NULL)',
    'golang-migrate': 'CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
    flyway: `CREATE TABLE "public"."flyway_schema_history" (
      "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL,
      "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL,
      "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL,
      CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank"))`,
    knex: 'create table "knex_migrations" ("id" serial primary key, "name" varchar(255), "batch" integer, "migration_time" timestamptz)',
  },
  mysql: {
    prisma: `CREATE TABLE _prisma_migrations (
      id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at DATETIME(3), migration_name VARCHAR(255) NOT NULL,
      logs TEXT, rolled_back_at DATETIME(3), started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    'db-migrate': 'CREATE TABLE `migrations` (`id` INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL, `name` VARCHAR (255) NOT NULL, `run_on` DATETIME NOT NULL)',
    'golang-migrate': 'CREATE TABLE IF NOT EXISTS `schema_migrations` (version bigint not null primary key, dirty boolean not null)',
    flyway: `CREATE TABLE flyway_schema_history (
      installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,
      script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,
      installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, execution_time INT NOT NULL, success BOOL NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank)) ENGINE=InnoDB`,
    knex: 'create table `knex_migrations` (`id` int unsigned not null auto_increment primary key, `name` varchar(255), `batch` int, `migration_time` timestamp NULL)',
  },
};

/** dbmate's table has the name golang-migrate uses, so it is tried in a database of its own turn. */
const DBMATE_DDL: Record<Engine, string> = {
  postgres: 'create table if not exists schema_migrations (version varchar(128) primary key)',
  mysql: 'create table if not exists schema_migrations (version varchar(128) primary key) character set latin1 collate latin1_bin',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const PRISMA_SQL = {
  init: '-- CreateTable\nCREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL);\n',
  posts: '-- CreateTable\nCREATE TABLE "Post" ("id" SERIAL NOT NULL);\n',
  tags: '-- CreateTable\nCREATE TABLE "Tag" ("id" SERIAL NOT NULL);\n',
};

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`other tools' histories and folders on ${engine}`, () => {
    let lab!: MigrationLab;
    useLab(engine, (opened) => (lab = opened));

    it('reads each tool history table with what the tool records', async () => {
      const ddl = DDL[engine];
      await lab.db.exec(Object.values(ddl).join(';\n'));
      await lab.db.exec(
        [
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES
            ('a1', '${'c'.repeat(64)}', '2025-01-02 10:00:01.250', '20250102100000_init', NULL, NULL, '2025-01-02 10:00:00', 1),
            ('a2', '${'d'.repeat(64)}', NULL, '20250103100000_broken', 'ERROR: relation "x" does not exist', NULL, '2025-01-03 10:00:00', 0)`,
          `INSERT INTO migrations (name, run_on) VALUES ('/20250104100000-add-users', '2025-01-04 10:00:00')`,
          `INSERT INTO schema_migrations (version, dirty) VALUES (7, ${engine === 'postgres' ? 'true' : '1'})`,
          `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success) VALUES
            (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'ops', '2025-01-05 09:00:00', 0, ${engine === 'postgres' ? 'true' : '1'}),
            (2, '1.1', 'add orders', 'SQL', 'V1_1__add_orders.sql', -123456, 'ops', '2025-01-05 10:00:00', 42, ${engine === 'postgres' ? 'false' : '0'})`,
          `INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20250106100000_create_items.js', 3, '2025-01-06 10:00:00')`,
        ].join(';\n'),
      );

      const histories = await otherToolsHistories({ params: lab.db.params });
      const byTool = Object.fromEntries(histories.map((h) => [h.tool, h]));
      expect(Object.keys(byTool).sort()).toEqual(['db-migrate', 'flyway', 'golang-migrate', 'knex', 'prisma']);

      expect(byTool.prisma!.total).toBe(2);
      expect(byTool.prisma!.entries).toEqual([
        {
          tool: 'prisma',
          version: '20250102100000',
          name: 'init',
          appliedAt: '2025-01-02T10:00:01.250Z',
          success: true,
          executionMs: 1250,
          checksum: 'c'.repeat(64),
          extra: expect.objectContaining({ id: 'a1', migration_name: '20250102100000_init', applied_steps_count: '1', started_at: '2025-01-02T10:00:00.000Z' }),
        },
        expect.objectContaining({ version: '20250103100000', name: 'broken', success: false, executionMs: null, extra: expect.objectContaining({ logs: 'ERROR: relation "x" does not exist' }) }),
      ]);
      expect(byTool['db-migrate']!.entries).toEqual([
        { tool: 'db-migrate', version: '20250104100000', name: 'add-users', appliedAt: '2025-01-04T10:00:00.000Z', success: true, executionMs: null, checksum: null, extra: expect.objectContaining({ name: '/20250104100000-add-users' }) },
      ]);
      expect(byTool['golang-migrate']!.entries).toEqual([
        { tool: 'golang-migrate', version: '7', name: '', appliedAt: null, success: false, dirty: true, executionMs: null, checksum: null, extra: expect.any(Object) },
      ]);
      expect(byTool.flyway!.entries.map((e) => [e.version, e.name, e.success, e.executionMs, e.checksum, e.extra.type, e.extra.installed_by])).toEqual([
        ['1', '<< Flyway Baseline >>', true, 0, null, 'BASELINE', 'ops'],
        ['1.1', 'add orders', false, 42, '-123456', 'SQL', 'ops'],
      ]);
      expect(byTool.flyway!.entries[1]!.appliedAt).toBe('2025-01-05T10:00:00.000Z');
      expect(byTool.knex!.entries).toEqual([
        { tool: 'knex', version: '20250106100000', name: 'create_items.js', appliedAt: '2025-01-06T10:00:00.000Z', success: true, executionMs: null, checksum: null, extra: expect.objectContaining({ batch: '3' }) },
      ]);
      if (engine === 'postgres') expect(byTool.knex!.table).toBe('public.knex_migrations');
    });

    it("tells dbmate's schema_migrations from golang-migrate's, and skips tables of those names with other shapes", async () => {
      await lab.db.exec(`${DBMATE_DDL[engine]};\nINSERT INTO schema_migrations (version) VALUES ('20250101000000'), ('20250102000000')`);
      const dbmate = await otherToolsHistories({ params: lab.db.params });
      expect(dbmate.map((h) => [h.tool, h.entries.map((e) => e.version)])).toEqual([['dbmate', ['20250101000000', '20250102000000']]]);

      await lab.reset();
      await lab.db.exec(
        [
          'CREATE TABLE migrations (id int, title varchar(20))',
          'CREATE TABLE knex_migrations (id int, name varchar(20))',
          // Flyway's column names with a text time in it: not Flyway's table either.
          'CREATE TABLE flyway_schema_history (installed_rank int, version varchar(50), description varchar(200), type varchar(20), script varchar(100), checksum int, installed_by varchar(100), installed_on varchar(40), execution_time int, success int)',
          "INSERT INTO flyway_schema_history VALUES (1, '1', 'x', 'SQL', 'V1__x.sql', 1, 'me', 'yesterday', 1, 1)",
        ].join(';\n'),
      );
      expect(await otherToolsHistories({ params: lab.db.params })).toEqual([]);
    });

    it('shows a Prisma folder with the state _prisma_migrations records, and refuses to run or change it', async () => {
      const root = join(lab.dir, 'prisma', 'migrations');
      for (const [n, [name, sql]] of Object.entries(PRISMA_SQL).entries()) {
        const folder = join(root, `2025010${n + 1}100000_${name}`);
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'migration.sql'), sql);
      }
      await writeFile(join(root, 'migration_lock.toml'), 'provider = "postgresql"\n');
      await lab.db.exec(
        `${DDL[engine].prisma};\nINSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES
          ('p1', '${sha256(PRISMA_SQL.init)}', '2025-02-01 10:00:01', '20250101100000_init', '2025-02-01 10:00:00', 1),
          ('p2', '${sha256('an older text')}', '2025-02-01 10:00:02', '20250102100000_posts', '2025-02-01 10:00:01', 1)`,
      );

      // The project folder is attached: its prisma/migrations is found.
      const status = await migrationStatus(lab.options());
      expect(status.layout).toBe('prisma');
      expect(status.readOnlyReason).toMatch(/Prisma's migrations .* does not run them: use prisma migrate/);
      expect(status.rows.map((r) => [r.version, r.name, r.status, r.files])).toEqual([
        ['20250101100000', 'init', 'applied', ['prisma/migrations/20250101100000_init/migration.sql']],
        ['20250102100000', 'posts', 'modified', ['prisma/migrations/20250102100000_posts/migration.sql']],
        ['20250103100000', 'tags', 'pending', ['prisma/migrations/20250103100000_tags/migration.sql']],
      ]);
      expect(status.rows[2]!.upSql).toBe(PRISMA_SQL.tags);
      expect(status.upBlockedBy).toBeUndefined();

      await expect(migrateUp(lab.options())).rejects.toMatchObject({ code: 'MIGRATION_ERROR', message: status.readOnlyReason });
      const handlers = createMigrationHandlers({
        endpointFor: () => ({ params: lab.db.params }),
        describe: () => ({ profileId: 'p', name: 'lab' }),
        emitTo: () => undefined,
        seedLog: new SeedLog(lab.dir),
      });
      const router = new Router(handlers as never);
      const context = { clientId: 'w', signal: new AbortController().signal };
      const create = await router.dispatch(context, 1, 'migrations/create', { dir: lab.dir, name: 'more' });
      expect(create).toMatchObject({ ok: false, error: { code: 'MIGRATION_ERROR', message: status.readOnlyReason } });
      expect(await readdir(lab.dir)).toEqual(['prisma']);
    });

    it("shows a db-migrate folder with the state its migrations table records, SQL from sqls/", async () => {
      const migrations = join(lab.dir, 'migrations');
      await mkdir(join(migrations, 'sqls'), { recursive: true });
      for (const [base, up, down] of [
        ['20250101100000-create-users', 'CREATE TABLE users (id int);', 'DROP TABLE users;'],
        ['20250102100000-add-email', 'ALTER TABLE users ADD email text;', 'ALTER TABLE users DROP email;'],
      ]) {
        await writeFile(join(migrations, `${base}.js`), `'use strict';\n// db-migrate's loader for sqls/${base}-up.sql\n`);
        await writeFile(join(migrations, 'sqls', `${base}-up.sql`), up!);
        await writeFile(join(migrations, 'sqls', `${base}-down.sql`), down!);
      }
      await lab.db.exec(`${DDL[engine]['db-migrate']};\nINSERT INTO migrations (name, run_on) VALUES ('/20250101100000-create-users', '2025-03-01 12:00:00')`);

      const status = await migrationStatus(lab.options());
      expect(status.layout).toBe('db-migrate');
      expect(status.readOnlyReason).toMatch(/db-migrate's migrations/);
      expect(status.rows.map((r) => [r.version, r.name, r.status, r.appliedAt ?? null])).toEqual([
        ['20250101100000', 'create-users', 'applied', '2025-03-01T12:00:00.000Z'],
        ['20250102100000', 'add-email', 'pending', null],
      ]);
      expect(status.rows[1]).toMatchObject({
        files: ['migrations/20250102100000-add-email.js', 'migrations/sqls/20250102100000-add-email-up.sql', 'migrations/sqls/20250102100000-add-email-down.sql'],
        upSql: 'ALTER TABLE users ADD email text;',
        downSql: 'ALTER TABLE users DROP email;',
        canRevert: true,
      });
      await expect(migrateUp(lab.options())).rejects.toMatchObject({ code: 'MIGRATION_ERROR', message: status.readOnlyReason });
    });
  });
}
