// `npm start`: install what is missing, build what is stale, then open Cabinet: the desktop window where
// Electron's binary is installed, browser mode otherwise. `--web` / `--desktop` choose; other flags pass on.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** How many packages the lock file installs on this machine: those of another OS or CPU are skipped. */
function packagesToInstall() {
  const fits = (list, value) => !list || list.some((entry) => entry === value || (entry.startsWith('!') && entry.slice(1) !== value));
  const { packages } = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  return Object.entries(packages).filter(([path, p]) => path !== '' && !p.link && fits(p.os, process.platform) && fits(p.cpu, process.arch)).length;
}

/**
 * npm ci, saying how far it got as it goes: npm logs each request at the "http" level, first each package's
 * metadata, then its tarball; this counts both and prints a line per tenth of each (at most one a second),
 * and passes any other line on.
 */
async function installDependencies() {
  const total = packagesToInstall();
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  console.log(`Cabinet: installing ${total} packages (npm ci)…`);
  const child = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel', 'http'], {
    stdio: ['inherit', 'inherit', 'pipe'],
    shell: process.platform === 'win32',
  });
  const closed = new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`Cabinet: could not run npm (${error.message}).`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
  const phases = {
    metadata: { done: 0, shownTenth: 0, what: 'package descriptions read' },
    tarball: { done: 0, shownTenth: 0, what: 'packages downloaded' },
  };
  let shownAt = 0;
  for await (const line of createInterface({ input: child.stderr })) {
    if (!line.startsWith('npm http ')) {
      process.stderr.write(`${line}\n`);
      continue;
    }
    const phase = /\.tgz\b/.test(line) ? phases.tarball : phases.metadata;
    phase.done++;
    const tenth = Math.floor((10 * phase.done) / total);
    if (tenth > phase.shownTenth && Date.now() - shownAt >= 1000) {
      [phase.shownTenth, shownAt] = [tenth, Date.now()];
      console.log(`Cabinet: ${Math.min(phase.done, total)} of ${total} ${phase.what} (${seconds()})`);
    }
  }
  const code = await closed;
  if (code !== 0) {
    console.error(`Cabinet: npm ci failed after ${seconds()} (exit code ${code}).`);
    process.exit(code ?? 1);
  }
  console.log(`Cabinet: dependencies installed in ${seconds()}.`);
}

// 1. Install: npm ci when node_modules is missing or older than the lock file.
if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) await installDependencies();

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
