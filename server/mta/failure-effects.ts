import type { Database } from '../db/connect.js';
import { recordFailuresIn } from '../bounce/record-failures.js';
import { DELIVERED_RELEASES, type QuarantinePolicy } from '../bounce/quarantine-policy.js';
import { releaseDelivered } from '../db/repos/quarantines.js';
import type { OutcomeEffects } from './outcome-writer.js';

/**
 * Synchronous bounces get the same effects as asynchronous ones (server/bounce): the normalized
 * reply text is counted in bounce_texts, the broad log gets type, reason and text, and the address
 * moves through the quarantine policy (hard: quarantine now; soft: with errors, counted once a day)
 * — except after a connection failure, where the address was never tried. A delivered message
 * makes an address "with errors" valid again.
 */
export function failureEffects(db: Database, policy: QuarantinePolicy): OutcomeEffects {
  return {
    apply: async (failures, now, transaction) => {
      await recordFailuresIn(
        db,
        failures.map((f) => ({
          broadLogId: f.broadLogId,
          deliveryId: f.deliveryId,
          address: f.address,
          type: f.type,
          reason: f.reason,
          rule: f.rule,
          qualified: f.qualified,
          text: f.text,
          markFailed: false,
          ...(f.connection ? { quarantine: false } : {}),
        })),
        now,
        policy,
        transaction,
      );
    },
    delivered: async (addresses, now, transaction) => {
      await releaseDelivered(db, addresses, DELIVERED_RELEASES, now, transaction);
    },
  };
}
