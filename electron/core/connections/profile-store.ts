import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describeIssues } from '../../../shared/contract.ts';
import { CabinetError } from '../../../shared/errors.ts';
import { profilesFileSchema, storedProfileSchema, type ProfileInput, type StoredProfile } from '../../../shared/profiles.ts';
import { readCheckedJson, writeFileAtomic } from '../storage/atomic-file.ts';

/** A profile's name when none is typed: `user@host/database`. */
function defaultName(input: ProfileInput): string {
  return `${input.user}@${input.host}${input.database ? `/${input.database}` : ''}`;
}

/** Every profile the file holds that passes the schema; each one that does not is a problem to report. */
function checkProfilesFile(raw: unknown): { value: StoredProfile[]; problems: string[] } {
  const file = profilesFileSchema.safeParse(raw);
  if (!file.success) return { value: [], problems: [describeIssues(file.error, 'its layout')] };
  const value: StoredProfile[] = [];
  const problems: string[] = [];
  file.data.profiles.forEach((entry, index) => {
    // Before 0.2 profiles kept a map of URL options nobody read; it is dropped.
    if (typeof entry === 'object' && entry !== null && 'options' in entry) delete (entry as { options?: unknown }).options;
    const profile = storedProfileSchema.safeParse(entry);
    if (profile.success) value.push(profile.data);
    else problems.push(describeIssues(profile.error, `profile ${index + 1}`));
  });
  return { value, problems };
}

/**
 * Saved connection profiles in `<dataDir>/profiles.json`, written atomically, one write at a time. The file is
 * read through the contract's schema: a damaged one is set aside (see readCheckedJson), never trusted.
 */
export class ProfileStore {
  private readonly path: string;
  private loading: Promise<StoredProfile[]> | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  /** What the user should be told about the file, once it has been read. */
  readonly notices: string[] = [];

  constructor(dataDir: string) {
    this.path = join(dataDir, 'profiles.json');
  }

  async list(): Promise<StoredProfile[]> {
    this.loading ??= readCheckedJson(this.path, [], checkProfilesFile).then(({ value, notice }) => {
      if (notice) this.notices.push(notice);
      return value;
    });
    return (await this.loading).map((p) => ({ ...p }));
  }

  async get(id: string): Promise<StoredProfile> {
    const found = (await this.list()).find((p) => p.id === id);
    if (!found) throw new CabinetError({ code: 'NOT_FOUND', message: 'That connection profile no longer exists.' });
    return found;
  }

  /** `input` was checked by the contract's schema at the router; only the name is filled in here. */
  async save(id: string | undefined, input: ProfileInput, passwordRequired: boolean): Promise<StoredProfile> {
    return this.mutate((profiles) => {
      const now = new Date().toISOString();
      const clean: ProfileInput = { ...input, name: input.name.trim() || defaultName(input) };
      if (id) {
        const index = profiles.findIndex((p) => p.id === id);
        if (index < 0) throw new CabinetError({ code: 'NOT_FOUND', message: 'That connection profile no longer exists.' });
        const previous = profiles[index]!;
        const updated: StoredProfile = { ...clean, id, passwordRequired, createdAt: previous.createdAt, updatedAt: now };
        profiles[index] = updated;
        return updated;
      }
      const created: StoredProfile = { ...clean, id: randomUUID(), passwordRequired, createdAt: now, updatedAt: now };
      profiles.push(created);
      return created;
    });
  }

  async remove(id: string): Promise<void> {
    await this.mutate((profiles) => {
      const index = profiles.findIndex((p) => p.id === id);
      if (index >= 0) profiles.splice(index, 1);
    });
  }

  private async mutate<T>(change: (profiles: StoredProfile[]) => T): Promise<T> {
    const run = this.writes.then(async () => {
      const profiles = await this.list();
      const result = change(profiles);
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
      this.loading = Promise.resolve(profiles);
      return result;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}
