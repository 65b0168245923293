/**
 * SQL completion from the live schema, for the editor to adapt to its own types.
 *
 * Wiring (Monaco): for the statement under the cursor (from the statement splitter), call
 * `completeSql({ text: statementText, offset: cursorOffset - statementStart, engine, defaultSchema, catalog })`
 * with one `TreeSchemaCatalog` per connection and database (it caches the tree's `children` answers; call
 * `invalidate()` after DDL or a tree refresh). Map `replaceFrom`/`replaceTo` (offsets in the statement) to a
 * range, `insertText`, `filterText` and `sortText` to the item's fields, and set `incomplete` so the editor asks
 * again while the catalog is still loading. `completionTriggerCharacters` gives the characters that trigger it.
 */
export { completeSql, completionTriggerCharacters } from './complete.ts';
export type { CompletionContext, CompletionItem, CompletionItemKind, CompletionRequest, CompletionResult } from './complete.ts';
export { TreeSchemaCatalog } from './catalog.ts';
export type { CatalogColumn, CatalogFunction, CatalogTable, CatalogTableKind, ListChildren, SchemaCatalog, TreeSchemaCatalogOptions } from './catalog.ts';
export { formatIdentifier, needsQuoting } from './identifiers.ts';
export { tokenize } from './tokenizer.ts';
export type { Token, TokenKind, Tokenized, TokenizeOptions } from './tokenizer.ts';
