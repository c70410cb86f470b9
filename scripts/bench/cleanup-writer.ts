// The "other writer" of the cleanup benchmark, in its own process: inserts one fresh tracking log
// row per write transaction in a loop against the same SQLite file, and measures how long each
// write took (waiting for the file lock included). On "stop" (stdin) it prints its figures as JSON.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../server/db/connect.js';

import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';

const { config } = loadConfig({});
const db = await openDatabase(config, instancePaths(config));
let stopping = false;
process.stdin.on('data', () => (stopping = true));
process.stdout.write('ready\n');
const waits: number[] = [];
for (let i = 0; !stopping; i++) {
  const t0 = performance.now();
  const now = new Date();
  await db.write((transaction) =>
    db.models.TrackingLog.create(
      { hitId: `writer-${process.pid}-${i}`, deliveryId: 1, broadLogId: null, recipientId: null, urlId: null, urlType: 'open', loggedAt: now, createdAt: now },
      { transaction },
    ),
  );
  waits.push(performance.now() - t0);
  await sleep(5);
}
await db.close();
waits.sort((a, b) => a - b);
const at = (q: number) => Math.round(waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0);
process.stdout.write(JSON.stringify({ writes: waits.length, max_ms: Math.round(waits.at(-1) ?? 0), p99_ms: at(0.99), p50_ms: at(0.5) }) + '\n');
