import type { RequestListener } from 'node:http';
import { resolve } from 'node:path';
import type { HeraldConfig } from '../shared/config/schema.js';
import { trackingKeys } from '../shared/config/signing-keys.js';
import type { Logger } from '../shared/logger.js';
import { trackingApiKey } from '../shared/tracking-protocol/api-key.js';
import { HitLog } from './hit-log.js';
import { hitCounts, type HitCounts } from './metrics.js';
import { createRequestHandler } from './request-handler.js';
import { openUrlStore, type UrlStore } from './url-store.js';

/**
 * One instance as the tracking process serves it: its URL store and hit log in its own data folder
 * (its wfserver pulls its hits from there), its keys (a token verifies only with them), its API key
 * (its pushes and pulls reach only its store and log), and the hourly clean-up of both.
 */
export interface TrackingSite {
  readonly name: string;
  readonly store: UrlStore;
  readonly hits: HitLog;
  readonly counts: HitCounts;
  /** The instance's own request handler (click, open, API), rebuilt by `apply` with new keys and settings. */
  handler: RequestListener;
  apiKey: string;
  config: HeraldConfig;
  /** Applies new keys and settings to the next requests (folders change at the next start). */
  apply(config: HeraldConfig): void;
  maintain(): Promise<void>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

export interface SiteOptions {
  config: HeraldConfig;
  /** Folder the store and log folders are relative to (the instance's dataDir). */
  dataDir: string;
  log: Logger;
  clock: () => number;
  nextHitId: () => string;
}

export async function openTrackingSite({ config, dataDir, log, clock, nextHitId }: SiteOptions): Promise<TrackingSite> {
  const t = config.tracking;
  const store = await openUrlStore(resolve(dataDir, t.urlStoreDir), log);
  const hits = await HitLog.open({
    dir: resolve(dataDir, t.logDir),
    flushIntervalMs: t.flushIntervalMs,
    maxFileBytes: t.logFileMaxMb * 1024 * 1024,
    maxBufferedBytes: 64 * 1024 * 1024,
    log,
  });
  const counts = hitCounts();
  const handlerFor = (c: HeraldConfig) =>
    createRequestHandler({
      keys: trackingKeys(c.secrets),
      store,
      hits,
      log,
      apiKey: trackingApiKey(c.secrets),
      expirationUrl: c.tracking.expirationUrl,
      trustProxy: c.tracking.trustProxy,
      personCookie: c.tracking.personCookie,
      secureCookie: c.tracking.publicUrl.startsWith('https:'),
      clock,
      nextHitId,
      counts,
    });
  const site: TrackingSite = {
    name: config.instanceName,
    store,
    hits,
    counts,
    handler: handlerFor(config),
    apiKey: trackingApiKey(config.secrets),
    config,
    apply(next) {
      site.config = next;
      site.apiKey = trackingApiKey(next.secrets);
      site.handler = handlerFor(next);
    },
    async maintain() {
      const t = site.config.tracking;
      const purged = await store.purge(clock() - t.keepDefinitionsDays * DAY_MS);
      if (purged > 0) log.info('TRACKING_URLS_PURGED', { deliveries: purged });
      const files = await hits.purge(clock() - t.logRetentionDays * DAY_MS, clock() - t.unshippedRetentionDays * DAY_MS);
      if (files.removed > 0) log.info('TRACKING_HIT_LOGS_PURGED', { files: files.removed });
      if (files.unshippedKept > 0) log.warn('TRACKING_HIT_LOGS_NOT_SHIPPED', { files: files.unshippedKept });
      if (files.unshippedRemoved > 0) log.error('TRACKING_HIT_LOGS_LOST', { files: files.unshippedRemoved });
    },
    close: () => hits.close(),
  };
  await site.maintain();
  return site;
}
