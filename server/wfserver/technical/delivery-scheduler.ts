import { cancelPendingMessages, expiredDeliveries, finishExpiredDelivery, startDueDeliveries } from '../../db/repos/delivery-schedule.js';
import type { Counts } from '../runner.js';
import { batchOptions, type TechnicalContext } from './context.js';

/**
 * Delivery scheduling: starts scheduled deliveries whose contact date has come, and ends those
 * past their validity (Adobe §2.1 step 7): Pending messages → Cancelled, delivery → Finished with
 * its end at the validity end. A stopped delivery keeps its state; its pending messages are cancelled.
 */
export async function runDeliveryScheduler(ctx: TechnicalContext): Promise<Counts> {
  const counts: Counts = { started: await startDueDeliveries(ctx.db, ctx.now), expired: 0, cancelledMessages: 0 };
  for (const delivery of await expiredDeliveries(ctx.now)) {
    const { cancelled, stillPending } = await cancelPendingMessages(ctx.db, delivery.id, ctx.now, batchOptions(ctx));
    counts.cancelledMessages! += cancelled;
    if (stillPending > 0 || delivery.state === 'stopped') continue;
    if (await finishExpiredDelivery(ctx.db, delivery, ctx.now)) {
      counts.expired!++;
      ctx.log.info('WF_DELIVERY_EXPIRED', { deliveryId: delivery.id, validityEnd: delivery.validityEnd, cancelled });
    }
  }
  return counts;
}
