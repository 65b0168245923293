// Bundles Electron's main process (ESM) and preload (CommonJS, as a sandboxed preload must be).
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };

await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist-electron/main.js', format: 'esm' });
await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist-electron/preload.cjs', format: 'cjs' });
// Files the core reads beside its code at run time.
mkdirSync('dist-electron', { recursive: true });
cpSync('electron/core/demo/chinook.sql', 'dist-electron/chinook.sql');
cpSync('electron/core/demo/chinook-pgdata.tar.gz', 'dist-electron/chinook-pgdata.tar.gz');
cpSync('migrations-samples/postgres', 'dist-electron/demo-migrations', { recursive: true });
console.log('Built dist-electron/main.js and dist-electron/preload.cjs');
