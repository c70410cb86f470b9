import { resolve } from 'node:path';
import type { HeraldConfig } from '../shared/config/schema.js';
import { trackingKeys } from '../shared/config/signing-keys.js';
import { listenHttp } from '../shared/http-server.js';
import type { Logger } from '../shared/logger.js';
import type { ReloadResult } from '../shared/run-process.js';
import { trackingApiKey } from '../shared/tracking-protocol/api-key.js';
import { hitIds } from '../shared/tracking-protocol/hit.js';
import type { Registry } from '../shared/metrics/registry.js';
import { HitLog } from './hit-log.js';
import { hitCounts, registerTrackingMetrics } from './metrics.js';
import { createRequestHandler } from './request-handler.js';
import { answerClientError } from './responses.js';
import { openUrlStore } from './url-store.js';

/**
 * One tracking server: URL store, hit log, HTTP listener and an hourly clean-up of expired
 * definitions and old hit logs. Its whole state is the shared key, the pushed definitions and its
 * own hit log, so any number of them can run behind a load balancer.
 */
export interface TrackingServer {
  readonly port: number;
  status(): Record<string, unknown>;
  /** Applies new settings and keys to the next requests, connections kept (a reload); returns the keys applied. */
  reload(config: HeraldConfig): ReloadResult;
  stop(): Promise<void>;
}

/** Config keys a running tracking server applies on reload; host, port and folders at its next start. */
export const TRACKING_RELOADABLE = [
  'secrets.trackingKey',
  'secrets.previousTrackingKey',
  'secrets.trackingApiKey',
  'tracking.expirationUrl',
  'tracking.trustProxy',
  'tracking.personCookie',
  'tracking.publicUrl',
  'tracking.keepDefinitionsDays',
  'tracking.logRetentionDays',
  'tracking.unshippedRetentionDays',
];

export interface TrackingServerOptions {
  config: HeraldConfig;
  /** Folder the store and log folders are relative to (the instance's dataDir). */
  dataDir: string;
  log: Logger;
  clock?: () => number;
  /** Where the tracking metrics go (the module's registry). */
  registry?: Registry;
}

const DAY_MS = 86_400_000;
const MAINTENANCE_MS = 3_600_000;

export async function startTrackingServer({ config, dataDir, log, clock = Date.now, registry }: TrackingServerOptions): Promise<TrackingServer> {
  let current = config;
  const t = config.tracking;
  const store = await openUrlStore(resolve(dataDir, t.urlStoreDir), log);
  const hits = await HitLog.open({
    dir: resolve(dataDir, t.logDir),
    flushIntervalMs: t.flushIntervalMs,
    maxFileBytes: t.logFileMaxMb * 1024 * 1024,
    maxBufferedBytes: 64 * 1024 * 1024,
    log,
  });
  const maintain = async () => {
    const t = current.tracking;
    const purged = await store.purge(clock() - t.keepDefinitionsDays * DAY_MS);
    if (purged > 0) log.info('TRACKING_URLS_PURGED', { deliveries: purged });
    const files = await hits.purge(clock() - t.logRetentionDays * DAY_MS, clock() - t.unshippedRetentionDays * DAY_MS);
    if (files.removed > 0) log.info('TRACKING_HIT_LOGS_PURGED', { files: files.removed });
    if (files.unshippedKept > 0) log.warn('TRACKING_HIT_LOGS_NOT_SHIPPED', { files: files.unshippedKept });
    if (files.unshippedRemoved > 0) log.error('TRACKING_HIT_LOGS_LOST', { files: files.unshippedRemoved });
  };
  await maintain();
  const nextHitId = hitIds();
  const counts = hitCounts();
  if (registry) registerTrackingMetrics(registry, counts, hits, store);
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
  const http = await listenHttp(handlerFor(config), t.host, t.port);
  http.server.on('clientError', answerClientError);
  const timer = setInterval(() => void maintain().catch((err: unknown) => log.error('TRACKING_MAINTENANCE_FAILED', { err })), MAINTENANCE_MS);
  timer.unref();
  log.info('TRACKING_LISTENING', { host: t.host, port: http.port, deliveries: store.size() });
  return {
    port: http.port,
    status: () => ({ port: http.port, deliveries: store.size(), ...hits.status() }),
    reload(next) {
      current = next;
      http.setHandler(handlerFor(next));
      return { applied: TRACKING_RELOADABLE };
    },
    async stop() {
      clearInterval(timer);
      await http.close();
      await hits.close();
    },
  };
}
