#!/usr/bin/env node
// The runner is TypeScript. It runs from a bundle that is rebuilt (esbuild, ~50 ms) whenever a source file is
// newer, so a clone needs no build step and an ordinary run starts without compiling anything.
import { cliBundle } from '../scripts/cli-bundle.mjs';

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { runCli } = await import(await cliBundle());
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
