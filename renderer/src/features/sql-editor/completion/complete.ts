/**
 * Completion for the statement under the cursor, from the live schema: what the statement expects at the
 * cursor (a table, a column of a table named later in the text, a key word…), then the catalog's names that fit,
 * quoted the way the engine needs. Pure apart from the catalog it is given; never throws.
 */
import type { Engine } from '../../../../../shared/profiles.ts';
import { analyze, type CteDef, type CursorState, type Scope, type TableRef } from './analyze.ts';
import type { CatalogColumn, CatalogFunction, CatalogTable, SchemaCatalog } from './catalog.ts';
import { canonicalName, findByName, formatIdentifier, namesMatch, quoteWith, type NamePart } from './identifiers.ts';
import { engineWords, isReserved } from './keywords.ts';
import { tokenize, type Token } from './tokenizer.ts';

export type CompletionItemKind = 'keyword' | 'schema' | 'table' | 'view' | 'column' | 'function' | 'alias' | 'cte';

export interface CompletionItem {
  /** The name as the catalog has it (or the key word). */
  label: string;
  kind: CompletionItemKind;
  /** What replaces [replaceFrom, cursor) (or [replaceFrom, replaceTo)): quoted when the engine needs it. */
  insertText: string;
  detail?: string;
  /** Orders the list: columns, then aliases and tables, then functions, then key words. */
  sortText?: string;
  /** What an editor should match the typed text against (the quoted form when a quote was typed). */
  filterText?: string;
}

/** Which question the statement asked at the cursor; for editors that react to it, and for tests. */
export type CompletionContext =
  | 'none'
  | 'statement'
  | 'keyword'
  | 'table'
  | 'qualified-table'
  | 'member'
  | 'column-list'
  | 'assignment'
  | 'expression'
  | 'type';

export interface CompletionResult {
  items: CompletionItem[];
  /** Start of the word being completed (its opening quote included): the text to replace starts here. */
  replaceFrom: number;
  /** End of that word (its closing quote included), for editors that replace the whole word. */
  replaceTo: number;
  context: CompletionContext;
  /** Some names were left out (the catalog was too slow, or the list was cut): ask again as the user types. */
  incomplete?: boolean;
}

export interface CompletionRequest {
  /** The one statement the cursor is in. */
  text: string;
  /** The cursor, as an offset into `text`. */
  offset: number;
  engine: Engine;
  /** PostgreSQL: the search path's first schema (usually `public`); MySQL: the current database. */
  defaultSchema: string;
  catalog: SchemaCatalog;
  /** PostgreSQL: the schemas searched for unqualified names; defaults to [defaultSchema]. */
  searchPath?: readonly string[];
  /** MySQL with ANSI_QUOTES: `"…"` is an identifier. */
  ansiQuotes?: boolean;
  /** Key words as typed (`match`, the default: the typed word's case, else the statement's), or forced. */
  keywordCase?: 'upper' | 'lower' | 'match';
  /** How long to wait for the catalog before answering with what is known (ms; default 1000; 0: no limit). */
  timeoutMs?: number;
  /** At most this many items (default 5000). */
  maxItems?: number;
}

interface Column {
  name: string;
  type: string;
}

/** Characters after which an editor should ask for completion without waiting for a letter. */
export function completionTriggerCharacters(engine: Engine, ansiQuotes = false): string[] {
  return engine === 'postgres' || ansiQuotes ? ['.', '"'] : ['.', '`'];
}

const EXPRESSION_CLAUSES = new Set(['select', 'where', 'on', 'group', 'having', 'order', 'set', 'upsert', 'returning', 'values', 'window']);

export async function completeSql(request: CompletionRequest): Promise<CompletionResult> {
  const offset = Math.max(0, Math.min(request.offset | 0, request.text.length));
  let reader: CatalogReader | undefined;
  try {
    reader = new CatalogReader(request.catalog, request.timeoutMs ?? 1000);
    return await new Completion(request, offset, reader).run();
  } catch {
    return { items: [], replaceFrom: offset, replaceTo: offset, context: 'none' };
  } finally {
    reader?.dispose();
  }
}

/** The catalog, with failures and slowness turned into "nothing known", and each question asked once. */
class CatalogReader {
  incomplete = false;
  private readonly memo = new Map<string, Promise<unknown>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly deadline: Promise<void> | undefined;

  constructor(
    private readonly catalog: SchemaCatalog,
    timeoutMs: number,
  ) {
    if (timeoutMs > 0) this.deadline = new Promise((resolve) => (this.timer = setTimeout(resolve, timeoutMs)));
  }

  dispose() {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  schemas(): Promise<string[]> {
    return this.ask('s', () => this.catalog.schemas(), []);
  }

  tables(schema: string): Promise<CatalogTable[]> {
    return this.ask(`t\u0000${schema}`, () => this.catalog.tables(schema), []);
  }

  columns(schema: string, table: string): Promise<CatalogColumn[]> {
    return this.ask(`c\u0000${schema}\u0000${table}`, () => this.catalog.columns(schema, table), []);
  }

  functions(schema: string): Promise<CatalogFunction[]> {
    const catalog = this.catalog;
    if (!catalog.functions) return Promise.resolve([]);
    return this.ask(`f\u0000${schema}`, () => catalog.functions!(schema), []);
  }

  private ask<T>(key: string, call: () => Promise<T>, fallback: T): Promise<T> {
    const known = this.memo.get(key);
    if (known) return known as Promise<T>;
    const answer = new Promise<T>((resolve) => {
      let done = false;
      const finish = (value: T, late = false) => {
        if (done) return;
        done = true;
        if (late) this.incomplete = true;
        resolve(value);
      };
      try {
        Promise.resolve(call()).then(
          (value) => finish(Array.isArray(value) ? value : fallback),
          () => finish(fallback),
        );
      } catch {
        finish(fallback);
      }
      void this.deadline?.then(() => finish(fallback, true));
    });
    this.memo.set(key, answer);
    return answer;
  }
}

interface Candidate {
  label: string;
  kind: CompletionItemKind;
  detail?: string;
  rank: number;
  /** Inserted as is (key words, qualified names) rather than quoted as a name. */
  raw?: string;
}

class Completion {
  private readonly engine: Engine;
  private readonly text: string;
  private tokens: Token[] = [];
  private match: Int32Array = new Int32Array(0);
  private readonly searchPath: readonly string[];
  /** The typed part of the word, without its opening quote. */
  private typed = '';
  /** The quote the user opened, if any. */
  private quote: string | undefined;
  private replaceFrom: number;
  private replaceTo: number;
  private readonly candidates: Candidate[] = [];

  constructor(
    private readonly request: CompletionRequest,
    private readonly offset: number,
    private readonly reader: CatalogReader,
  ) {
    this.engine = request.engine;
    this.text = request.text;
    this.replaceFrom = offset;
    this.replaceTo = offset;
    const path = request.searchPath?.filter((s) => s !== '') ?? [];
    this.searchPath = path.length > 0 ? path : [request.defaultSchema];
  }

  async run(): Promise<CompletionResult> {
    const { tokens, comments } = tokenize(this.text, { engine: this.engine, ansiQuotes: this.request.ansiQuotes === true });
    this.tokens = tokens;
    const offset = this.offset;
    for (const c of comments) {
      if (c.start < offset && (offset < c.end || (offset === c.end && (c.line || !c.closed)))) return this.result('none');
    }

    // The token the cursor is in, or the one after it.
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.end < offset) lo = mid + 1;
      else hi = mid;
    }
    let ci = lo;
    const at = tokens[lo];
    if (at && at.start < offset) {
      if (at.kind === 'word') {
        this.typed = this.text.slice(at.start, offset);
        this.replaceFrom = at.start;
        this.replaceTo = at.end;
      } else if (at.kind === 'quoted') {
        const q = at.quote || '"';
        const innerEnd = Math.min(offset, at.closed ? at.end - 1 : at.end);
        this.typed = this.text.slice(at.start + 1, Math.max(at.start + 1, innerEnd)).split(q + q).join(q);
        this.quote = q;
        this.replaceFrom = at.start;
        this.replaceTo = at.end;
      } else if (at.kind === 'string') {
        if (offset < at.end || !at.closed) return this.result('none');
        ci = lo + 1;
      } else if (at.kind === 'number') {
        return this.result('none');
      } else ci = lo + 1;
    }
    // `@variable` (MySQL), `:name` (psql variables): not names from the schema.
    const before = tokens[ci - 1];
    if (before && before.kind === 'operator' && (before.value === '@' || before.value === ':') && before.end === this.replaceFrom) {
      return this.result('none');
    }

    const analysis = analyze(tokens, this.engine, ci);
    this.match = analysis.match;
    const context = await this.collect(analysis.cursor, ci);
    return this.result(context);
  }

  /** Decides what the cursor position asks for and gathers the candidates. */
  private async collect(state: CursorState, ci: number): Promise<CompletionContext> {
    const tokens = this.tokens;
    const prev = tokens[ci - 1];

    if (state.group === 'names' || state.expect === 'column-alias' || state.expect === 'alias-name' || state.expect === 'cte-name') return 'none';

    // `x.`, `x.y.`: the qualifier chain before the word.
    const chain: NamePart[] = [];
    for (let k = ci - 1; k > 0 && tokens[k]!.kind === 'punct' && tokens[k]!.value === '.'; k -= 2) {
      const name = tokens[k - 1]!;
      if (name.kind !== 'word' && name.kind !== 'quoted') break;
      chain.unshift({ value: name.value, quoted: name.kind === 'quoted' });
    }
    if (prev && prev.kind === 'punct' && prev.value === '.' && chain.length === 0) return 'none';

    if (state.expect === 'name-part') {
      await this.qualifiedTables(state.refParts.length > 0 ? state.refParts : chain);
      return 'qualified-table';
    }
    if (chain.length > 0) {
      await this.members(state, chain);
      return 'member';
    }
    if (state.group === 'column-list' && state.groupRef) {
      await this.columnList(state.groupRef, state.groupOpen, ci);
      return 'column-list';
    }
    if (state.expect === 'target-column' && state.ref) {
      this.addColumns(await this.refColumns(state.ref, new Set()), 0, this.refLabel(state.ref));
      return 'column-list';
    }
    if (state.expect === 'table') {
      await this.tableNames(state.scope);
      return 'table';
    }
    if (prev && prev.kind === 'operator' && prev.value === '::') {
      this.types();
      return 'type';
    }
    if (prev?.upper === 'AS' && state.group === 'args' && tokens[state.groupOpen - 1]?.upper === 'CAST') {
      this.types();
      return 'type';
    }
    if (ci === 0 || (prev?.kind === 'punct' && prev.value === ';') || (state.clause === 'start' && !state.group)) {
      this.keywords(engineWords(this.engine).statements);
      return 'statement';
    }
    if (state.expect === 'alias' || state.expect === 'after-alias' || state.expect === 'cte-as' || state.expect === 'cte-next') {
      this.keywords(engineWords(this.engine).keywords);
      return 'keyword';
    }
    const assignmentStart = prev?.upper === 'SET' || prev?.upper === 'UPDATE' || (prev?.kind === 'punct' && prev.value === ',');
    if (state.clause === 'set' && !state.group && assignmentStart) {
      await this.assignment(state.scope);
      return 'assignment';
    }
    if (state.group === 'args' || EXPRESSION_CLAUSES.has(state.clause)) {
      await this.expression(state);
      return 'expression';
    }
    this.keywords(engineWords(this.engine).keywords);
    return 'keyword';
  }

  // ---- Contexts ----

  /** After `FROM`, `JOIN`, `UPDATE`, `INTO`…: CTEs, tables and views on the search path, schemas. */
  private async tableNames(scope: Scope) {
    const seen = new Set<string>();
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      for (const cte of s.ctes) {
        const name = canonicalName(this.engine, cte.name);
        if (seen.has(name)) continue;
        seen.add(name);
        this.add({ label: name, kind: 'cte', detail: 'CTE', rank: 0 });
      }
    }
    const [lists, schemas] = await Promise.all([Promise.all(this.searchPath.map((s) => this.reader.tables(s))), this.reader.schemas()]);
    lists.forEach((tables, i) => this.addTables(tables, this.searchPath[i]!, 1));
    this.addSchemas(schemas, 2);
  }

  /** `schema.` in a table position (PostgreSQL may write `db.schema.`). */
  private async qualifiedTables(parts: NamePart[]) {
    const schemaPart = parts[parts.length - 1];
    if (!schemaPart) return;
    const schema = await this.resolveSchema(schemaPart);
    if (schema === undefined) return;
    this.addTables(await this.reader.tables(schema), schema, 0, true);
  }

  /** `alias.`, `table.`, `schema.`, `schema.table.`. */
  private async members(state: CursorState, chain: NamePart[]) {
    const visible = this.visibleRefs(state.scope);
    if (chain.length === 1) {
      const part = chain[0]!;
      const ref = this.refNamed(visible.map((v) => v.ref), part);
      if (ref) {
        this.addColumns(await this.refColumns(ref, new Set()), 0, this.refLabel(ref));
        return;
      }
      const cte = this.findCte(state.scope, part);
      if (cte) {
        this.addColumns(await this.cteColumns(cte, new Set()), 0, canonicalName(this.engine, cte.name));
        return;
      }
      const [schema, table] = await Promise.all([this.resolveSchema(part, false), this.resolveTable([part])]);
      if (table) this.addColumns(await this.reader.columns(table.schema, table.table.name), 0, table.table.name);
      if (schema !== undefined) {
        this.addTables(await this.reader.tables(schema), schema, 1, true);
        const functions = await this.reader.functions(schema);
        for (const f of functions) this.add({ label: f.name, kind: 'function', detail: f.detail ?? 'function', rank: 3 });
      }
      return;
    }
    // Two or three parts: a schema-qualified table written out in full.
    const tableParts = chain.slice(-2);
    const ref = visible.map((v) => v.ref).find((r) => r.parts.length >= 2 && !r.alias && sameParts(this.engine, r.parts.slice(-2), tableParts));
    if (ref) {
      this.addColumns(await this.refColumns(ref, new Set()), 0, this.refLabel(ref));
      return;
    }
    const table = await this.resolveTable(tableParts);
    if (table) this.addColumns(await this.reader.columns(table.schema, table.table.name), 0, `${table.schema}.${table.table.name}`);
  }

  /** Inside `INSERT INTO t (…)`: t's columns not listed yet. */
  private async columnList(ref: TableRef, open: number, ci: number) {
    const close = Math.min(this.match[open] ?? this.tokens.length, this.tokens.length);
    const listed = new Set<string>();
    for (let k = open + 1; k < close; k++) {
      const t = this.tokens[k]!;
      if (k !== ci && (t.kind === 'word' || t.kind === 'quoted')) listed.add(canonicalName(this.engine, { value: t.value, quoted: t.kind === 'quoted' }).toLowerCase());
    }
    const columns = await this.refColumns(ref, new Set());
    this.addColumns(
      columns.filter((c) => !listed.has(c.name.toLowerCase())),
      0,
      this.refLabel(ref),
    );
  }

  /** `UPDATE t SET |`, `… SET a = 1, |`: the columns of the table being written. */
  private async assignment(scope: Scope) {
    const refs = this.visibleRefs(scope).filter((v) => v.depth === 0).map((v) => v.ref);
    const targets = refs.filter((r) => r.role === 'target' || r.role === 'insert-target');
    for (const ref of targets.length > 0 ? targets : refs) this.addColumns(await this.refColumns(ref, new Set()), 0, this.refLabel(ref));
  }

  /** Select lists, WHERE, ON, ORDER BY…: columns of every table in scope, the tables' names, functions, key words. */
  private async expression(state: CursorState) {
    const insertVisible = state.clause === 'set' || state.clause === 'upsert' || state.clause === 'returning';
    const visible = this.visibleRefs(state.scope).filter((v) => v.ref.role !== 'insert-target' || insertVisible);
    const columnLists = await Promise.all(visible.map((v) => this.refColumns(v.ref, new Set())));

    // A name found in two tables of the innermost query is written qualified.
    const counts = new Map<string, number>();
    visible.forEach((v, i) => {
      if (v.depth !== 0) return;
      for (const c of new Set(columnLists[i]!.map((c) => c.name))) counts.set(c, (counts.get(c) ?? 0) + 1);
    });
    visible.forEach((v, i) => {
      const qualifier = this.refQualifier(v.ref);
      // Twice in the innermost query, or an outer column hidden by an inner one of the same name.
      const ambiguous = (name: string) => qualifier !== undefined && (v.depth === 0 ? (counts.get(name) ?? 0) > 1 : counts.has(name));
      for (const c of columnLists[i]!) {
        const detail = c.type ? `${this.refLabel(v.ref)} · ${c.type}` : this.refLabel(v.ref);
        const candidate: Candidate = { label: c.name, kind: 'column', detail, rank: v.depth === 0 ? 0 : 1 };
        if (ambiguous(c.name) && !this.quote) candidate.raw = `${qualifier}.${formatIdentifier(this.engine, c.name)}`;
        this.add(candidate);
      }
    });

    for (const v of visible) {
      const qualifier = this.refQualifier(v.ref);
      if (qualifier === undefined) continue;
      const name = v.ref.alias ? v.ref.alias.value : v.ref.parts[v.ref.parts.length - 1]!.value;
      const kind: CompletionItemKind = v.ref.alias ? 'alias' : this.findCte(v.ref.scope, v.ref.parts[0]!) && v.ref.parts.length === 1 ? 'cte' : 'table';
      this.add({ label: v.ref.alias ? canonicalName(this.engine, v.ref.alias) : name, kind, detail: this.refLabel(v.ref), rank: 2 });
    }

    if (visible.length === 0 && state.clause === 'select') {
      // No FROM yet (`SELECT "Ord|`): the tables the user may be about to name.
      const [lists, schemas] = await Promise.all([Promise.all(this.searchPath.map((s) => this.reader.tables(s))), this.reader.schemas()]);
      lists.forEach((tables, i) => this.addTables(tables, this.searchPath[i]!, 3));
      this.addSchemas(schemas, 3);
    }

    if (!this.quote) {
      const words = engineWords(this.engine);
      for (const f of words.functions) this.add({ label: f, kind: 'function', detail: 'function', rank: 4, raw: f });
      const functions = await this.reader.functions(this.searchPath[0]!);
      for (const f of functions) this.add({ label: f.name, kind: 'function', detail: f.detail ?? 'function', rank: 4 });
      this.keywords(words.keywords);
    }
  }

  private types() {
    for (const t of engineWords(this.engine).types) this.add({ label: t, kind: 'keyword', detail: 'type', rank: 0, raw: t });
  }

  private keywords(list: readonly string[]) {
    if (this.quote) return;
    const upper = this.keywordUpper();
    for (const k of list) {
      const word = upper ? k.toUpperCase() : k.toLowerCase();
      this.add({ label: word, kind: 'keyword', rank: 5, raw: word });
    }
  }

  // ---- Names ----

  private addTables(tables: readonly CatalogTable[], schema: string, rank: number, qualified = false) {
    for (const t of tables) {
      const kindText = t.kind === 'materialized-view' ? 'materialized view' : t.kind;
      const detail = qualified || schema === this.searchPath[0] ? kindText : `${kindText} · ${schema}`;
      this.add({ label: t.name, kind: t.kind === 'table' ? 'table' : 'view', detail, rank });
    }
  }

  private addSchemas(schemas: readonly string[], rank: number) {
    const detail = this.engine === 'postgres' ? 'schema' : 'database';
    for (const s of schemas) this.add({ label: s, kind: 'schema', detail, rank });
  }

  private addColumns(columns: readonly Column[], rank: number, source: string) {
    for (const c of columns) this.add({ label: c.name, kind: 'column', detail: c.type ? `${source} · ${c.type}` : source, rank });
  }

  private add(candidate: Candidate) {
    this.candidates.push(candidate);
  }

  // ---- Resolving names against the statement and the catalog ----

  private visibleRefs(scope: Scope): { ref: TableRef; depth: number }[] {
    const out: { ref: TableRef; depth: number }[] = [];
    let depth = 0;
    for (let s: Scope | undefined = scope; s && depth < 64; s = s.outer, depth++) {
      for (const ref of s.refs) if (ref.parts.length > 0 || ref.subquery || ref.alias) out.push({ ref, depth });
    }
    return out;
  }

  /** The reference `part` names: its alias, or (without one) its table name; innermost first. */
  private refNamed(refs: readonly TableRef[], part: NamePart): TableRef | undefined {
    const byAlias = (r: TableRef) => (r.alias ? r.alias : r.parts[r.parts.length - 1]);
    const exact = refs.find((r) => {
      const n = byAlias(r);
      return n !== undefined && canonicalName(this.engine, n) === canonicalName(this.engine, part);
    });
    if (exact) return exact;
    const loose = refs.find((r) => {
      const n = byAlias(r);
      return n !== undefined && namesMatch(this.engine, part, canonicalName(this.engine, n));
    });
    if (loose) return loose;
    // `album.title` where the FROM says `album a`: PostgreSQL refuses it, but the user means album.
    return refs.find((r) => r.alias && r.parts.length > 0 && namesMatch(this.engine, part, canonicalName(this.engine, r.parts[r.parts.length - 1]!)));
  }

  /** How to qualify a column of `ref` in the text: its alias, else its table name. */
  private refQualifier(ref: TableRef): string | undefined {
    const name = ref.alias ?? ref.parts[ref.parts.length - 1];
    if (!name) return undefined;
    return name.quoted ? formatIdentifier(this.engine, name.value) : name.value;
  }

  private refLabel(ref: TableRef): string {
    const name = ref.subquery ? '(subquery)' : ref.parts.map((p) => p.value).join('.');
    return ref.alias ? `${name} ${ref.alias.value}` : name;
  }

  private findCte(scope: Scope, part: NamePart): CteDef | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = findByName(this.engine, s.ctes, part, (c) => canonicalName(this.engine, c.name));
      if (found) return found;
    }
    return undefined;
  }

  private async resolveSchema(part: NamePart, guess = true): Promise<string | undefined> {
    const schemas = await this.reader.schemas();
    const found = findByName(this.engine, schemas, part, (s) => s);
    if (found !== undefined) return found;
    return guess && schemas.length === 0 ? canonicalName(this.engine, part) : undefined;
  }

  private async resolveTable(parts: readonly NamePart[]): Promise<{ schema: string; table: CatalogTable } | undefined> {
    const name = parts[parts.length - 1];
    if (!name) return undefined;
    const schemaPart = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    const schemas = schemaPart ? [await this.resolveSchema(schemaPart)].filter((s): s is string => s !== undefined) : this.searchPath;
    const lists = await Promise.all(schemas.map((s) => this.reader.tables(s)));
    for (let i = 0; i < schemas.length; i++) {
      const table = findByName(this.engine, lists[i]!, name, (t) => t.name);
      if (table) return { schema: schemas[i]!, table };
    }
    return undefined;
  }

  /** The columns a reference gives its query. `visiting` stops a CTE that reads itself. */
  private async refColumns(ref: TableRef, visiting: Set<Scope>): Promise<Column[]> {
    let columns: Column[] = [];
    if (ref.subquery) columns = await this.deriveColumns(ref.subquery, visiting);
    else if (ref.func) columns = ref.alias && !ref.columnAliases ? [{ name: canonicalName(this.engine, ref.alias), type: '' }] : [];
    else if (ref.parts.length > 0) {
      const cte = ref.parts.length === 1 ? this.findCte(ref.scope, ref.parts[0]!) : undefined;
      if (cte) columns = await this.cteColumns(cte, visiting);
      else {
        const table = await this.resolveTable(ref.parts);
        if (table) columns = await this.reader.columns(table.schema, table.table.name);
      }
    }
    return rename(columns, ref.columnAliases);
  }

  private async cteColumns(cte: CteDef, visiting: Set<Scope>): Promise<Column[]> {
    const derived = cte.body ? await this.deriveColumns(cte.body, visiting) : [];
    return rename(derived, cte.columns);
  }

  /** The columns a query returns, read from its select list; `*` and `t.*` expanded from its FROM. */
  private async deriveColumns(scope: Scope, visiting: Set<Scope>): Promise<Column[]> {
    if (visiting.has(scope) || visiting.size > 32) return [];
    const inner = new Set(visiting).add(scope);
    const sources = scope.refs.filter((r) => r.role !== 'insert-target');
    const loaded = new Map<TableRef, Promise<Column[]>>();
    const columnsOf = (ref: TableRef) => {
      let p = loaded.get(ref);
      if (!p) loaded.set(ref, (p = this.refColumns(ref, inner)));
      return p;
    };
    const out: Column[] = [];
    for (const [from, to] of scope.selectItems) {
      const item = this.selectItem(from, to);
      if (item.star === 'all') {
        for (const ref of sources) out.push(...(await columnsOf(ref)));
      } else if (item.star) {
        const ref = this.refNamed(sources, item.star);
        if (ref) out.push(...(await columnsOf(ref)));
      } else if (item.name !== undefined) {
        let type = '';
        if (item.source) {
          const { qualifier, column } = item.source;
          const refs = qualifier ? [this.refNamed(sources, qualifier)].filter((r): r is TableRef => r !== undefined) : sources;
          for (const ref of refs) {
            const found = findByName(this.engine, await columnsOf(ref), column, (c) => c.name);
            if (found) {
              type = found.type;
              break;
            }
          }
        }
        out.push({ name: item.name, type });
      }
    }
    return out;
  }

  /** Reads one select-list item, tokens [from, to). */
  private selectItem(from: number, to: number): { star?: 'all' | NamePart; name?: string; source?: { qualifier?: NamePart; column: NamePart } } {
    const tokens = this.tokens;
    const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
    const part = (t: Token): NamePart => ({ value: t.value, quoted: t.kind === 'quoted' });
    const isDot = (t: Token | undefined) => t?.kind === 'punct' && t.value === '.';
    // Leading DISTINCT / ALL belong to the list, not the item.
    while (from < to && tokens[from]!.kind === 'word' && ['DISTINCT', 'ALL', 'DISTINCTROW', 'SQL_CALC_FOUND_ROWS', 'STRAIGHT_JOIN', 'HIGH_PRIORITY'].includes(tokens[from]!.upper)) {
      if (tokens[from]!.upper === 'DISTINCT' && tokens[from + 1]?.upper === 'ON' && tokens[from + 2]?.value === '(') {
        from = Math.min(this.match[from + 2]! + 1, to);
      } else from++;
    }
    const count = to - from;
    if (count <= 0) return {};
    const last = tokens[to - 1]!;
    if (count === 1 && last.kind === 'operator' && last.value === '*') return { star: 'all' };
    if (count === 3 && last.value === '*' && isDot(tokens[to - 2]) && isName(tokens[from])) return { star: part(tokens[from]!) };

    // A plain column reference: col, t.col, s.t.col.
    let simple = true;
    for (let k = from; k < to; k++) {
      const even = (k - from) % 2 === 0;
      if (even ? !isName(tokens[k]) : !isDot(tokens[k])) simple = false;
    }
    if (simple && count % 2 === 1) {
      const column = part(last);
      if (last.kind === 'word' && isReserved(this.engine, last.upper)) return {};
      const source = count >= 3 ? { qualifier: part(tokens[to - 3]!), column } : { column };
      return { name: canonicalName(this.engine, column), source };
    }

    if (isName(last) && count >= 2) {
      const before = tokens[to - 2]!;
      const aliasLike =
        (before.kind === 'word' && before.upper === 'AS') ||
        (before.kind === 'word' && !isReserved(this.engine, before.upper)) ||
        before.kind === 'quoted' ||
        before.kind === 'string' ||
        before.kind === 'number' ||
        (before.kind === 'punct' && (before.value === ')' || before.value === ']'));
      if (aliasLike && !(last.kind === 'word' && isReserved(this.engine, last.upper))) {
        // `expr AS name`, `expr name`; `col AS name` keeps col's type.
        const name = canonicalName(this.engine, part(last));
        const head = before.upper === 'AS' ? to - 2 : to - 1;
        const expr = head - from;
        if (expr === 1 && isName(tokens[from])) return { name, source: { column: part(tokens[from]!) } };
        if (expr === 3 && isName(tokens[from]) && isDot(tokens[from + 1]) && isName(tokens[from + 2])) {
          return { name, source: { qualifier: part(tokens[from]!), column: part(tokens[from + 2]!) } };
        }
        return { name };
      }
    }
    // An unnamed expression: PostgreSQL names a function call after the function; MySQL uses the text.
    if (this.engine === 'postgres') {
      const first = tokens[from]!;
      if (isName(first) && tokens[from + 1]?.value === '(' && this.match[from + 1] === to - 1) return { name: canonicalName(this.engine, part(first)) };
      return {};
    }
    const textOf = this.text.slice(tokens[from]!.start, last.end);
    return textOf.length <= 64 ? { name: textOf } : {};
  }

  // ---- Output ----

  private keywordUpper(): boolean {
    const mode = this.request.keywordCase ?? 'match';
    if (mode !== 'match') return mode === 'upper';
    if (/[a-z]/i.test(this.typed)) return this.typed !== this.typed.toLowerCase();
    const first = this.tokens.find((t) => t.kind === 'word');
    if (first && /[a-z]/i.test(first.value)) return first.value !== first.value.toLowerCase();
    return true;
  }

  private result(context: CompletionContext): CompletionResult {
    const typed = this.typed.toLowerCase();
    const quote = this.quote;
    const seen = new Set<string>();
    const scored: { item: CompletionItem; key: string }[] = [];
    for (const c of this.candidates) {
      const at = matchAt(c.label, typed);
      if (at < 0) continue;
      const insertText = c.raw ?? formatIdentifier(this.engine, c.label, quote);
      const dedupe = `${c.kind}\u0000${c.label}\u0000${insertText}\u0000${c.detail ?? ''}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const item: CompletionItem = { label: c.label, kind: c.kind, insertText };
      if (c.detail) item.detail = c.detail;
      item.filterText = quote ? quoteWith(c.label, quote) : c.label;
      const key = `${c.rank}${at === 0 ? 0 : 1}${String(scored.length).padStart(6, '0')}`;
      item.sortText = key;
      scored.push({ item, key });
    }
    scored.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const max = this.request.maxItems ?? 5000;
    const items = scored.slice(0, max).map((s) => s.item);
    const result: CompletionResult = { items, replaceFrom: this.replaceFrom, replaceTo: this.replaceTo, context };
    if (this.reader.incomplete || scored.length > max) result.incomplete = true;
    return result;
  }
}

/**
 * Where the typed text matches `label`, ignoring case: 0 at its start, 1 at the start of a later word part
 * (`id` in `album_id`, `Id` in `CustomerId`, `items` in `Order Items`), -1 nowhere.
 */
function matchAt(label: string, typed: string): number {
  if (typed === '') return 0;
  const lower = label.toLowerCase();
  if (lower.startsWith(typed)) return 0;
  for (let i = 1; i < label.length; i++) {
    const c = label[i]!;
    const p = label[i - 1]!;
    const boundary = p === '_' || p === ' ' || p === '.' || p === '-' || (c !== c.toLowerCase() && p === p.toLowerCase() && p !== p.toUpperCase());
    if (boundary && lower.startsWith(typed, i)) return 1;
  }
  return -1;
}

function rename(columns: Column[], names: readonly string[] | undefined): Column[] {
  if (!names || names.length === 0) return columns;
  const out = names.map((name, i) => ({ name, type: columns[i]?.type ?? '' }));
  return out.concat(columns.slice(names.length));
}

function sameParts(engine: Engine, a: readonly NamePart[], b: readonly NamePart[]): boolean {
  return a.length === b.length && a.every((p, i) => namesMatch(engine, b[i]!, canonicalName(engine, p)));
}
