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
import { dirname, join } from 'node:path';

export interface Download {
  file: string;
  /** The name offered to the browser. */
  fileName: string;
  contentType: string;
  /** Called once the whole file was sent: deletes it and forgets it. */
  served(): Promise<void>;
}

const waiting = new Map<string, Download>();

export function offerDownload(exportId: string, download: Omit<Download, 'served'>): void {
  waiting.set(exportId, {
    ...download,
    served: async () => {
      if (waiting.get(exportId)?.file !== download.file) return;
      waiting.delete(exportId);
      await removeDownloadFile(download.file);
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
  await removeDownloadFile(download.file);
}

/**
 * A private folder (mode 0700, under the system's temp folder) for one browser-mode export's file: nobody else
 * on the machine can read it, and removing the folder with the file leaves nothing behind.
 */
export async function downloadFile(exportId: string, extension: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'cabinet-export-'));
  return join(folder, `${exportId}.${extension}`);
}

/** Deletes a file made by downloadFile, with its folder. */
export async function removeDownloadFile(file: string): Promise<void> {
  await rm(dirname(file), { recursive: true, force: true }).catch(() => undefined);
}
