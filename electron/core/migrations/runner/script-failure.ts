import { CabinetError } from '../../../../shared/errors.ts';
import type { PlannedStatement } from '../../../../shared/migrations.ts';
import { toCabinetError } from '../../drivers/errors.ts';
import type { ScriptFailed } from '../engines/postgres-script.ts';

/** One statement of a migration's script: the migration's own (`index` into its statements) or the runner's. */
export interface ScriptPart {
  kind: PlannedStatement['kind'];
  sql: string;
  copyData?: string;
  index?: number;
}

export interface LocatedFailure {
  partIndex: number;
  part: ScriptPart;
  /** The server's error, its position counted from the start of the failed statement (dropped for the runner's own). */
  cause: CabinetError;
  /** For a COPY whose data was refused: the data line the server names (1 = the line after the COPY). */
  copyLine?: number;
}

/**
 * Which statement of a script failed. A syntax error carries a position (the server parses the whole script
 * before it runs any of it, so nothing has completed yet); any other error comes after the statements the
 * server reported complete.
 */
export function locateFailure(parts: ScriptPart[], failed: ScriptFailed): LocatedFailure {
  const data = toCabinetError(failed.cause).toData();
  let partIndex = Math.min(failed.completed, parts.length - 1);
  // The server counts characters, not UTF-16 units.
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    starts.push(at);
    at += Array.from(part.sql).length + '\n;\n'.length;
  }
  if (data.position !== undefined) {
    const found = starts.findLastIndex((start) => start < data.position!);
    if (found >= 0) partIndex = found;
  }
  const part = parts[partIndex]!;
  if (data.position !== undefined) {
    if (part.kind === 'migration') data.position = Math.max(1, data.position - starts[partIndex]!);
    else delete data.position;
  }
  const located: LocatedFailure = { partIndex, part, cause: new CabinetError(data) };
  // The server says where in a COPY's data it stopped: "COPY customer, line 3, column id: ...".
  const where = (failed.cause as { where?: unknown }).where;
  const copyLine = part.copyData !== undefined && typeof where === 'string' ? /^COPY [^,]+, line (\d+)/m.exec(where)?.[1] : undefined;
  if (copyLine) located.copyLine = Number(copyLine);
  return located;
}
