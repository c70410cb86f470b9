import { Counter, Gauge } from 'prom-client';
import { TRACKING_URL_TYPES, type TrackingUrlType } from '../shared/glossary.js';
import type { Registry } from '../shared/metrics/registry.js';
import type { HitLog } from './hit-log.js';
import type { UrlStore } from './url-store.js';

/** Hits logged per type: plain numbers the hot path increments (no label lookup per request), read at each scrape. */
export type HitCounts = Record<TrackingUrlType, number>;

export const hitCounts = (): HitCounts => ({ click: 0, open: 0, opt_out: 0, mirror: 0 });

/**
 * The tracking server's metrics: hits logged by type, hits dropped (disk failing, buffer full),
 * the hit log's backlog — bytes buffered in memory and bytes no ingest has read yet, with the time
 * an ingest last pulled (the "hit log not shipped" alert) — and the deliveries whose links it holds.
 */
export function registerTrackingMetrics(registry: Registry, counts: HitCounts, hits: HitLog, store: UrlStore): void {
  const gauge = (name: string, help: string, value: () => number | undefined | Promise<number | undefined>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const v = await value();
        if (v !== undefined) this.set(v);
      },
    });
  new Counter({
    name: 'herald_tracking_hits_total',
    help: 'Hits logged (clicks, opens, opt-outs, mirror page views), HEAD requests and refused tokens not counted.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const type of TRACKING_URL_TYPES) this.inc({ type }, counts[type]);
    },
  });
  new Counter({
    name: 'herald_tracking_hits_dropped_total',
    help: 'Hits answered but not logged because the hit log failed and its memory buffer was full.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(hits.status().dropped);
    },
  });
  gauge('herald_tracking_hit_log_healthy', '1 while hits are written to disk, 0 while the hit log is failing.', () => (hits.status().healthy ? 1 : 0));
  gauge('herald_tracking_hit_log_buffered_bytes', 'Hit bytes held in memory, not yet written to the hit log.', () => hits.status().bufferedBytes);
  let backlog: ReturnType<HitLog['backlog']> | undefined;
  const read = () => (backlog ??= hits.backlog().finally(() => setImmediate(() => (backlog = undefined))));
  gauge('herald_tracking_hit_log_unshipped_bytes', 'Hit log bytes no ingest has read yet (buffered ones included).', async () => (await read()).bytes);
  gauge('herald_tracking_hit_log_unshipped_files', 'Hit log files with hits no ingest has read yet.', async () => (await read()).files);
  gauge('herald_tracking_hit_log_last_pull_timestamp_seconds', 'When an ingest last pulled hits from this server (absent: not since it started).', async () => {
    const at = (await read()).lastPullMs;
    return at === undefined ? undefined : at / 1000;
  });
  gauge('herald_tracking_deliveries', 'Deliveries whose tracked URLs this server holds.', () => store.size());
}
