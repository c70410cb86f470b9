import type { Database } from '../../db/connect.js';
import { deliveryUrlDefinition, liveTrackedDeliveryIds } from '../../db/repos/tracking-urls.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { describeError, HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Logger } from '../../shared/logger.js';
import { callTrackingServer, trackingServers } from '../api-client.js';

/**
 * Pushes a delivery's URL definitions (tracking_urls and its resources validity) to every
 * configured tracking server, which then serves its links without the database. Called when a
 * delivery is analysed or started; run again at any time (a push replaces the previous one).
 * Throws TRACKING_PUBLISH_FAILED, after trying every server, when any of them did not take it: a
 * server without the definitions would answer that delivery's clicks with 404.
 */
export interface PublishResult {
  deliveryId: number;
  urls: number;
  servers: string[];
}

export async function publishDeliveryUrls(db: Database, config: HeraldConfig, deliveryId: number, options: { log?: Logger } = {}): Promise<PublishResult> {
  const definition = await deliveryUrlDefinition(db, deliveryId);
  if (!definition) throw new HeraldError('DELIVERY_NOT_FOUND', `no delivery ${deliveryId}`, { exitCode: EXIT.DATA, status: 404 });
  const servers = trackingServers(config);
  const outcomes = await Promise.allSettled(servers.map((server) => callTrackingServer(config, server, '/api/urls', { method: 'POST', body: definition })));
  const failures = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ server: servers[i]!, err: describeError(outcome.reason) }] : []));
  for (const failure of failures) options.log?.error('TRACKING_PUBLISH_FAILED', { deliveryId, ...failure });
  if (failures.length > 0) {
    throw new HeraldError('TRACKING_PUBLISH_FAILED', `the URL definitions of delivery ${deliveryId} did not reach ${failures.map((f) => f.err).join('; ')}`, {
      exitCode: EXIT.UNAVAILABLE,
      status: 502,
    });
  }
  options.log?.info('TRACKING_PUBLISHED', { deliveryId, urls: definition.urls.length, servers: servers.length });
  return { deliveryId, urls: definition.urls.length, servers };
}

/** Pushes every delivery whose links may still be clicked (e.g. to a tracking server just added). */
export async function publishLiveDeliveries(db: Database, config: HeraldConfig, now: Date, options: { log?: Logger } = {}): Promise<PublishResult[]> {
  const results: PublishResult[] = [];
  for (const deliveryId of await liveTrackedDeliveryIds(db, now)) results.push(await publishDeliveryUrls(db, config, deliveryId, options));
  return results;
}

/**
 * The hook every start path runs (console, API, CLI) before a delivery or a proof starts: its tracked
 * links are pushed to every tracking server, so no click can reach a server that does not know them.
 * A delivery without tracked links needs no tracking server.
 */
export function publishBeforeStart(db: Database, config: HeraldConfig, log?: Logger): (delivery: { id: number }) => Promise<void> {
  return async (delivery) => {
    if ((await deliveryUrlDefinition(db, delivery.id))?.urls.length) await publishDeliveryUrls(db, config, delivery.id, { log });
  };
}
