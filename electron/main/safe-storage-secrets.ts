import { safeStorage } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../core/connections/secret-store.ts';
import { writeFileAtomic } from '../core/storage/atomic-file.ts';

/**
 * Passwords encrypted with the OS keyring through Electron's safeStorage. Where the OS has no keyring
 * (Linux's `basic_text` backend), nothing is written: passwords are held for this run and asked for next time.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly canPersist: boolean;
  private readonly path: string;
  private readonly encrypted: Record<string, string>;
  private readonly session = new Map<string, string>();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json');
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
    this.canPersist = safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown';
    let stored: Record<string, string>;
    try {
      stored = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
    } catch {
      stored = {};
    }
    this.encrypted = this.canPersist ? stored : {};
  }

  get(profileId: string): string | undefined {
    const held = this.session.get(profileId);
    if (held !== undefined) return held;
    const blob = this.encrypted[profileId];
    if (blob === undefined) return undefined;
    try {
      const password = safeStorage.decryptString(Buffer.from(blob, 'base64'));
      this.session.set(profileId, password);
      return password;
    } catch {
      return undefined;
    }
  }

  isPersisted(profileId: string): boolean {
    return profileId in this.encrypted;
  }

  async remember(profileId: string, password: string, persist: boolean): Promise<void> {
    this.session.set(profileId, password);
    if (persist && this.canPersist) {
      this.encrypted[profileId] = safeStorage.encryptString(password).toString('base64');
      await this.flush();
    }
  }

  async forget(profileId: string): Promise<void> {
    this.session.delete(profileId);
    if (profileId in this.encrypted) {
      delete this.encrypted[profileId];
      await this.flush();
    }
  }

  private flush(): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify(this.encrypted));
  }
}
