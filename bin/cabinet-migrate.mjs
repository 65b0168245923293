#!/usr/bin/env node
// The runner is TypeScript. It runs from a bundle that is rebuilt (esbuild, well under a second) whenever a
// source file is newer, so a clone needs no build step, and that is loaded with V8's code cache, so an
// ordinary run starts without compiling anything.
import { loadCli } from '../scripts/cli-bundle.mjs';

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// A write to a pipe blocks on Linux: the progress lines of a long run go out together, a tenth of a second
// apart at most, instead of one system call per migration.
let pending = '';
let flushTimer;
const flush = () => {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending !== '') process.stdout.write(pending);
  pending = '';
};
const stdout = (text) => {
  pending += text;
  flushTimer ??= setTimeout(flush, 100);
};

const argv = process.argv.slice(2);
const cli = await loadCli();
try {
  process.exitCode = await cli.runCli(argv, {
    stdout,
    stderr: (text) => {
      flush();
      process.stderr.write(text);
    },
    env: process.env,
    cwd: process.cwd(),
  });
} finally {
  flush();
}
cli.saveCodeCache(cli.touchesDatabase(argv));
