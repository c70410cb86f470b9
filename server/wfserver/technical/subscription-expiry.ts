import { expireBatch, expiryConditions } from '../../db/repos/subscription-expiry.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/** Subscription expiry: ends subscriptions past their own expiry date or their service's validity (days). */
export async function runSubscriptionExpiry(ctx: TechnicalContext): Promise<Counts> {
  let expired = 0;
  for (const condition of await expiryConditions(ctx.now)) {
    for (let n = -1; n !== 0; ) {
      n = await expireBatch(ctx.db, condition, ctx.now, ctx.config.wfserver.cleanup.batchSize);
      expired += n;
    }
  }
  return { expired };
}
