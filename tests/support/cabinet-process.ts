/**
 * Browser mode as a separate process, the way a user runs it: started with a fresh data folder, read until
 * it prints its address, stopped with SIGTERM (SIGKILL after 10 s). Used by the end-to-end fixtures (through
 * `npm start`'s script) and by integration tests that must see the real process survive what they send.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const URL_LINE = /^(http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))\s*$/m;

export interface CabinetProcess {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Arguments after `node`; the data folder and the port are added. */
  args: string[];
  /** The process's working folder; the repository unless given. */
  cwd?: string;
  /** A data folder to use (kept after stop); a fresh temporary one otherwise (removed after stop). */
  dataDir?: string;
  /** 'remembered' passes no --port, as a user does: the last run's port when free. Any free port otherwise. */
  port?: 'any' | 'remembered';
}

export async function startCabinetProcess(options: StartOptions): Promise<CabinetProcess> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cabinet-data-'));
  const port = options.port === 'remembered' ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [...options.args, ...port, '--data-dir', dataDir], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CABINET_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cabinet printed no address within 30 s:\n${output}`)), 30_000);
    const check = () => {
      const found = URL_LINE.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Cabinet exited (code ${code}) before printing its address:\n${output}`));
    });
  });
  return {
    url: match[1]!,
    port: Number(match[2]),
    token: match[3]!,
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
        if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
      }
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
