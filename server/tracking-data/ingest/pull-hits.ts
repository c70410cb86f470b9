import type { HeraldConfig } from '../../shared/config/schema.js';
import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { callTrackingServer } from '../api-client.js';

/** One page of a tracking server's hit log since a checkpoint (`GET /api/hits`). */
export interface PulledPage {
  next: string;
  more: boolean;
  hits: unknown[];
}

export async function pullHits(config: HeraldConfig, server: string, since: string): Promise<PulledPage> {
  const query = `?since=${encodeURIComponent(since)}&limit=${config.tracking.pullBatchSize}`;
  const body = (await callTrackingServer(config, server, `/api/hits${query}`)) as Partial<PulledPage> | null;
  if (!body || typeof body.next !== 'string' || body.next.length > 100 || typeof body.more !== 'boolean' || !Array.isArray(body.hits)) {
    throw new HeraldError('TRACKING_SERVER_UNAVAILABLE', `tracking server ${server}: unexpected answer to /api/hits`, { exitCode: EXIT.UNAVAILABLE });
  }
  return { next: body.next, more: body.more, hits: body.hits };
}
