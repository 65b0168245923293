import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CabinetError } from '../../../shared/errors.ts';
import type { SavedQuery } from '../../../shared/history.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

/** Saved queries are plain `.sql` files in `<dataDir>/queries`, a folder a person can open, back up or share. */
export class SavedQueries {
  readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'queries');
  }

  async list(): Promise<SavedQuery[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const queries = await Promise.all(
      names
        .filter((n) => n.endsWith('.sql'))
        .map(async (file) => {
          const path = join(this.folder, file);
          const info = await stat(path).catch(() => undefined);
          return info?.isFile() ? { name: file.slice(0, -4), path, modifiedAt: info.mtime.toISOString() } : undefined;
        }),
    );
    return queries.filter((q): q is SavedQuery => q !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<string> {
    try {
      return await readFile(this.fileOf(name), 'utf8');
    } catch {
      throw new CabinetError({ code: 'NOT_FOUND', message: `There is no saved query named "${name}".` });
    }
  }

  async save(name: string, text: string): Promise<SavedQuery> {
    await mkdir(this.folder, { recursive: true });
    const path = this.fileOf(name);
    await writeFileAtomic(path, text, 0o644);
    return { name, path, modifiedAt: new Date().toISOString() };
  }

  async remove(name: string): Promise<void> {
    await rm(this.fileOf(name), { force: true });
  }

  /** The schema allows no slashes or leading dots, so the file stays inside the folder. */
  private fileOf(name: string): string {
    return join(this.folder, `${name}.sql`);
  }
}
