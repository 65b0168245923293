/** `cabinet web`: the workbench in a browser, served on 127.0.0.1 with a per-run token. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PORT_MAX, portSchema } from '../../shared/profiles.ts';
import { writeFileAtomic } from '../core/storage/atomic-file.ts';
import { MemorySecretStore } from '../core/connections/secret-store.ts';
import { createCore } from '../core/core.ts';
import { defaultDataDir } from '../core/data-dir.ts';
import { surviveStrayErrors } from '../core/process-guard.ts';
import { startWebServer } from './web-server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'Usage: npm run web -- [--port N] [--data-dir DIR]\nServes Cabinet on 127.0.0.1 only; open the printed address.\n' +
      'Without --port it uses the port of the last run when that is free (a bookmark keeps working), else any free port; --port 0 always picks a free one.',
  );
  process.exit(0);
}

const port = Number(values.port ?? 0);
if (!Number.isInteger(port) || port < 0 || port > PORT_MAX) {
  console.error(`--port must be a number from 0 (any free port) to ${PORT_MAX}, not "${values.port}".`);
  process.exit(2);
}

const dataDir = values['data-dir'] ?? defaultDataDir();
const log = (line: string) => console.error(`[cabinet] ${line}`);
surviveStrayErrors(log);
const core = createCore({
  mode: 'browser',
  dataDir,
  // Browser mode never writes a password to disk: they live in this process's memory only.
  secrets: new MemorySecretStore(),
  log,
});
const staticDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** Where the last run listened: used again when free, so a bookmarked address (with a fresh token) still works. */
const remembered = join(dataDir, 'web-port.json');
const lastPort = async (): Promise<number | undefined> => {
  try {
    const parsed = z.strictObject({ port: portSchema }).safeParse(JSON.parse(await readFile(remembered, 'utf8')));
    return parsed.success ? parsed.data.port : undefined;
  } catch {
    return undefined;
  }
};

const listen = async () => {
  if (values.port !== undefined) return startWebServer({ core, staticDir, port });
  const previous = await lastPort();
  if (previous !== undefined) {
    try {
      return await startWebServer({ core, staticDir, port: previous });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      log(`port ${previous} of the last run is taken now; using another one`);
    }
  }
  return startWebServer({ core, staticDir, port: 0 });
};

try {
  const server = await listen();
  if (values.port === undefined) await writeFileAtomic(remembered, `${JSON.stringify({ port: server.port })}\n`).catch(() => undefined);
  console.log(`Cabinet is running in browser mode (data: ${dataDir}). Open:`);
  console.log(server.url);
  const stop = async () => {
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === 'EADDRINUSE' ? `Port ${port} is already in use; pick another with --port.` : String(error));
  await core.close();
  process.exit(1);
}
