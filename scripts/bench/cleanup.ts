import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import { silentLogger } from '../../server/shared/logger.js';
import { systemClock } from '../../server/workflows/clock.js';
import { Engine } from '../../server/workflows/engine.js';
import { workflowDeliveryLauncher } from '../../server/workflows/marketing/delivery-launcher.js';
import { benchInstance, peakRssMb, type BenchInstance } from './instance.js';

/**
 * `bench cleanup --rows N`: N expired rows (half broad logs, half tracking logs, past the default
 * retention) plus 5% recent rows that must stay, purged by the real cleanup workflow with the
 * shipped batch settings while another process inserts rows in a loop. max_lock_ms is the longest
 * time one of that writer's transactions took (waiting for the database included).
 */

const DAY = 86_400_000;
/** Sequelize's SQLite date format, for rows generated in SQL. */
const sqliteDate = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', ' +00:00');

// Test data is generated inside SQLite with a recursive CTE (millions of rows in seconds); this
// SQL is benchmark tooling, not product code.
async function seed(b: BenchInstance, table: 'broad_logs' | 'tracking_logs', from: number, count: number, at: Date): Promise<void> {
  const columns =
    table === 'broad_logs'
      ? "(delivery_id, recipient_id, address, email_format, status, attempts, created_at, updated_at) SELECT 1 + i % 50, i, 'user' || i || '@example.com', 'html', 'sent', 1, :at, :at"
      : "(hit_id, delivery_id, broad_log_id, recipient_id, url_id, url_type, logged_at, created_at) SELECT 'hit-' || i, 1 + i % 50, i, i, 1 + i % 5, 'click', :at, :at";
  for (let start = from; start < from + count; start += 250_000) {
    const end = Math.min(from + count, start + 250_000) - 1;
    const sql = `WITH RECURSIVE n(i) AS (SELECT :start UNION ALL SELECT i + 1 FROM n WHERE i < :end) INSERT INTO ${table} ${columns} FROM n`;
    await b.db.write((transaction) => b.db.sequelize.query(sql, { replacements: { start, end, at: sqliteDate(at) }, transaction }));
  }
}

function startWriter(siteFile: string): Promise<{ child: ChildProcessByStdio<Writable, Readable, null>; result: Promise<Record<string, number>> }> {
  const child = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'scripts/bench/cleanup-writer.ts')], {
    env: { ...process.env, HERALD_CONFIG: siteFile },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolveReady, reject) => {
    const result = new Promise<Record<string, number>>((resolve) => child.on('exit', () => resolve(JSON.parse(out.trim().split('\n').at(-1)!))));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.startsWith('ready\n')) {
        out = out.slice('ready\n'.length);
        resolveReady({ child, result });
      }
    });
    child.on('error', reject);
  });
}

export async function benchCleanup(options: { rows: number }): Promise<Record<string, number>> {
  const b = await benchInstance();
  try {
    const now = new Date();
    const half = Math.floor(options.rows / 2);
    const expired = new Date(now.getTime() - 200 * DAY);
    process.stderr.write(`seeding ${options.rows} expired rows…\n`);
    await seed(b, 'broad_logs', 1, half, expired);
    await seed(b, 'tracking_logs', 1, options.rows - half, expired);
    await seed(b, 'broad_logs', half + 1, Math.ceil(half / 20), now);
    await seed(b, 'tracking_logs', options.rows + 1, Math.ceil(half / 20), now);
    await b.db.sequelize.query('PRAGMA wal_checkpoint(TRUNCATE)');
    const writer = await startWriter(b.siteFile);
    const engine = new Engine({
      db: b.db,
      config: b.config,
      paths: instancePaths(b.config),
      log: silentLogger(),
      clock: systemClock,
      launcher: workflowDeliveryLauncher(b.db, b.config, silentLogger()),
    });
    await engine.syncTechnical();
    process.stderr.write('purging…\n');
    const t0 = performance.now();
    const outcome = await engine.runNow('cleanup');
    const seconds = (performance.now() - t0) / 1000;
    writer.child.stdin.end('stop\n');
    const writes = await writer.result;
    if (outcome.kind !== 'ran' || outcome.status !== 'succeeded') throw new Error(`cleanup did not succeed: ${JSON.stringify(outcome)}`);
    const rows = (outcome.counts.broadLogs ?? 0) + (outcome.counts.trackingLogs ?? 0);
    if (rows !== options.rows) throw new Error(`purged ${rows} rows, expected ${options.rows}`);
    return {
      rows,
      seconds: Math.round(seconds * 100) / 100,
      rows_per_s: Math.round(rows / seconds),
      max_lock_ms: writes.max_ms!,
      writer_writes: writes.writes!,
      writer_p99_ms: writes.p99_ms!,
      writer_p50_ms: writes.p50_ms!,
      peak_rss_mb: peakRssMb(),
    };
  } finally {
    await b.cleanup();
  }
}
