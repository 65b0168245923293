/**
 * The browser-mode core's process: `scripts/start.mjs` (the child the bench spawned) starts it as its own
 * child (`node --import tsx electron/web/cli.ts …`). Found through /proc, read for its resident set size.
 */
import { readdirSync, readFileSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  const found = new Set<number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (child) found.add(Number(child));
      }
    } catch {
      // The thread ended while being read.
    }
  }
  return [...found];
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The descendant of `wrapperPid` that runs the browser-mode core, or the wrapper itself when it has none. */
export function corePid(wrapperPid: number): number {
  const queue = [wrapperPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (pid !== wrapperPid && commandLine(pid).includes('electron/web/cli')) return pid;
    queue.push(...childrenOf(pid));
  }
  throw new Error(`no process running electron/web/cli under ${wrapperPid}`);
}

/** VmRSS of a process, bytes (NaN once it is gone). */
export function rssBytes(pid: number): number {
  try {
    const line = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function describeProcess(pid: number): string {
  return `${pid} (${commandLine(pid).slice(0, 80).trim()})`;
}

/**
 * Waits until a process's RSS stops moving (four samples 500 ms apart within 4 MB of each other, at most
 * `timeoutMs`): the core warms the embedded demo database in the background after it starts.
 */
export async function settledRss(pid: number, timeoutMs = 20_000): Promise<number> {
  const samples: number[] = [];
  const until = performance.now() + timeoutMs;
  while (true) {
    samples.push(rssBytes(pid));
    const last = samples.slice(-4);
    if ((last.length === 4 && Math.max(...last) - Math.min(...last) < 4 * 1024 * 1024) || performance.now() > until) return samples.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
