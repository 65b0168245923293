/**
 * The tables the table-browsing bench opens, built in throwaway databases as fast as each server allows:
 * `events` (id key; text, numeric, JSON and timestamp columns; an index on the timestamp) on both engines,
 * and `wide` (50 columns) on PostgreSQL for the scrolling test.
 *
 * `created_at` runs through the rows in a scrambled order (row g gets step `(g × P) mod N` for a prime P that
 * does not divide N: a permutation, so every timestamp is distinct), so that sorting on it puts a different
 * row first than the key order does, and the bench can see the sorted rows arrive.
 */
import type { TestDatabase } from '../../tests/support/databases.ts';

/** A prime that does not divide `rows`: `(g × P) mod rows` then visits every step exactly once. */
export function scrambler(rows: number): number {
  for (const prime of [7919, 7927, 7933, 7937]) if (rows % prime !== 0) return prime;
  return 7949;
}

export async function buildPostgresEvents(db: TestDatabase, rows: number): Promise<void> {
  const p = scrambler(rows);
  // Keys and index are built after the load (one sort each, not 5M index insertions), ids written
  // explicitly (no nextval per row) and the sequence moved past them.
  await db.exec(`
    set maintenance_work_mem = '256MB';
    create table events (id bigserial, kind text not null, title text not null, amount numeric(12,2), score double precision,
                         payload jsonb, created_at timestamptz not null, note text);
    insert into events (id, kind, title, amount, score, payload, created_at, note)
      select g, (array['view','click','buy','share','login'])[1 + g % 5], 'event ' || g, (g % 100000) / 100.0, (g % 977) / 7.0,
             jsonb_build_object('n', g, 'tag', 't' || (g % 50)),
             timestamptz '2020-01-01 00:00:00+00' + ((g::bigint * ${p}) % ${rows}) * interval '17 seconds',
             case when g % 7 = 0 then null else md5(g::text) end
        from generate_series(1, ${rows}) g;
    alter table events add primary key (id);
    select setval(pg_get_serial_sequence('events', 'id'), ${rows});
    create index events_created_at on events (created_at);`);
  // VACUUM cannot run inside the implicit transaction of a multi-statement query. It also sets the hint bits
  // and the visibility map, so the first timed read is not the one that writes them.
  await db.exec('vacuum analyze events');
}

export const WIDE_COLUMNS = 50;

export async function buildPostgresWide(db: TestDatabase, rows: number): Promise<void> {
  const columns: string[] = [];
  const values: string[] = [];
  for (let i = 1; i < WIDE_COLUMNS; i++) {
    if (i % 3 === 0) {
      columns.push(`c${i} integer`);
      values.push(`(g * ${i}) % 1000003`);
    } else if (i % 3 === 1) {
      columns.push(`c${i} text`);
      values.push(`'w${i}-' || g`);
    } else {
      columns.push(`c${i} numeric(12,2)`);
      values.push(`((g * ${i}) % 100000) / 100.0`);
    }
  }
  await db.exec(`
    create table wide (id bigint not null, ${columns.join(', ')});
    insert into wide select g, ${values.join(', ')} from generate_series(1, ${rows}) g;
    alter table wide add primary key (id);`);
  await db.exec('vacuum analyze wide');
}

/** MariaDB: the SEQUENCE engine's `seq_A_to_B` tables, a few INSERT … SELECT batches in key order. */
export async function buildMysqlEvents(db: TestDatabase, rows: number, batches = 5): Promise<void> {
  const p = scrambler(rows);
  await db.exec(`
    create table events (id bigint not null auto_increment primary key, kind varchar(10) not null, title varchar(40) not null,
                         amount decimal(12,2), score double, payload json, created_at datetime(6) not null, note varchar(32))
      engine = InnoDB;`);
  const size = Math.ceil(rows / batches);
  for (let first = 1; first <= rows; first += size) {
    const last = Math.min(rows, first + size - 1);
    await db.exec(`
      insert into events (id, kind, title, amount, score, payload, created_at, note)
        select seq, elt(1 + seq % 5, 'view', 'click', 'buy', 'share', 'login'), concat('event ', seq), (seq % 100000) / 100,
               (seq % 977) / 7, json_object('n', seq, 'tag', concat('t', seq % 50)),
               timestamp'2020-01-01 00:00:00' + interval ((seq * ${p}) % ${rows}) * 17 second,
               if(seq % 7 = 0, null, md5(seq))
          from seq_${first}_to_${last};`);
  }
  await db.exec('alter table events add index events_created_at (created_at); analyze table events;');
}
