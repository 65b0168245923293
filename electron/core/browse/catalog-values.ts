import type { CellValue } from '../../../shared/values.ts';

/** Catalog answers arrive as exact text (see shared/values.ts); these read them back as what they are. */
export const text = (value: CellValue | undefined): string => (typeof value === 'string' ? value : '');
export const textOrNull = (value: CellValue | undefined): string | null => (typeof value === 'string' ? value : null);
export const number = (value: CellValue | undefined): number => (typeof value === 'string' ? Number(value) : Number.NaN);
/** PostgreSQL booleans read `true`/`false`; MySQL's are `1`/`0`. */
export const flag = (value: CellValue | undefined): boolean => value === 'true' || value === '1';

/** A JSON array of strings built by the server (`json_agg`, `JSON_ARRAYAGG`), or [] for NULL. */
export function stringList(value: CellValue | undefined): string[] {
  if (typeof value !== 'string') return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
