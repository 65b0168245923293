/**
 * Throwaway databases on the real servers: each test file makes its own with a random suffix and drops it.
 * PostgreSQL 127.0.0.1:5432 as postgres (trust), MariaDB 127.0.0.1:3306 as root (empty password).
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ConnectionParams } from '../../shared/profiles.ts';

export const PG_HOST = process.env.CABINET_TEST_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.CABINET_TEST_PG_PORT ?? 5432);
export const MYSQL_HOST = process.env.CABINET_TEST_MYSQL_HOST ?? '127.0.0.1';
export const MYSQL_PORT = Number(process.env.CABINET_TEST_MYSQL_PORT ?? 3306);

export interface TestDatabase {
  name: string;
  params: ConnectionParams;
  url: string;
  /** Runs SQL as the admin user inside the test database (multi-statement allowed). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function createPostgresDatabase(prefix = 'cabinet_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const params: ConnectionParams = { engine: 'postgres', host: PG_HOST, port: PG_PORT, user: 'postgres', database: name, sslMode: 'disable' };
  return {
    name,
    params,
    url: `postgres://postgres@${PG_HOST}:${PG_PORT}/${name}`,
    async exec(sql) {
      const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: name });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    async drop() {
      const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

export async function createMysqlDatabase(prefix = 'cabinet_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '' });
  await admin.query(`create database \`${name}\``);
  await admin.end();
  const params: ConnectionParams = { engine: 'mysql', host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', database: name, sslMode: 'disable' };
  return {
    name,
    params,
    url: `mysql://root@${MYSQL_HOST}:${MYSQL_PORT}/${name}`,
    async exec(sql) {
      const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '', database: name, multipleStatements: true });
      try {
        await conn.query(sql);
      } finally {
        await conn.end();
      }
    },
    async drop() {
      const conn = await mysql.createConnection({ host: MYSQL_HOST, port: MYSQL_PORT, user: 'root', password: '' });
      await conn.query(`drop database if exists \`${name}\``);
      await conn.end();
    },
  };
}

/** Makes `count` empty tables t1..tN in a new schema, committing every 1,000 (one transaction would run out of lock slots). */
export async function createManyPostgresTables(db: TestDatabase, schema: string, count: number): Promise<void> {
  await db.exec(`create schema "${schema}"`);
  await db.exec(
    `do $$ begin for i in 1..${count} loop execute format('create table "${schema}".t%s ()', i); if i % 1000 = 0 then commit; end if; end loop; end $$`,
  );
}
