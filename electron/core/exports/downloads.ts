/**
 * Finished browser-mode exports waiting to be fetched, by export id. The browser-mode web server serves them
 * at `/downloads/<exportId>` (behind its token, Host and Origin checks); the id, a random UUID only its
 * client was told, names exactly one file. A file is deleted once it was downloaded whole, or when its export
 * is forgotten (its client went away).
 *
 * Process-wide on purpose: the web server holds the core only through its public interface, and an export's
 * id is unique across cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Download {
  file: string;
  /** The name offered to the browser. */
  fileName: string;
  contentType: string;
  /** Called once the whole file was sent: deletes it and forgets it. */
  served(): Promise<void>;
}

const waiting = new Map<string, Download>();

export function offerDownload(exportId: string, download: Omit<Download, 'served'>, onServed: () => void): void {
  waiting.set(exportId, {
    ...download,
    served: async () => {
      if (waiting.get(exportId)?.file !== download.file) return;
      waiting.delete(exportId);
      onServed();
      await rm(download.file, { force: true }).catch(() => undefined);
    },
  });
}

export function findDownload(exportId: string): Download | undefined {
  return waiting.get(exportId);
}

/** Drops a waiting download and deletes its file (its client went away, or the export was cancelled). */
export async function withdrawDownload(exportId: string): Promise<void> {
  const download = waiting.get(exportId);
  if (!download) return;
  waiting.delete(exportId);
  await rm(download.file, { force: true }).catch(() => undefined);
}

let folder: Promise<string> | undefined;

/** A private folder (mode 0700, under the system's temp folder) for browser-mode export files, made on first use. */
export function downloadFolder(): Promise<string> {
  folder ??= mkdtemp(join(tmpdir(), 'cabinet-downloads-'));
  folder.catch(() => (folder = undefined));
  return folder;
}
