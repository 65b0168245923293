/**
 * Monaco's completion for query tabs: the statement under the cursor goes to the completion engine, which
 * reads the live schema through a catalog per connection and database (cached; loaded lazily, so typing never
 * waits on it).
 */
import type * as MonacoApi from 'monaco-editor/esm/vs/editor/editor.api.js';
import type { Engine } from '../../../../shared/profiles.ts';
import { splitStatements } from '../../../../shared/sql-split.ts';
import { call } from '../../api/client.ts';
import { completeSql, completionTriggerCharacters, TreeSchemaCatalog, type CompletionItemKind } from './completion/index.ts';
import type { Monaco } from './monaco.ts';

export interface CompletionTarget {
  engine: Engine;
  connectionId: string;
  /** The session's database: PostgreSQL reads one database's catalog; MySQL's default database. */
  database: string;
}

/** Which connection a model (a query tab's text) completes against. */
const targets = new Map<string, CompletionTarget>();
const catalogs = new Map<string, TreeSchemaCatalog>();

export function setCompletionTarget(model: MonacoApi.editor.ITextModel, target: CompletionTarget): void {
  targets.set(model.uri.toString(), target);
}

function catalogFor(target: CompletionTarget): TreeSchemaCatalog {
  const key = `${target.connectionId}:${target.database}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = new TreeSchemaCatalog({
      engine: target.engine,
      database: target.database,
      listChildren: async (path) => (await call('schema/children', { connectionId: target.connectionId, path })).nodes,
    });
    catalogs.set(key, catalog);
  }
  return catalog;
}

/** The statement the offset is in; while the text does not split (an open quote being typed), all of it. */
function statementAround(text: string, offset: number, engine: Engine): { start: number; text: string } {
  try {
    const statements = splitStatements(text, { engine });
    let start = 0;
    let end = text.length;
    for (const s of statements) {
      if (s.start > offset) {
        end = s.start;
        break;
      }
      start = s.start;
    }
    return { start, text: text.slice(start, end) };
  } catch {
    return { start: 0, text };
  }
}

let registered = false;

export function registerCompletion(monaco: Monaco): void {
  if (registered) return;
  registered = true;
  const kinds: Record<CompletionItemKind, MonacoApi.languages.CompletionItemKind> = {
    keyword: monaco.languages.CompletionItemKind.Keyword,
    schema: monaco.languages.CompletionItemKind.Module,
    table: monaco.languages.CompletionItemKind.Struct,
    view: monaco.languages.CompletionItemKind.Interface,
    column: monaco.languages.CompletionItemKind.Field,
    function: monaco.languages.CompletionItemKind.Function,
    alias: monaco.languages.CompletionItemKind.Variable,
    cte: monaco.languages.CompletionItemKind.Class,
  };
  for (const [language, engine] of [
    ['pgsql', 'postgres'],
    ['mysql', 'mysql'],
  ] as const) {
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: completionTriggerCharacters(engine),
      async provideCompletionItems(model, position) {
        const target = targets.get(model.uri.toString());
        if (!target) return { suggestions: [] };
        const text = model.getValue();
        const offset = model.getOffsetAt(position);
        const statement = statementAround(text, offset, target.engine);
        const result = await completeSql({
          text: statement.text,
          offset: offset - statement.start,
          engine: target.engine,
          defaultSchema: target.engine === 'postgres' ? 'public' : target.database,
          catalog: catalogFor(target),
          timeoutMs: 800,
        });
        const from = model.getPositionAt(statement.start + result.replaceFrom);
        const to = model.getPositionAt(statement.start + result.replaceTo);
        const range = new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column);
        return {
          incomplete: result.incomplete === true,
          suggestions: result.items.map((item) => ({
            label: item.label,
            kind: kinds[item.kind],
            insertText: item.insertText,
            range,
            ...(item.detail ? { detail: item.detail } : {}),
            ...(item.sortText ? { sortText: item.sortText } : {}),
            ...(item.filterText ? { filterText: item.filterText } : {}),
          })),
        };
      },
    });
  }
}
