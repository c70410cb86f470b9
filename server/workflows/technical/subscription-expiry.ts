import { expireBatch, expiryConditions } from '../../db/repos/subscription-expiry.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/** SQL Server takes at most 1000 rows per INSERT … VALUES (each batch writes its history rows in one). */
const HISTORY_ROWS_PER_INSERT = 500;

/** Subscription expiry: ends subscriptions past their own expiry date or their service's validity (days). */
export async function runSubscriptionExpiry(ctx: TechnicalContext): Promise<Counts> {
  let expired = 0;
  for (const condition of await expiryConditions(ctx.db, ctx.now)) {
    for (let n = -1; n !== 0;) {
      n = await expireBatch(ctx.db, condition, ctx.now, Math.min(ctx.config.wfserver.cleanup.batchSize, HISTORY_ROWS_PER_INSERT));
      expired += n;
    }
  }
  return { expired };
}
