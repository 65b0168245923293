// `npm test`: typecheck (node side and web side apart), lint, unit, integration, end-to-end, in that order,
// then one closing line with the totals. Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

const stage = (name, command, args) => {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
};

// A stage that crashes before writing its report must not count the previous run's: delete it first.
const freshReport = (file) => {
  rmSync(file, { force: true });
  return file;
};

const vitestCounts = (file) => {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
};

const playwrightCounts = (file) => {
  if (!existsSync(file)) return;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
  skipped += stats.skipped ?? 0;
};

const finish = (ok) => {
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(ok && failed === 0 ? 0 : 1);
};

const only = process.argv[2];
const stages = [
  ['typecheck', () => stage('typecheck (node side)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) && stage('typecheck (web side)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']) && stage('typecheck (end-to-end tests)', 'npx', ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit'])],
  ['lint', () => stage('lint', 'npx', ['eslint', '--max-warnings', '0', '.'])],
  ['unit', () => {
    const report = freshReport(`${results}/unit.json`);
    const ok = stage('unit', 'npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    vitestCounts(report);
    return ok;
  }],
  ['integration', () => {
    const report = freshReport(`${results}/integration.json`);
    const ok = stage('integration', 'npx', ['vitest', 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    vitestCounts(report);
    return ok;
  }],
  ['e2e', () => {
    const report = freshReport(`${results}/e2e.json`); // where playwright.config.ts has its json reporter write
    if (!stage('build renderer', 'npx', ['vite', 'build', '--logLevel', 'warn'])) return false;
    const ok = stage('end-to-end', 'npx', ['playwright', 'test']);
    playwrightCounts(report);
    return ok;
  }],
];

for (const [name, run] of stages) {
  if (only && only !== name) continue;
  if (!run()) finish(false);
}
finish(true);
