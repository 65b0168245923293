import type { Direction, Migration, MigrationSection } from './migration-file.ts';
import { parseSections } from './migration-file.ts';

/**
 * The history keeps each section as it ran, headed by its marker, so its `transaction:false` survives
 * and a version can be reverted (or resumed) after its file is gone.
 */
export function storedSectionText(direction: Direction, section: MigrationSection | undefined): string | null {
  if (!section) return null;
  return `-- migrate:${direction}${section.transaction ? '' : ' transaction:false'}\n${section.sql}`;
}

export function sectionFromHistory(direction: Direction, version: string, text: string | null): MigrationSection | undefined {
  if (text === null) return undefined;
  return parseSections(`the ${direction} SQL of version ${version} kept in cabinet_migrations`, text, direction)[direction];
}

/** The section to run: the file's when it has one, else the one the history kept. */
export function sectionOf(
  direction: Direction,
  version: string,
  migration: Migration | undefined,
  stored: string | null | undefined,
): MigrationSection | undefined {
  return migration?.[direction] ?? sectionFromHistory(direction, version, stored ?? null);
}
