import type { Database } from '../../db/connect.js';
import { staleDeliveryIds } from '../../db/repos/tracking-indicators.js';
import { readCheckpoint } from '../../db/repos/tracking-logs.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { describeError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { trackingServers } from '../api-client.js';
import { parseCheckpoint } from '../../shared/tracking-protocol/checkpoint.js';
import { consolidateDelivery } from './consolidate.js';
import { pullHits } from './pull-hits.js';
import { storeHits } from './store-hits.js';

/**
 * The tracking job of the workflow server (Adobe's Tracking workflow), also `herald tracking
 * ingest`: pull every tracking server's new hits page by page (each page stored with its checkpoint
 * in one transaction), then recompute the indicators of every delivery that got hits (in this run,
 * or in an earlier one that failed before consolidating). A server that cannot be reached, or a
 * database that fails, stops that server's pull; the next run resumes at its checkpoint, since the
 * tracking servers keep their logs.
 */
export interface IngestSummary {
  servers: number;
  failedServers: string[];
  pulled: number;
  inserted: number;
  duplicates: number;
  invalid: number;
  deliveries: number[];
  ms: number;
}

/** Pages pulled per server in one run, so a run stays bounded (the next run goes on). */
const MAX_PAGES_PER_RUN = 1000;
/** How far back a run looks for deliveries whose consolidation an earlier run did not finish. */
const STALE_LOOKBACK_MS = 7 * 86_400_000;

export async function runTrackingIngest(db: Database, config: HeraldConfig, now: Date, options: { log?: Logger } = {}): Promise<IngestSummary> {
  const started = Date.now();
  const summary: IngestSummary = { servers: 0, failedServers: [], pulled: 0, inserted: 0, duplicates: 0, invalid: 0, deliveries: [], ms: 0 };
  const touched = new Set<number>();
  for (const server of trackingServers(config)) {
    summary.servers += 1;
    try {
      await pullServer(db, config, server, now, summary, touched, options.log);
    } catch (err) {
      summary.failedServers.push(server);
      options.log?.error('TRACKING_INGEST_SERVER_FAILED', { server, err: describeError(err) });
    }
  }
  for (const deliveryId of await staleDeliveryIds(db, new Date(now.getTime() - STALE_LOOKBACK_MS))) touched.add(deliveryId);
  for (const deliveryId of [...touched].sort((a, b) => a - b)) {
    await consolidateDelivery(db, deliveryId, now, { openDedupSeconds: config.tracking.openDedupSeconds });
    summary.deliveries.push(deliveryId);
  }
  summary.ms = Date.now() - started;
  const { deliveries, failedServers, ...counts } = summary;
  options.log?.info('TRACKING_INGEST_FINISHED', { ...counts, deliveries: deliveries.length, failedServers: failedServers.length });
  return summary;
}

async function pullServer(
  db: Database,
  config: HeraldConfig,
  server: string,
  now: Date,
  summary: IngestSummary,
  touched: Set<number>,
  log?: Logger,
): Promise<void> {
  let since = (await readCheckpoint(db, server)) ?? '';
  for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
    const pulled = await pullHits(config, server, since);
    if (since && parseCheckpoint(pulled.next)?.epoch !== parseCheckpoint(since)?.epoch) log?.warn('TRACKING_CHECKPOINT_RESET', { server });
    if (pulled.hits.length === 0 && pulled.next === since) return;
    const stored = await storeHits(db, server, pulled.hits, pulled.next, now);
    summary.pulled += pulled.hits.length;
    summary.inserted += stored.inserted;
    summary.duplicates += stored.duplicates;
    summary.invalid += stored.invalid;
    for (const id of stored.deliveries) touched.add(id);
    since = pulled.next;
    if (!pulled.more) return;
  }
}
