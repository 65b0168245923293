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

/**
 * Tables per transaction in createManyPostgresTables. Each CREATE TABLE holds a lock until its
 * transaction ends, and the lock table is shared by the whole server: max_locks_per_transaction
 * (64) × max_connections (100) by default, with other test files running beside this one. 20,000
 * in one transaction fails with "out of shared memory".
 */
const TABLES_PER_TRANSACTION = 500;

/** Makes `count` empty tables t1..tN in a new schema, one transaction per TABLES_PER_TRANSACTION. */
export async function createManyPostgresTables(db: TestDatabase, schema: string, count: number): Promise<void> {
  const client = new pg.Client({ host: PG_HOST, port: PG_PORT, user: 'postgres', database: db.name });
  await client.connect();
  try {
    await client.query(`create schema "${schema}"`);
    for (let first = 1; first <= count; first += TABLES_PER_TRANSACTION) {
      const last = Math.min(count, first + TABLES_PER_TRANSACTION - 1);
      const creates: string[] = [];
      for (let i = first; i <= last; i++) creates.push(`create table "${schema}".t${i} ();`);
      await client.query(`begin;\n${creates.join('\n')}\ncommit;`);
    }
  } finally {
    await client.end();
  }
}
