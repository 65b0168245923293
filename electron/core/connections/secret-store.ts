/**
 * Where passwords live. Never in plain text on disk: the desktop app supplies a store backed by
 * Electron's safeStorage; browser mode (and a desktop without an OS keyring) keeps them in memory only.
 */
export interface SecretStore {
  /** True when `remember(..., persist: true)` survives a restart (an OS keyring is there). */
  readonly canPersist: boolean;
  get(profileId: string): string | undefined;
  /** Whether the stored password for this profile survives a restart. */
  isPersisted(profileId: string): boolean;
  remember(profileId: string, password: string, persist: boolean): Promise<void>;
  forget(profileId: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly canPersist = false;
  private readonly secrets = new Map<string, string>();

  get(profileId: string): string | undefined {
    return this.secrets.get(profileId);
  }

  isPersisted(): boolean {
    return false;
  }

  async remember(profileId: string, password: string): Promise<void> {
    this.secrets.set(profileId, password);
  }

  async forget(profileId: string): Promise<void> {
    this.secrets.delete(profileId);
  }
}
