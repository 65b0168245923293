import { createHash } from 'node:crypto';
import { CabinetError } from '../../../../shared/errors.ts';
import type { Engine } from '../../../../shared/profiles.ts';
import { splitStatements, type SqlStatement } from '../../../../shared/sql-split.ts';

export type Direction = 'up' | 'down';

export interface MigrationSection {
  /** The SQL as it runs: no BOM, LF line ends. */
  sql: string;
  /** The file it comes from, relative to the migrations folder. */
  file: string;
  /** 1-based line in the file where the section's SQL starts. */
  firstLine: number;
  /** PostgreSQL runs the section in one transaction unless its marker says `transaction:false`. */
  transaction: boolean;
}

export interface Migration {
  /** The numeric prefix as written (`20251123120000`, `0007`). */
  version: string;
  /** The rest of the file name: the slug, which may be renamed freely. */
  name: string;
  files: string[];
  up: MigrationSection;
  /** Absent when the file has no `-- migrate:down` section and no `.down.sql` partner. */
  down?: MigrationSection;
  /** sha256 of the normalised up section. */
  checksum: string;
  /** In another tool's layout, the checksum that tool records for the file (Prisma: sha256 of the file as it is). */
  toolChecksum?: string;
}

/** `Layout`: `both` is one file with both sections; `up`/`down` is one of a `.up.sql`/`.down.sql` pair. */
export type FilePart = 'both' | Direction;

export interface MigrationFileName {
  version: string;
  name: string;
  part: FilePart;
}

const FILE_NAME = /^(\d+)(?:[_-](.*?))?(?:\.(up|down))?\.sql$/i;
const MARKER = /^--\s*migrate:(up|down)\b(.*)$/;

/** `20251123120000_create_users.up.sql` → version, slug and part; null for a file that is not a migration. */
export function parseMigrationFileName(fileName: string): MigrationFileName | null {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  const part = (match[3]?.toLowerCase() as Direction | undefined) ?? 'both';
  return { version: match[1]!, name: match[2] ?? '', part };
}

/** Versions compare by number, so `7`, `007` and `0007` are the same version. */
export function versionKey(version: string): string {
  return BigInt(version).toString();
}

export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** What a checksum covers: line ends and trailing blanks never count as a change. */
function normalizeSql(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(normalizeSql(sql)).digest('hex');
}

/**
 * Reads the sections of one file. A `both` file needs `-- migrate:up` (and usually `-- migrate:down`);
 * a `.up.sql`/`.down.sql` file is one section, optionally headed by its own marker for its options.
 */
export function parseSections(file: string, text: string, part: FilePart): Partial<Record<Direction, MigrationSection>> {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = clean.split('\n');
  const markers = lines.flatMap((line, index) => {
    const match = MARKER.exec(line.trim());
    return match ? [{ index, direction: match[1] as Direction, options: match[2]! }] : [];
  });
  if (part !== 'both' && markers.length === 0) {
    return { [part]: { sql: clean, file, firstLine: 1, transaction: true } };
  }
  const fail = (line: number, message: string) =>
    new CabinetError({ code: 'MIGRATION_ERROR', message: `${file}, line ${line}: ${message}` });
  if (part === 'both' && !markers.some((m) => m.direction === 'up')) {
    throw fail(1, 'no "-- migrate:up" line: a migration file needs an up section (and a "-- migrate:down" one to be revertible).');
  }
  const firstMarker = markers[0]?.index ?? lines.length;
  const sqlBefore = lines.slice(0, firstMarker).findIndex((line) => line.trim() !== '' && !line.trim().startsWith('--'));
  if (sqlBefore >= 0) throw fail(sqlBefore + 1, `SQL before the first "-- migrate:" marker; it would belong to no section.`);

  const sections: Partial<Record<Direction, MigrationSection>> = {};
  markers.forEach((marker, n) => {
    const line = marker.index + 1;
    if (part !== 'both' && marker.direction !== part) {
      throw fail(line, `"-- migrate:${marker.direction}" in a .${part}.sql file; each file of a pair holds its own section.`);
    }
    if (sections[marker.direction]) throw fail(line, `a second "-- migrate:${marker.direction}" section.`);
    const end = markers[n + 1]?.index ?? lines.length;
    sections[marker.direction] = {
      sql: lines.slice(marker.index + 1, end).join('\n'),
      file,
      firstLine: line + 1,
      transaction: parseMarkerOptions(marker.options, (message) => fail(line, message)),
    };
  });
  return sections;
}

function parseMarkerOptions(options: string, fail: (message: string) => Error): boolean {
  let transaction = true;
  for (const option of options.trim().split(/\s+/).filter(Boolean)) {
    const match = /^transaction:(true|false)$/i.exec(option);
    if (!match) throw fail(`unknown option "${option}"; the one option is transaction:false.`);
    transaction = match[1]!.toLowerCase() === 'true';
  }
  return transaction;
}

/** The section's statements; an unterminated quote or `$$` is an error naming the file and line. */
export function sectionStatements(section: MigrationSection, engine: Engine): SqlStatement[] {
  return splitStatements(section.sql, { engine, file: section.file, firstLine: section.firstLine });
}
