import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { draftMethods } from '../../../shared/drafts.ts';
import type { Handlers } from '../router.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

/** `<dataDir>/drafts/<id>.sql`: each query tab's text as last typed, written atomically. */
export class DraftStore {
  private readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'drafts');
  }

  async load(id: string): Promise<string | null> {
    return readFile(this.fileOf(id), 'utf8').catch(() => null);
  }

  save(id: string, text: string): Promise<void> {
    return writeFileAtomic(this.fileOf(id), text);
  }

  async remove(id: string): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }

  /** The schema allows only letters, digits, _ and - in an id: the file stays in the folder. */
  private fileOf(id: string): string {
    return join(this.folder, `${id}.sql`);
  }
}

export function createDraftHandlers(drafts: DraftStore): Handlers<keyof typeof draftMethods> {
  return {
    'drafts/load': async ({ id }) => ({ text: await drafts.load(id) }),
    'drafts/save': async ({ id, text }) => {
      await drafts.save(id, text);
      return {};
    },
    'drafts/delete': async ({ id }) => {
      await drafts.remove(id);
      return {};
    },
  };
}
