/** `npm run bench`: every benchmark, one after the other, each printing its own ratios. */
import { runMigrationsBench } from './migrations.ts';
import { installPeers } from './peers.ts';

installPeers();
await runMigrationsBench();
