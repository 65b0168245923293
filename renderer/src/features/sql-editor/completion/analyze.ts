/**
 * Reads the structure of one statement from its tokens, in one pass: the queries it is made of (subqueries,
 * CTE bodies, UNION branches), the tables each one reads or writes, and what the statement expects at the
 * cursor. Forgiving by design: unfinished or wrong SQL still gives the best reading it can.
 */
import type { Engine } from '../../../../../shared/profiles.ts';
import type { NamePart } from './identifiers.ts';
import { canBeImplicitAlias, isReserved } from './keywords.ts';
import type { Token } from './tokenizer.ts';

export type StatementKind = 'other' | 'select' | 'insert' | 'update' | 'delete';

export type Clause =
  | 'start'
  | 'with'
  | 'select'
  | 'from'
  | 'on'
  | 'where'
  | 'group'
  | 'having'
  | 'order'
  | 'limit'
  | 'window'
  | 'into'
  | 'insert'
  | 'values'
  | 'update'
  | 'set'
  | 'delete'
  | 'upsert'
  | 'returning'
  | 'other';

/** What may come next at the query's own level. */
export type Expect =
  | 'none'
  /** A table name (or `(` for a derived table). */
  | 'table'
  /** The next part of a qualified table name, after `name.`. */
  | 'name-part'
  /** After a table: an alias, `AS`, or the next clause. */
  | 'alias'
  /** After `AS` following a table: the alias. */
  | 'alias-name'
  /** After the alias: a column alias list may follow. */
  | 'after-alias'
  /** After `AS` in a select list: a new name. */
  | 'column-alias'
  /** `ALTER TABLE t … COLUMN`: a column of that table. */
  | 'target-column'
  | 'cte-name'
  | 'cte-as'
  | 'cte-body'
  | 'cte-next';

/** Who a table is to its statement: read from, written, created… */
export type RefRole = 'source' | 'target' | 'insert-target' | 'ddl' | 'columns-target';

export interface TableRef {
  /** The name as written (`sales.orders` → two parts); empty for a derived table. */
  parts: NamePart[];
  alias?: NamePart;
  /** `AS t(a, b)`: names that replace the source's column names in order. */
  columnAliases?: string[];
  /** `(SELECT …) AS t`. */
  subquery?: Scope;
  /** `generate_series(1, 3) AS g`. */
  func?: boolean;
  role: RefRole;
  /** The query the reference belongs to (where its CTE names are looked up). */
  scope: Scope;
}

export interface CteDef {
  name: NamePart;
  columns?: string[];
  body?: Scope;
}

export interface Scope {
  /** The enclosing query, where CTE names are looked up next. */
  parent: Scope | undefined;
  /** The query whose tables this one may name (correlated subqueries); none for derived tables and CTEs. */
  outer: Scope | undefined;
  refs: TableRef[];
  /** Shared between the branches of a UNION. */
  ctes: CteDef[];
  /** Token ranges [start, end) of the items of the query's first select list. */
  selectItems: Array<[number, number]>;
  statement: StatementKind;
}

export type GroupKind =
  /** Function arguments or any parenthesized expression. */
  | 'args'
  /** `INSERT INTO t (…)`, `REFERENCES t (…)`, `CREATE INDEX … ON t (…)`: columns of one table. */
  | 'column-list'
  /** New names: `AS t(a, b)`, `WITH x(a, b)`. */
  | 'names';

/** The statement as read at the cursor. */
export interface CursorState {
  scope: Scope;
  clause: Clause;
  expect: Expect;
  /** The table reference being written. */
  ref: TableRef | undefined;
  /** Its name parts before the cursor (for `name-part`: the qualifier typed so far). */
  refParts: NamePart[];
  /** Set when the cursor is inside parentheses at this query's level. */
  group: GroupKind | undefined;
  /** Token index of the innermost `(` around the cursor at this level. */
  groupOpen: number;
  groupRef: TableRef | undefined;
}

export interface Analysis {
  cursor: CursorState;
  /** Every query, outermost first. */
  scopes: Scope[];
  /** For each parenthesis, the index of its partner (tokens.length for one never closed); -1 elsewhere. */
  match: Int32Array;
}

const SUBQUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
const CTE_BODY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'INSERT', 'UPDATE', 'DELETE']);
/** Words in a table position that precede the name without being it. */
const TABLE_PREFIXES = new Set(['ONLY', 'LATERAL', 'TABLE', 'IGNORE', 'LOW_PRIORITY', 'DELAYED', 'QUICK', 'HIGH_PRIORITY']);
const MAX_DEPTH = 200;

interface Level {
  scope: Scope;
  clause: Clause;
  expect: Expect;
  role: RefRole;
  ref: TableRef | undefined;
  /** Token index of the last name part of `ref`. */
  refEnd: number;
  cte: CteDef | undefined;
  selecting: boolean;
  itemStart: number;
  lateral: boolean;
  /** The first word of the statement (CREATE, GRANT…), for `ON table`. */
  firstWord: string;
  ddlOn: boolean;
}

export function matchParens(tokens: readonly Token[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.value === '(') stack.push(i);
    else if (t.value === ')') {
      const open = stack.pop();
      if (open !== undefined) {
        match[open] = i;
        match[i] = open;
      }
    }
  }
  for (const open of stack) match[open] = tokens.length;
  return match;
}

function setStatement(scope: Scope, kind: StatementKind) {
  if (scope.statement === 'other' || scope.statement === 'select') scope.statement = kind;
}

const nameOf = (t: Token): NamePart => ({ value: t.value, quoted: t.kind === 'quoted' });
const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
const isPunct = (t: Token | undefined, value: string) => t !== undefined && t.kind === 'punct' && t.value === value;

/**
 * Reads the statement. `cursorToken` is the index of the token the cursor is in or before (tokens.length at
 * the end); the state is taken just before that token is read.
 */
export function analyze(tokens: readonly Token[], engine: Engine, cursorToken: number): Analysis {
  return new Walker(tokens, engine, cursorToken).run();
}

class Walker {
  private readonly match: Int32Array;
  private readonly scopes: Scope[] = [];
  private cursor: CursorState | undefined;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly engine: Engine,
    private readonly ci: number,
  ) {
    this.match = matchParens(tokens);
  }

  run(): Analysis {
    const top = this.newScope(undefined, undefined);
    this.walkQuery(top, 0, this.tokens.length, 0, true);
    const cursor = this.cursor ?? this.stateOf(this.newLevel(top), undefined, -1, undefined);
    return { cursor, scopes: this.scopes, match: this.match };
  }

  private newScope(parent: Scope | undefined, outer: Scope | undefined, ctes: CteDef[] = []): Scope {
    const scope: Scope = { parent, outer, refs: [], ctes, selectItems: [], statement: 'other' };
    this.scopes.push(scope);
    return scope;
  }

  private newLevel(scope: Scope): Level {
    return {
      scope,
      clause: 'start',
      expect: 'none',
      role: 'source',
      ref: undefined,
      refEnd: -1,
      cte: undefined,
      selecting: false,
      itemStart: 0,
      lateral: false,
      firstWord: '',
      ddlOn: false,
    };
  }

  private stateOf(level: Level, group: GroupKind | undefined, groupOpen: number, groupRef: TableRef | undefined): CursorState {
    return {
      scope: level.scope,
      clause: level.clause,
      expect: group ? 'none' : level.expect,
      ref: level.ref,
      refParts: level.ref ? [...level.ref.parts] : [],
      group,
      groupOpen,
      groupRef,
    };
  }

  private mark(level: Level, group?: GroupKind, groupOpen = -1, groupRef?: TableRef) {
    if (!this.cursor) this.cursor = this.stateOf(level, group, groupOpen, groupRef);
  }

  private endSelect(level: Level, at: number) {
    if (!level.selecting) return;
    if (at > level.itemStart) level.scope.selectItems.push([level.itemStart, at]);
    level.selecting = false;
  }

  private isSubqueryAt(k: number, starts: ReadonlySet<string>): boolean {
    const t = this.tokens[k];
    if (t?.kind === 'word' && starts.has(t.upper)) return true;
    // `((SELECT …) UNION (SELECT …))`
    return isPunct(t, '(') && this.isSubqueryAt(k + 1, starts);
  }

  /** One query level, tokens [from, to). */
  private walkQuery(scope: Scope, from: number, to: number, depth: number, top = false) {
    const level = this.newLevel(scope);
    this.walkLevel(level, from, to, depth, top);
    this.endSelect(level, to);
  }

  private walkLevel(level: Level, from: number, to: number, depth: number, top = false) {
    const tokens = this.tokens;
    let i = from;
    while (i < to) {
      if (i === this.ci) this.mark(level);
      const t = tokens[i]!;

      if (t.kind === 'punct') {
        if (t.value === '(') {
          const close = Math.min(this.match[i]!, to);
          this.paren(level, i, close, depth);
          i = close + 1;
          continue;
        }
        if (t.value === ',') {
          this.comma(level, i);
          i++;
          continue;
        }
        if (t.value === '.') {
          if ((level.expect === 'alias' || level.expect === 'name-part') && level.ref && level.refEnd === i - 1) level.expect = 'name-part';
          else if (level.expect !== 'name-part') level.expect = 'none';
          i++;
          continue;
        }
        if (t.value === ';' && top) {
          this.endSelect(level, i);
          const next = this.newScope(undefined, undefined);
          Object.assign(level, this.newLevel(next));
          i++;
          continue;
        }
        level.expect = 'none';
        i++;
        continue;
      }

      if (isName(t)) {
        if (this.expected(level, t, i)) {
          i++;
          continue;
        }
        if (t.kind === 'word') {
          const jump = this.keyword(level, t, i, to, depth);
          if (jump !== undefined) {
            i = jump;
            continue;
          }
        } else level.expect = 'none';
        if (level.firstWord === '' && t.kind === 'word') level.firstWord = t.upper;
        i++;
        continue;
      }

      // Strings, numbers, operators.
      if (level.expect !== 'cte-next') level.expect = 'none';
      i++;
    }
    if (to === this.ci) this.mark(level);
  }

  /** A name where the level expects one; true when the token was taken. */
  private expected(level: Level, t: Token, i: number): boolean {
    if (level.expect === 'none') return false;
    const word = t.kind === 'word';
    const reservedWord = word && isReserved(this.engine, t.upper);
    switch (level.expect) {
      case 'name-part':
        if (reservedWord) {
          level.expect = 'none';
          return false;
        }
        level.ref?.parts.push(nameOf(t));
        level.refEnd = i;
        level.expect = 'alias';
        return true;
      case 'table': {
        if (word && TABLE_PREFIXES.has(t.upper)) {
          if (t.upper === 'LATERAL') level.lateral = true;
          return true;
        }
        // IF [NOT] EXISTS
        const before = this.tokens[i - 1]?.upper;
        if (word && t.upper === 'IF' && (this.tokens[i + 1]?.upper === 'EXISTS' || this.tokens[i + 1]?.upper === 'NOT')) return true;
        if (word && (t.upper === 'NOT' || t.upper === 'EXISTS') && (before === 'IF' || before === 'NOT')) return true;
        if (reservedWord) {
          level.expect = 'none';
          return false;
        }
        const ref: TableRef = { parts: [nameOf(t)], role: level.role, scope: level.scope };
        level.scope.refs.push(ref);
        level.ref = ref;
        level.refEnd = i;
        level.expect = 'alias';
        return true;
      }
      case 'alias': {
        if (word && t.upper === 'AS') {
          level.expect = 'alias-name';
          return true;
        }
        if (word && t.upper === 'WITH' && this.tokens[i + 1]?.upper === 'ORDINALITY') return true;
        if (word && t.upper === 'ORDINALITY' && this.tokens[i - 1]?.upper === 'WITH') return true;
        // DDL names its table without an alias (`ALTER TABLE t RENAME …`).
        const aliasable = !level.ref || level.ref.role === 'source' || level.ref.role === 'target' || level.ref.role === 'insert-target';
        if (aliasable && (!word || canBeImplicitAlias(this.engine, t.upper))) {
          if (level.ref) level.ref.alias = nameOf(t);
          level.expect = 'after-alias';
          return true;
        }
        level.expect = 'none';
        return false;
      }
      case 'alias-name':
        // `AS` then a reserved word is still an alias on PostgreSQL (`AS check`), unless it starts a clause.
        if (reservedWord && ['WHERE', 'JOIN', 'ON', 'SET', 'SELECT', 'FROM', 'GROUP', 'ORDER', 'LIMIT', 'VALUES'].includes(t.upper)) {
          level.expect = 'none';
          return false;
        }
        if (level.ref) level.ref.alias = nameOf(t);
        level.expect = 'after-alias';
        return true;
      case 'column-alias':
        level.expect = 'none';
        return true;
      case 'cte-name':
        if (word && t.upper === 'RECURSIVE') return true;
        if (reservedWord) {
          level.expect = 'none';
          return false;
        }
        level.cte = { name: nameOf(t) };
        level.scope.ctes.push(level.cte);
        level.expect = 'cte-as';
        return true;
      case 'cte-as':
      case 'cte-body':
        if (word && (t.upper === 'AS' || t.upper === 'NOT' || t.upper === 'MATERIALIZED')) {
          level.expect = 'cte-body';
          return true;
        }
        level.expect = 'none';
        return false;
      default:
        return false;
    }
  }

  /** A key word at the query's level; returns where to go on when it took over the rest of the range. */
  private keyword(level: Level, t: Token, i: number, to: number, depth: number): number | undefined {
    const tokens = this.tokens;
    // `upper` is '' for anything but a word.
    const prev = tokens[i - 1]?.upper ?? '';
    const next = tokens[i + 1]?.upper ?? '';
    const scope = level.scope;
    level.expect = 'none';
    if (level.firstWord === 'GRANT' || level.firstWord === 'REVOKE') {
      // GRANT SELECT, UPDATE ON [TABLE] t TO …: the privileges are not statements.
      if (t.upper === 'ON' || t.upper === 'TABLE') {
        level.expect = 'table';
        level.role = 'ddl';
      }
      return undefined;
    }
    switch (t.upper) {
      case 'SELECT':
        if (scope.statement === 'insert' && (level.clause === 'insert' || level.clause === 'into')) {
          // INSERT … SELECT: the select reads its own tables; the target stays visible to ON CONFLICT/RETURNING.
          const child = this.newScope(scope, scope, scope.ctes);
          if (level.firstWord === '') level.firstWord = 'INSERT';
          this.walkQuery(child, i, to, depth + 1);
          return to;
        }
        this.endSelect(level, i);
        if (scope.statement === 'other') scope.statement = 'select';
        level.clause = 'select';
        if (scope.selectItems.length === 0 && !level.selecting) {
          level.selecting = true;
          level.itemStart = i + 1;
        }
        break;
      case 'FROM':
        if (prev === 'DISTINCT') break;
        this.endSelect(level, i);
        level.clause = 'from';
        level.expect = 'table';
        level.role = scope.statement === 'delete' && !scope.refs.some((r) => r.role === 'target') ? 'target' : 'source';
        break;
      case 'JOIN':
      case 'STRAIGHT_JOIN':
        level.clause = 'from';
        level.expect = 'table';
        level.role = 'source';
        break;
      case 'ON':
        if (next === 'CONFLICT' || next === 'DUPLICATE') level.clause = 'upsert';
        else if (level.clause === 'from') level.clause = 'on';
        else if (level.ddlOn) {
          level.expect = 'table';
          level.role = level.firstWord === 'CREATE' ? 'columns-target' : 'ddl';
        }
        break;
      case 'USING':
        if (isPunct(tokens[i + 1], '(')) level.clause = 'on';
        else {
          level.clause = 'from';
          level.expect = 'table';
          level.role = 'source';
        }
        break;
      case 'WHERE':
        this.endSelect(level, i);
        level.clause = 'where';
        break;
      case 'GROUP':
        this.endSelect(level, i);
        level.clause = 'group';
        break;
      case 'HAVING':
        level.clause = 'having';
        break;
      case 'ORDER':
        this.endSelect(level, i);
        level.clause = 'order';
        break;
      case 'LIMIT':
      case 'OFFSET':
      case 'FETCH':
        this.endSelect(level, i);
        level.clause = 'limit';
        break;
      case 'WINDOW':
        this.endSelect(level, i);
        level.clause = 'window';
        break;
      case 'INTO':
        this.endSelect(level, i);
        level.clause = scope.statement === 'insert' ? 'insert' : 'into';
        level.expect = 'table';
        level.role = scope.statement === 'insert' ? 'insert-target' : 'ddl';
        break;
      case 'INSERT':
        setStatement(scope, 'insert');
        level.clause = 'insert';
        break;
      case 'REPLACE':
        if (this.engine === 'mysql' && !isPunct(tokens[i + 1], '(')) {
          setStatement(scope, 'insert');
          level.clause = 'insert';
        }
        break;
      case 'UPDATE':
        if (prev === 'FOR') break;
        if (prev === 'KEY') {
          level.clause = 'set';
          break;
        }
        if (prev === 'DO') {
          level.clause = 'upsert';
          break;
        }
        setStatement(scope, 'update');
        level.clause = 'update';
        level.expect = 'table';
        level.role = 'target';
        break;
      case 'SET':
        if (scope.statement === 'update' || scope.statement === 'insert' || level.clause === 'upsert') level.clause = 'set';
        else level.clause = 'other';
        break;
      case 'DELETE':
        setStatement(scope, 'delete');
        level.clause = 'delete';
        break;
      case 'VALUES':
        this.endSelect(level, i);
        level.clause = 'values';
        break;
      case 'RETURNING':
        this.endSelect(level, i);
        level.clause = 'returning';
        break;
      case 'WITH':
        if (level.clause === 'start') {
          level.clause = 'with';
          level.expect = 'cte-name';
        }
        break;
      case 'UNION':
      case 'INTERSECT':
      case 'EXCEPT': {
        this.endSelect(level, i);
        const branch = this.newScope(scope.parent, scope.outer, scope.ctes);
        branch.statement = scope.statement;
        level.scope = branch;
        level.clause = 'start';
        level.ref = undefined;
        break;
      }
      case 'TABLE':
        if (prev !== 'RETURNS') {
          level.expect = 'table';
          level.role = 'ddl';
          if (level.clause === 'start') level.clause = 'other';
        }
        break;
      case 'TRUNCATE':
        level.clause = 'other';
        level.expect = 'table';
        level.role = 'ddl';
        break;
      case 'REFERENCES':
        level.expect = 'table';
        level.role = 'columns-target';
        break;
      case 'INDEX':
      case 'TRIGGER':
      case 'POLICY':
      case 'RULE':
        if (level.firstWord === 'CREATE' || level.firstWord === 'DROP') level.ddlOn = true;
        break;
      case 'DESCRIBE':
      case 'DESC':
      case 'EXPLAIN':
        if (this.engine === 'mysql' && level.clause === 'start' && next !== 'SELECT' && next !== 'FORMAT' && next !== 'ANALYZE') {
          level.clause = 'other';
          level.expect = 'table';
          level.role = 'ddl';
        }
        break;
      case 'COLUMN':
        if (level.firstWord === 'ALTER' && level.ref) level.expect = 'target-column';
        break;
      case 'AS':
        if (level.clause === 'select') level.expect = 'column-alias';
        else if (level.clause === 'with') level.expect = 'cte-body';
        break;
      case 'GRANT':
      case 'REVOKE':
        if (level.clause === 'start') level.clause = 'other';
        break;
    }
    return undefined;
  }

  private comma(level: Level, i: number) {
    if (level.selecting) {
      if (i > level.itemStart) level.scope.selectItems.push([level.itemStart, i]);
      level.itemStart = i + 1;
    }
    if (level.clause === 'from' || level.clause === 'on') {
      level.clause = 'from';
      level.expect = 'table';
      level.role = level.scope.statement === 'delete' && level.role === 'target' ? 'target' : 'source';
      level.ref = undefined;
    } else if (level.clause === 'update' || level.clause === 'into' || (level.clause === 'other' && level.role === 'ddl')) {
      level.expect = 'table';
      level.ref = undefined;
    } else if (level.clause === 'with') {
      level.expect = 'cte-name';
    } else level.expect = 'none';
  }

  /** `(` at token `open`, its `)` at `close` (or the end). */
  private paren(level: Level, open: number, close: number, depth: number) {
    if (depth > MAX_DEPTH) {
      if (this.ci > open && this.ci <= close) this.mark(level, 'args', open);
      return;
    }
    const scope = level.scope;
    const ref = level.ref;
    const expect = level.expect;

    if (expect === 'table') {
      if (this.isSubqueryAt(open + 1, SUBQUERY_STARTS)) {
        const child = this.newScope(scope, level.lateral ? scope : scope.outer);
        const derived: TableRef = { parts: [], subquery: child, role: 'source', scope };
        scope.refs.push(derived);
        this.walkQuery(child, open + 1, close, depth + 1);
        level.ref = derived;
        level.refEnd = -1;
        level.expect = 'alias';
      } else {
        // A parenthesized join: its tables belong to this query.
        this.walkLevel(level, open + 1, close, depth + 1);
        level.ref = undefined;
        level.clause = 'from';
        level.expect = 'alias';
      }
      level.lateral = false;
      return;
    }

    if ((expect === 'alias' || expect === 'after-alias') && ref && (ref.role === 'insert-target' || ref.role === 'columns-target')) {
      this.walkGroup(level, open, close, depth, 'column-list', ref);
      if (ref.role === 'insert-target') level.clause = 'insert';
      level.expect = 'none';
      return;
    }
    if (expect === 'alias' && ref && level.refEnd === open - 1 && ref.role === 'source') {
      ref.func = true;
      this.walkGroup(level, open, close, depth, 'args');
      level.expect = 'alias';
      return;
    }
    if (expect === 'after-alias' && ref) {
      ref.columnAliases = this.names(open + 1, close);
      this.walkGroup(level, open, close, depth, 'names');
      level.expect = 'none';
      return;
    }
    if (expect === 'cte-as' && level.cte) {
      level.cte.columns = this.names(open + 1, close);
      this.walkGroup(level, open, close, depth, 'names');
      level.expect = 'cte-as';
      return;
    }
    if (expect === 'cte-body' || (level.clause === 'with' && level.cte && !level.cte.body && this.isSubqueryAt(open + 1, CTE_BODY_STARTS))) {
      // A CTE's body sees the CTEs before it (and itself, if recursive), not the main query's tables.
      const child = this.newScope(scope, scope.outer);
      if (level.cte) level.cte.body = child;
      this.walkQuery(child, open + 1, close, depth + 1);
      level.expect = 'cte-next';
      return;
    }
    if (this.isSubqueryAt(open + 1, SUBQUERY_STARTS)) {
      const child = this.newScope(scope, scope);
      this.walkQuery(child, open + 1, close, depth + 1);
      level.expect = 'none';
      return;
    }
    this.walkGroup(level, open, close, depth, 'args');
    level.expect = 'none';
  }

  /** Inside parentheses that are not a query: only nested parentheses and the cursor matter. */
  private walkGroup(level: Level, open: number, close: number, depth: number, kind: GroupKind, groupRef?: TableRef) {
    const tokens = this.tokens;
    let i = open + 1;
    while (i < close) {
      if (i === this.ci) this.mark(level, kind, open, groupRef);
      const t = tokens[i]!;
      if (isPunct(t, '(')) {
        const end = Math.min(this.match[i]!, close);
        if (depth + 1 > MAX_DEPTH) {
          if (this.ci > i && this.ci <= end) this.mark(level, 'args', i);
        } else if (this.isSubqueryAt(i + 1, SUBQUERY_STARTS)) {
          const child = this.newScope(level.scope, level.scope);
          this.walkQuery(child, i + 1, end, depth + 2);
        } else this.walkGroup(level, i, end, depth + 1, kind === 'names' ? 'names' : 'args');
        i = end + 1;
        continue;
      }
      i++;
    }
    if (close === this.ci) this.mark(level, kind, open, groupRef);
  }

  /** The names in `(a, b, c)`, tokens [from, to). */
  private names(from: number, to: number): string[] {
    const out: string[] = [];
    for (let k = from; k < to; k++) {
      const t = this.tokens[k]!;
      if (isName(t) && (k === from || isPunct(this.tokens[k - 1], ','))) out.push(t.kind === 'quoted' || this.engine === 'mysql' ? t.value : t.value.toLowerCase());
    }
    return out;
  }
}
