/**
 * The peer tools the benchmarks measure Cabinet against (db-migrate, node-pg-migrate) are not Cabinet's
 * dependencies: they live in bench/peers/package.json with their own lock, and are installed on demand into
 * bench/peers/node_modules, the first time `npm run bench` runs and whenever that lock changes. There, only
 * their own bins find them: the bench's code keeps resolving pg and mysql2 (and @types/node) to the
 * project's, not to the copies the peers bring.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BENCH = join(import.meta.dirname, 'peers');
const PEERS = join(BENCH, 'node_modules');

const mtime = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** Runs `npm ci` in bench/peers when its node_modules is missing or older than its lock file. */
export function installPeers(): void {
  if (mtime(join(PEERS, '.package-lock.json')) >= mtime(join(BENCH, 'package-lock.json'))) return;
  console.log('Installing the peer tools to measure against (npm ci in bench/peers, once)...');
  const started = performance.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd: BENCH,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error(`npm ci in ${BENCH} failed (exit code ${result.status ?? result.signal}).`);
  console.log(`Installed in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

/** The script a peer package names as its command in its package.json "bin", run with node as its own bin would. */
export function peerBin(pkg: string, command = pkg): string {
  const manifest = JSON.parse(readFileSync(join(PEERS, pkg, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[command];
  if (!bin) throw new Error(`${pkg} declares no "${command}" command.`);
  return join(PEERS, pkg, bin);
}
