/**
 * `npm run bench`: every benchmark, one after the other, each printing its own figures and ratios.
 * `npm run bench -- migrations export` runs only the ones named.
 */
import { runEditsBench } from './edits.ts';
import { runExportBench } from './export.ts';
import { runMigrationsBench } from './migrations.ts';
import { installPeers } from './peers.ts';
import { runResultOriginBench } from './result-origin.ts';
import { runSqlEditorBench } from './sql-editor.ts';
import { runTableBrowsingBench } from './table-browsing.ts';

const benches: Record<string, () => Promise<void>> = {
  migrations: async () => {
    installPeers();
    await runMigrationsBench();
  },
  'table-browsing': runTableBrowsingBench,
  'sql-editor': runSqlEditorBench,
  export: async () => {
    await runExportBench();
  },
  edits: async () => {
    await runEditsBench();
  },
  'result-origin': runResultOriginBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`Unknown bench ${unknown.join(', ')}: choose from ${Object.keys(benches).join(', ')}.`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n##### ${name}`);
  await run();
}
