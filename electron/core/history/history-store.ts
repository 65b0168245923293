import { randomUUID } from 'node:crypto';
import { appendFile, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry } from '../../../shared/history.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

/** What history keeps of one statement: a 5 MB script is kept as its beginning. */
const MAX_SQL = 64 * 1024;
/** Entries kept; the file is compacted to this many when it grows to twice as many. */
const KEEP = 10_000;

/**
 * `<dataDir>/history.jsonl`: one JSON line per statement run, appended as it ends. Lines that do not read (a
 * crash mid-write) are skipped; the rest are kept.
 */
export class HistoryStore {
  private readonly path: string;
  private entries: HistoryEntry[] | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'history.jsonl');
  }

  record(entry: Omit<HistoryEntry, 'id' | 'truncated'>): Promise<void> {
    const full: HistoryEntry = { ...entry, id: randomUUID() };
    if (full.sql.length > MAX_SQL) {
      full.sql = full.sql.slice(0, MAX_SQL);
      full.truncated = true;
    }
    const run = this.writes.then(async () => {
      const entries = await this.load();
      entries.push(full);
      if (entries.length >= KEEP * 2) {
        entries.splice(0, entries.length - KEEP);
        await writeFileAtomic(`${this.path}.new`, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
        await rename(`${this.path}.new`, this.path);
      } else {
        await appendFile(this.path, JSON.stringify(full) + '\n', { mode: 0o600 });
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Newest first; `text` matches the SQL, the connection or the database, case-insensitively. */
  async search(text = '', profileId?: string, limit = 200): Promise<HistoryEntry[]> {
    await this.writes;
    const needle = text.trim().toLowerCase();
    const found: HistoryEntry[] = [];
    const entries = await this.load();
    for (let i = entries.length - 1; i >= 0 && found.length < limit; i--) {
      const e = entries[i]!;
      if (profileId && e.profileId !== profileId) continue;
      if (needle && !`${e.sql}\n${e.connectionName}\n${e.database}`.toLowerCase().includes(needle)) continue;
      found.push(e);
    }
    return found;
  }

  async clear(): Promise<void> {
    const run = this.writes.then(async () => {
      this.entries = [];
      await writeFileAtomic(this.path, '');
    });
    this.writes = run.catch(() => undefined);
    await run;
  }

  private async load(): Promise<HistoryEntry[]> {
    if (this.entries) return this.entries;
    const text = await readFile(this.path, 'utf8').catch(() => '');
    this.entries = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as HistoryEntry;
        if (typeof entry?.sql === 'string' && typeof entry.at === 'string') this.entries.push(entry);
      } catch {
        // A line cut short by a crash.
      }
    }
    return this.entries;
  }
}
