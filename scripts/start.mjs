// `npm start`: install what is missing, build what is stale, then open Cabinet: the desktop window where
// Electron's binary is installed, browser mode otherwise. `--web` / `--desktop` choose; other flags pass on.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-path.mjs';
import { mtime, newestMtime } from './file-times.mjs';

const args = process.argv.slice(2);
const take = (flag) => {
  const i = args.indexOf(flag);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const wantWeb = take('--web');
const wantDesktop = take('--desktop');
const skipBuild = take('--no-build');

const run = (command, commandArgs, env = process.env) => {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

// 1. Install: npm ci when node_modules is missing or older than the lock file.
if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) {
  console.log('Cabinet: installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. Choose the shell.
const binary = electronBinary();
let desktop = !wantWeb && Boolean(binary);
if (wantDesktop && !binary) {
  console.error("Electron's binary is not installed (its download could not be reached); run `npm run web` for browser mode.");
  process.exit(1);
}
if (!wantWeb && !binary) {
  console.log("Cabinet: no Electron binary on this machine (its download could not be reached), so starting browser mode instead.");
  desktop = false;
}

// 3. Build what is stale.
const rendererOut = 'dist/renderer/index.html';
if (!skipBuild && newestMtime(['renderer', 'shared']) > mtime(rendererOut)) {
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
}

// 4. Start.
let child;
if (desktop) {
  run('node', ['scripts/build-electron.mjs']);
  child = spawn(binary, ['.', ...args], { stdio: 'inherit' });
} else {
  child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/cli.ts', ...args], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
