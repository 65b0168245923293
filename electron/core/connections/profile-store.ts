import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CabinetError } from '../../../shared/errors.ts';
import type { ProfileInput, SslMode } from '../../../shared/profiles.ts';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';

/** A profile as kept on disk: no password, only whether one is needed. */
export interface StoredProfile extends ProfileInput {
  id: string;
  passwordRequired: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ProfilesFile {
  version: 1;
  profiles: StoredProfile[];
}

const SSL_MODES: SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Checks what a renderer sent before it is written anywhere. */
export function validateProfileInput(input: ProfileInput): ProfileInput {
  const bad = (message: string) => new CabinetError({ code: 'BAD_INPUT', message });
  if (typeof input !== 'object' || input === null) throw bad('A profile is required.');
  if (input.engine !== 'postgres' && input.engine !== 'mysql') throw bad('Engine must be PostgreSQL or MySQL/MariaDB.');
  if (typeof input.host !== 'string' || input.host.trim() === '') throw bad('Host is required.');
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) throw bad('Port must be a number from 1 to 65535.');
  if (typeof input.user !== 'string') throw bad('User must be text.');
  if (typeof input.database !== 'string') throw bad('Database must be text.');
  if (!SSL_MODES.includes(input.sslMode)) throw bad(`SSL mode must be one of ${SSL_MODES.join(', ')}.`);
  const name = typeof input.name === 'string' && input.name.trim() !== '' ? input.name.trim() : `${input.user}@${input.host}${input.database ? `/${input.database}` : ''}`;
  const clean: ProfileInput = {
    name,
    engine: input.engine,
    host: input.host.trim(),
    port: input.port,
    user: input.user,
    database: input.database,
    sslMode: input.sslMode,
    options: Object.fromEntries(Object.entries(input.options ?? {}).filter(([k, v]) => typeof k === 'string' && typeof v === 'string')),
  };
  if (typeof input.color === 'string') clean.color = input.color;
  if (typeof input.readOnly === 'boolean') clean.readOnly = input.readOnly;
  return clean;
}

/** Saved connection profiles in `<dataDir>/profiles.json`, written atomically, one write at a time. */
export class ProfileStore {
  private readonly path: string;
  private cache: StoredProfile[] | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'profiles.json');
  }

  async list(): Promise<StoredProfile[]> {
    if (!this.cache) {
      const file = await readJsonFile<ProfilesFile>(this.path, { version: 1, profiles: [] });
      this.cache = Array.isArray(file.profiles) ? file.profiles : [];
    }
    return this.cache.map((p) => ({ ...p }));
  }

  async get(id: string): Promise<StoredProfile> {
    const found = (await this.list()).find((p) => p.id === id);
    if (!found) throw new CabinetError({ code: 'NOT_FOUND', message: 'That connection profile no longer exists.' });
    return found;
  }

  async save(id: string | undefined, input: ProfileInput, passwordRequired: boolean): Promise<StoredProfile> {
    return this.mutate((profiles) => {
      const now = new Date().toISOString();
      const clean = validateProfileInput(input);
      if (id) {
        const index = profiles.findIndex((p) => p.id === id);
        if (index < 0) throw new CabinetError({ code: 'NOT_FOUND', message: 'That connection profile no longer exists.' });
        const updated = { ...profiles[index]!, ...clean, id, passwordRequired, updatedAt: now };
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
      await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, profiles } satisfies ProfilesFile, null, 2)}\n`);
      this.cache = profiles;
      return result;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}
