import type { Database } from '../db/connect.js';
import { recordFailuresIn } from '../bounce/record-failures.js';
import type { QuarantinePolicy } from '../bounce/quarantine-policy.js';
import type { FailureEffects } from './outcome-writer.js';

/**
 * Synchronous bounces get the same effects as asynchronous ones (server/bounce): the normalized
 * reply text is counted in bounce_texts, the broad log gets type, reason and text, and the address
 * moves through the quarantine policy (hard: quarantine now; soft: with errors, counted once a day).
 */
export function failureEffects(db: Database, policy: QuarantinePolicy): FailureEffects {
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
        })),
        now,
        policy,
        transaction,
      );
    },
  };
}
