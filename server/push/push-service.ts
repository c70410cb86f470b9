import { hostname } from 'node:os';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { releaseLeases } from '../db/repos/mta-queue.js';
import { renewLeasesOf } from '../delivery/leased-deliveries.js';
import { loadCompiledDelivery } from '../delivery/sending.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import type { ReloadResult } from '../shared/run-process.js';
import { PushSender } from './push-sender.js';
import { webPushClient, type PushSend } from './web-push-client.js';

/**
 * Wires the push module: its lease owner (leases left by a killed run are freed at once), the
 * web-push client, the send loop, and the renewal of the leases of the batch in flight.
 */

export interface PushService {
  stop(): Promise<void>;
  status(): Record<string, unknown>;
  reload(config: HeraldConfig): ReloadResult;
}

export const PUSH_RELOADABLE = ['quarantine'] as const;

export async function startPushService(
  db: Database,
  config: HeraldConfig,
  log: Logger,
  options: { clock?: () => Date; send?: PushSend } = {},
): Promise<PushService> {
  const clock = options.clock ?? (() => new Date());
  const send = options.send ?? webPushClient(config);
  const owner = `push-${config.instanceName}-${hostname()}`.slice(0, 60);
  const released = await releaseLeases(db, owner);
  if (released > 0) log.info('PUSH_LEASES_RELEASED', { count: released, owner });
  let policy = quarantinePolicy(config.quarantine);
  const sender = new PushSender({
    db,
    log,
    owner,
    send,
    compile: (id) => loadCompiledDelivery({ db, config, dkim: [] }, id),
    clock,
    policy: () => policy,
    options: config.push,
  });
  sender.start();
  const stopRenewal = renewLeasesOf(db, owner, () => sender.leasedIds(), { leaseSeconds: config.push.leaseSeconds, clock, log, errorEvent: 'PUSH_LOOP_ERROR' });
  return {
    async stop() {
      stopRenewal();
      await sender.stop();
      await releaseLeases(db, owner);
    },
    status: () => ({ owner, ...sender.status() }),
    reload(next) {
      policy = quarantinePolicy(next.quarantine);
      return { applied: [...PUSH_RELOADABLE] };
    },
  };
}
