import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../shared/sql-split.ts';

const pg = (text: string) => splitStatements(text, { engine: 'postgres', file: 'x.sql' }).map((s) => s.sql);
const my = (text: string) => splitStatements(text, { engine: 'mysql', file: 'x.sql' }).map((s) => s.sql);

describe('splitStatements on PostgreSQL', () => {
  it('splits on semicolons and drops empty and comment-only pieces', () => {
    expect(pg('select 1; select 2;;\n  ;\n-- just a comment\n/* and another */')).toEqual(['select 1', 'select 2']);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(pg('create table a (id int);\ninsert into a values (1)')).toEqual(['create table a (id int)', 'insert into a values (1)']);
  });

  it('ignores semicolons in strings, doubled quotes and quoted identifiers', () => {
    expect(pg(`insert into t values ('a;b', 'it''s; fine'); select "we;ird""name" from t;`)).toEqual([
      `insert into t values ('a;b', 'it''s; fine')`,
      `select "we;ird""name" from t`,
    ]);
  });

  it('reads a backslash as a plain character in a standard string, and as an escape in E strings', () => {
    expect(pg(String.raw`select 'C:\'; select E'it\'s; ok'; select e'\\'; select 3`)).toEqual([
      String.raw`select 'C:\'`,
      String.raw`select E'it\'s; ok'`,
      String.raw`select e'\\'`,
      'select 3',
    ]);
  });

  it('does not take an identifier ending in e as an E-string prefix', () => {
    expect(pg(String.raw`select name'\'; select 2`)).toEqual([String.raw`select name'\'`, 'select 2']);
  });

  it('keeps $$ and $tag$ bodies whole, including nested other tags', () => {
    const fn = `create function f() returns int language plpgsql as $body$
begin
  perform $$;$$;
  return 1; -- ;
end;
$body$`;
    expect(pg(`${fn};\nselect f();`)).toEqual([fn, 'select f()']);
  });

  it('does not read $1 parameters or identifiers with $ as dollar quotes', () => {
    expect(pg('prepare p as select $1; select a$b$ from t; select 1')).toEqual(['prepare p as select $1', 'select a$b$ from t', 'select 1']);
  });

  it('nests block comments', () => {
    expect(pg('select 1 /* outer /* inner; */ still comment; */; select 2')).toEqual(['select 1 /* outer /* inner; */ still comment; */', 'select 2']);
  });

  it('treats -- as a comment even without a following space', () => {
    expect(pg('select 1 --; not a statement\n; select 2')).toEqual(['select 1 --; not a statement', 'select 2']);
  });

  it('keeps a BEGIN ATOMIC body whole, including CASE ... END inside it', () => {
    const fn = `create or replace function g(x int) returns int language sql
begin atomic
  select case when x > 0 then 1 else 0 end;
  select x + 1;
end`;
    expect(pg(`${fn};\nselect g(1);`)).toEqual([fn, 'select g(1)']);
  });

  it('does not track BEGIN outside a function body', () => {
    expect(pg('begin; select 1; commit;')).toEqual(['begin', 'select 1', 'commit']);
  });

  it('gives each statement the line of its first keyword, offset by the section start, and its place in the text', () => {
    const text = '\n-- comment\nselect 1;\n\n  select\n 2;';
    const statements = splitStatements(text, { engine: 'postgres', firstLine: 10 });
    expect(statements).toEqual([
      { sql: 'select 1', line: 12, start: 12, end: 20 },
      { sql: 'select\n 2', line: 14, start: 25, end: 34 },
    ]);
    for (const s of statements) expect(text.slice(s.start, s.end)).toBe(s.sql);
  });

  it.each([
    ["select 'open", 'string', 2],
    ['select "open', 'quoted identifier', 2],
    ['select $$ body', 'dollar-quoted body', 2],
    ['select $x$ body $y$', 'dollar-quoted body ($x$', 2],
    ['select /* /* */ 1', 'comment', 2],
  ])('names the file and line of an unterminated construct: %s', (text, what, line) => {
    expect(() => splitStatements(`select 1;\n${text}`, { engine: 'postgres', file: '001_a.sql' })).toThrow(
      new RegExp(`^001_a\\.sql, line ${line}: Unterminated ${what.replace(/[$()]/g, '\\$&')}`),
    );
  });
});

describe('pg_dump files', () => {
  it("passes over psql's \\restrict and \\unrestrict lines, and refuses any other meta-command", () => {
    expect(pg('\\restrict AbC123\n\nSET statement_timeout = 0;\nselect 1;\n\n\\unrestrict AbC123\n')).toEqual(['SET statement_timeout = 0', 'select 1']);
    expect(() => pg('select 1;\n\\connect other\nselect 2;')).toThrow(
      /^x\.sql, line 2: "\\connect" is a psql meta-command, not SQL: the runner sends statements to the server and runs no psql commands\.$/,
    );
  });

  it('keeps the data of COPY ... FROM stdin with its statement, up to the \\. line', () => {
    const text = [
      'COPY public.t (id, note) FROM stdin;',
      '1\tit\'s; not -- a comment',
      "2\t/* nor 'this' $$",
      '3\t\\\\.',
      '\\.',
      '',
      'SELECT pg_catalog.setval(\'public.t_id_seq\', 3, true);',
    ].join('\n');
    const statements = splitStatements(text, { engine: 'postgres', firstLine: 5 });
    expect(statements).toMatchObject([
      { sql: 'COPY public.t (id, note) FROM stdin', line: 5, copyData: "1\tit's; not -- a comment\n2\t/* nor 'this' $$\n3\t\\\\.\n" },
      { sql: "SELECT pg_catalog.setval('public.t_id_seq', 3, true)", line: 11 },
    ]);
    // An empty table's COPY has no lines before \.; without \. the data runs to the end, as psql reads it.
    expect(splitStatements('copy t from stdin;\n\\.\nselect 1;', { engine: 'postgres' })).toMatchObject([
      { sql: 'copy t from stdin', line: 1, copyData: '' },
      { sql: 'select 1', line: 3 },
    ]);
    expect(splitStatements('COPY t FROM STDIN;\n1\n2', { engine: 'postgres' })[0]!.copyData).toBe('1\n2\n');
    // COPY to a file, or from a program, has no inline data.
    expect(pg("copy t to '/tmp/x';\nselect 1;")).toEqual(["copy t to '/tmp/x'", 'select 1']);
  });
});

describe('splitStatements on MySQL', () => {
  it('reads backslash escapes in both quote styles, and backticks as identifiers', () => {
    expect(my(String.raw`insert into t values ('it\'s; ok', "say \"hi\"; now"); select ` + '`a;b``c`' + ' from t;')).toEqual([
      String.raw`insert into t values ('it\'s; ok', "say \"hi\"; now")`,
      'select `a;b``c` from t',
    ]);
  });

  it('takes # and "-- " as comments, but not -- without a space', () => {
    expect(my('select 1 # ; comment\n; select 5--1;\nselect 2 -- ;\n;')).toEqual(['select 1 # ; comment', 'select 5--1', 'select 2 -- ;']);
  });

  it('does not nest block comments', () => {
    expect(my('select 1 /* a /* b */; select 2')).toEqual(['select 1 /* a /* b */', 'select 2']);
  });

  it('keeps versioned comments and hints as code', () => {
    expect(my('/*!40101 SET NAMES utf8mb4 */;\n/* plain */;\nselect /*+ MAX_EXECUTION_TIME(1) */ 1;')).toEqual([
      '/*!40101 SET NAMES utf8mb4 */',
      'select /*+ MAX_EXECUTION_TIME(1) */ 1',
    ]);
  });

  it('follows DELIMITER lines and does not send them', () => {
    const body = `CREATE PROCEDURE p()
BEGIN
  SELECT 1;
  SELECT ';$$';
END`;
    expect(my(`DELIMITER $$\n${body}$$\ndelimiter ;\nCALL p();\nDELIMITER //\nSELECT 1//\nSELECT 2 //\nDELIMITER ;\nSELECT 3;`)).toEqual([
      body,
      'CALL p()',
      'SELECT 1',
      'SELECT 2',
      'SELECT 3',
    ]);
  });

  it('reports a DELIMITER line inside an unfinished statement', () => {
    expect(() => my('DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\n')).toThrow(
      /x\.sql, line 3: DELIMITER inside a statement: the statement above does not end with its delimiter "\$\$"/,
    );
  });

  it('does not read $$ as a dollar quote', () => {
    expect(my("select '$$'; select 1 as `$$`; select 2")).toEqual(["select '$$'", 'select 1 as `$$`', 'select 2']);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => my("select 1;\n\nselect 'abc\\';")).toThrow(/^x\.sql, line 3: Unterminated string/);
  });
});
