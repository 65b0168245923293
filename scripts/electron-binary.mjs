// postinstall: fetch Electron's binary where its download can be reached; carry on without it where it cannot.
// npm's allowScripts keeps electron's own install script from running, so this is the one place it is tried.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { electronBinary } from './electron-path.mjs';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  process.exit(0);
}
if (electronBinary()) process.exit(0);
if (!existsSync('node_modules/electron/install.js')) process.exit(0);
const result = spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'ignore', timeout: 120_000 });
if (result.status !== 0 || !electronBinary()) {
  console.log("Cabinet: Electron's download could not be reached, so the desktop shell is unavailable here; `npm start` will use browser mode.");
}
