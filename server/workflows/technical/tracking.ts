import { runTrackingIngest } from '../../tracking-data/ingest/run-ingest.js';
import { HeraldError } from '../../shared/errors.js';
import type { TechnicalJob } from './context.js';

/**
 * The Tracking workflow (Adobe's `tracking`): pull the hits of every tracking server, store each once
 * and recompute the touched deliveries' indicators. A server that could not be reached fails the run
 * (journaled with its name) after the others were ingested; the next run picks up from its checkpoint.
 */
export const runTracking: TechnicalJob = async ({ db, config, now, log }) => {
  const s = await runTrackingIngest(db, config, now, { log });
  const counts = { servers: s.servers, pulled: s.pulled, inserted: s.inserted, duplicates: s.duplicates, invalid: s.invalid, deliveries: s.deliveries.length };
  if (s.failedServers.length > 0)
    throw new HeraldError(
      'TRACKING_SERVERS_UNREACHABLE',
      `tracking servers not reached: ${s.failedServers.join(', ')} (others ingested: ${JSON.stringify(counts)})`,
    );
  return counts;
};
