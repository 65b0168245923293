/**
 * Generated SQL scripts of a given size, the kind a person pastes or opens: on PostgreSQL tables, inserts
 * with quotes and semicolons inside strings (plain and E''), dollar-quoted PL/pgSQL bodies, a BEGIN ATOMIC
 * body, line and nested block comments, quoted identifiers; on MySQL the same with backslash escapes,
 * backticks, `#` comments and DELIMITER blocks around procedures and triggers. Each block adds a known
 * number of statements, so the split can be checked as well as timed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Engine } from '../../shared/profiles.ts';
import { splitStatements } from '../../shared/sql-split.ts';

export type Splitter = typeof splitStatements;

/** shared/sql-split.ts as this process loaded it: through tsx, which compiles with esbuild's keepNames. */
export const tsxSplitter: Splitter = splitStatements;

/**
 * shared/sql-split.ts bundled by esbuild without keepNames, as the renderer's production build (vite) ships
 * it: the editor splits in the page. (keepNames wraps every closure the splitter creates per word in a
 * `__name` call that defines a property: a large share of the PostgreSQL split's time under tsx.)
 */
export async function bundledSplitter(): Promise<Splitter> {
  const out = await build({
    entryPoints: [join(import.meta.dirname, '..', '..', 'shared', 'sql-split.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
  });
  const folder = mkdtempSync(join(tmpdir(), 'cabinet-bench-split-'));
  try {
    const file = join(folder, 'sql-split.mjs');
    writeFileSync(file, out.outputFiles[0]!.text);
    const loaded = (await import(pathToFileURL(file).href)) as { splitStatements: Splitter };
    return loaded.splitStatements;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export const FIRST_LINE_MARKER = 'cabinet_bench_first_line_4b7e';
export const LAST_LINE_MARKER = 'cabinet_bench_last_line_9d2c';

const postgresBlock = (i: number) => `-- block ${i}: a table, its rows, two functions; a comment; with semicolons
/* a block comment /* nested; inside */ still the comment; */
create table if not exists t_${i} (id int primary key, title text not null, note text, "Odd; name" int);
insert into t_${i} (id, title, note) values (1, 'it''s; a string', E'escaped \\' quote; and \\\\ backslash'), (2, 'semi;colon', null), (3, 'row ${i}', 'x');
create or replace function f_${i}(x int) returns int language plpgsql as $body$
begin
  -- a comment; inside the body
  raise notice 'value; %', x;
  if x > ${i % 97} then
    return x + 1;
  end if;
  return x;
end;
$body$;
create function g_${i}(a int) returns int language sql begin atomic select a + ${i}; select a * 2; end;
update t_${i} set note = $$dollar; quoted 'text'$$ where id = ${i % 7};
select "Odd; name", count(*) as n from t_${i} where title like '%;%' group by 1 order by 2 desc;
`;
const POSTGRES_STATEMENTS_PER_BLOCK = 6;

const mysqlBlock = (i: number) => `# block ${i}: a table, its rows, a procedure, a trigger
-- a dash comment; with a semicolon
create table if not exists \`t_${i}\` (id int primary key, title varchar(100) not null, note text, \`odd;name\` int);
insert into \`t_${i}\` (id, title, note) values (1, 'it\\'s; a string', "double; quoted"), (2, 'semi;colon', null), (3, 'row ${i}', 'x');
/* a block comment; */
DELIMITER $$
create procedure p_${i}(in x int)
begin
  declare y int default 0; -- a comment; inside
  set y = x + ${i % 97};
  select concat('value; ', y) as v;
end$$
create trigger trg_${i} before insert on \`t_${i}\` for each row begin set new.note = 'set; by trigger'; end$$
DELIMITER ;
update \`t_${i}\` set note = 'x' where id = ${i % 7};
select \`odd;name\`, count(*) as n from \`t_${i}\` where title like '%;%' group by 1 order by 2 desc;
`;
const MYSQL_STATEMENTS_PER_BLOCK = 6;

export interface Script {
  engine: Engine;
  text: string;
  /** What a correct split finds. */
  statements: number;
}

/** A script of at least `bytes` characters (ASCII: characters are bytes), ending in a marked comment line. */
export function makeScript(engine: Engine, bytes: number): Script {
  const block = engine === 'postgres' ? postgresBlock : mysqlBlock;
  const parts = [`-- ${FIRST_LINE_MARKER}: a generated ${engine === 'postgres' ? 'PostgreSQL' : 'MySQL'} script\n`];
  let length = parts[0]!.length;
  let blocks = 0;
  while (length < bytes) {
    const text = block(++blocks);
    parts.push(text);
    length += text.length;
  }
  parts.push(`-- ${LAST_LINE_MARKER}`);
  const perBlock = engine === 'postgres' ? POSTGRES_STATEMENTS_PER_BLOCK : MYSQL_STATEMENTS_PER_BLOCK;
  return { engine, text: parts.join(''), statements: blocks * perBlock };
}

export interface SplitTiming {
  engine: Engine;
  bytes: number;
  lines: number;
  statements: number;
  expected: number;
  /** Each timed run, ms. */
  runs: number[];
}

/** A splitter on the script: one untimed run, then `rounds` timed ones. */
export function timeSplit(split: Splitter, script: Script, rounds: number): SplitTiming {
  const options = { engine: script.engine };
  const found = split(script.text, options).length;
  const runs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    split(script.text, options);
    runs.push(performance.now() - started);
  }
  let lines = 1;
  for (let k = 0; k < script.text.length; k++) if (script.text.charCodeAt(k) === 10) lines++;
  return { engine: script.engine, bytes: script.text.length, lines, statements: found, expected: script.statements, runs };
}
