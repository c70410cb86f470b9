import type { Delivery } from '../../db/models/index.js';
import type { DeliveryDeps } from '../../delivery/analyse.js';
import { publishBeforeStart } from '../../tracking-data/publish/publish-urls.js';
import { createBackground, type Background } from './background.js';
import type { ConsoleDeps } from './deps.js';
import { createLiveStreams, type LiveStreams } from './live-streams.js';
import { ThroughputMeter } from './throughput.js';

/**
 * What the delivery, report and monitoring pages share beyond the console's own dependencies: the
 * delivery module's dependencies (no DKIM keys: the web module never reads them, so previews are
 * unsigned), background analyses, live dashboard streams, the throughput meter, and the hook run
 * before a delivery or a proof starts (its tracked links are pushed to every tracking server).
 */
export interface DeliveryTools {
  delivery: DeliveryDeps;
  background: Background;
  live: LiveStreams;
  throughput: ThroughputMeter;
  beforeStart(d: Delivery): Promise<void>;
}

export function createDeliveryTools(deps: Pick<ConsoleDeps, 'db' | 'config' | 'log'>): DeliveryTools {
  const { db, config, log } = deps;
  return {
    delivery: { db, config, log, dkim: [] },
    background: createBackground(),
    live: createLiveStreams((err) => log.error('WEB_LIVE_STREAM_FAILED', { err })),
    throughput: new ThroughputMeter(),
    beforeStart: publishBeforeStart(db, config, log),
  };
}
