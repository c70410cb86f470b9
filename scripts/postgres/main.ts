// `node --import=tsx scripts/postgres/main.ts start|stop <dir> [--fast]`: a throw-away PostgreSQL
// cluster on 127.0.0.1 (see cluster.ts). `start` prints the herald role's connection URL.
import { startCluster, stopCluster } from './cluster.js';

const [command, dir, ...flags] = process.argv.slice(2);
if ((command !== 'start' && command !== 'stop') || !dir) {
  process.stderr.write('usage: scripts/postgres/main.ts start|stop <dir> [--fast]\n');
  process.exit(64);
}
try {
  if (command === 'start') process.stdout.write((await startCluster({ dir, fast: flags.includes('--fast') })).url + '\n');
  else stopCluster(dir);
} catch (err) {
  process.stderr.write(`postgres ${command}: ${(err as Error).message}\n`);
  process.exit(1);
}
