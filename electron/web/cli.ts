/** `cabinet web`: the workbench in a browser, served on 127.0.0.1 with a per-run token. */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PORT_MAX } from '../../shared/profiles.ts';
import { MemorySecretStore } from '../core/connections/secret-store.ts';
import { createCore } from '../core/core.ts';
import { defaultDataDir } from '../core/data-dir.ts';
import { surviveStrayErrors } from '../core/process-guard.ts';
import { startWebServer } from './web-server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: npm run web -- [--port N] [--data-dir DIR]\nServes Cabinet on 127.0.0.1 only; open the printed address.');
  process.exit(0);
}

const port = Number(values.port);
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

try {
  const server = await startWebServer({ core, staticDir, port });
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
