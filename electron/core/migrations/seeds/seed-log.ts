import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SeedLogEntry } from '../../../../shared/migrations.ts';
import { ENGINES } from '../../../../shared/profiles.ts';

/** The newest entries a read returns. */
const READ_LIMIT = 1000;

const entrySchema = z.object({
  at: z.string(),
  profileId: z.string(),
  connectionName: z.string(),
  engine: z.enum(ENGINES),
  host: z.string(),
  port: z.number(),
  database: z.string(),
  file: z.string(),
  result: z.enum(['ok', 'failed']),
  statementsDone: z.number(),
  statementsTotal: z.number(),
  executionMs: z.number(),
  error: z.string().optional(),
  failedStatement: z.string().optional(),
  rolledBack: z.boolean().optional(),
}) satisfies z.ZodType<SeedLogEntry>;

/**
 * `<dataDir>/seed-log.jsonl`: one JSON line per seed run, appended when it ends, whatever its result.
 *
 * Why a file in the app's data folder, not a table in the seeded database: a failed PostgreSQL seed rolls back
 * its transaction, which would take a log row written in it along; a row written after it would put a table the
 * user never asked for into their database (and fail on a read-only connection); and a person resetting a
 * development database still wants to see what they ran on it. Lines that do not read (a crash mid-write) are
 * skipped.
 */
export class SeedLog {
  private readonly path: string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'seed-log.jsonl');
  }

  append(entry: SeedLogEntry): Promise<void> {
    const write = this.writes.then(() => appendFile(this.path, JSON.stringify(entry) + '\n', { mode: 0o600 }));
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Newest first; only one profile's runs when one is named. */
  async read(profileId?: string): Promise<SeedLogEntry[]> {
    await this.writes;
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const entries: SeedLogEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0 && entries.length < READ_LIMIT; i--) {
      const entry = parseLine(lines[i]!);
      if (entry && (profileId === undefined || entry.profileId === profileId)) entries.push(entry);
    }
    return entries;
  }
}

function parseLine(line: string): SeedLogEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const checked = entrySchema.safeParse(JSON.parse(line));
    return checked.success ? checked.data : undefined;
  } catch {
    return undefined;
  }
}
