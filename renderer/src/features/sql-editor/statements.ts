import type { Engine } from '../../../../shared/profiles.ts';
import { splitStatements } from '../../../../shared/sql-split.ts';
import type { RunStatement } from './queriesSlice.ts';

/**
 * What Run takes from the editor: a selection runs only the selection (split into its statements);
 * otherwise the statement under the cursor (Ctrl+Enter), or the whole script (Ctrl+Shift+Enter).
 * The splitting is the migration runner's: dollar quotes, E'' strings, nested comments, DELIMITER, # comments.
 */
export function statementsToRun(
  text: string,
  engine: Engine,
  what: { selection?: { start: number; end: number }; cursor: number; all: boolean },
): RunStatement[] {
  if (what.selection && what.selection.end > what.selection.start) {
    const { start } = what.selection;
    return splitStatements(text.slice(start, what.selection.end), { engine }).map((s) => ({ sql: s.sql, start: start + s.start, end: start + s.end }));
  }
  const all = splitStatements(text, { engine }).map((s) => ({ sql: s.sql, start: s.start, end: s.end }));
  if (what.all) return all;
  const under = statementAt(all, what.cursor);
  return under ? [under] : [];
}

/** The statement the cursor is in, or the nearest one before it (a cursor after the `;` of a line). */
export function statementAt(statements: RunStatement[], cursor: number): RunStatement | undefined {
  let found: RunStatement | undefined;
  for (const statement of statements) {
    if (statement.start <= cursor) found = statement;
    if (cursor <= statement.end) break;
  }
  return found ?? statements[0];
}
