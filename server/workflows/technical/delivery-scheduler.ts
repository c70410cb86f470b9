import { cancelPendingMessages, dueScheduledDeliveries, expiredDeliveries } from '../../db/repos/delivery-schedule.js';
import { changeDeliveryState, statesAccepted } from '../../db/repos/delivery-state.js';
import { finish, releaseScheduled } from '../../delivery/lifecycle.js';
import type { Counts } from '../runner.js';
import { batchOptions, type TechnicalContext } from './context.js';

/**
 * Delivery scheduling: starts scheduled deliveries whose contact date has come, and ends those
 * past their validity (Adobe §2.1 step 7): Pending messages → Cancelled, delivery → Finished with
 * its end at the validity end. A stopped delivery keeps its state; its pending messages are cancelled.
 * Each state change is a lifecycle step (releaseScheduled, finish) written by the one state writer.
 */
export async function runDeliveryScheduler(ctx: TechnicalContext): Promise<Counts> {
  const counts: Counts = { started: 0, expired: 0, cancelledMessages: 0 };
  for (const due of await dueScheduledDeliveries(ctx.db, ctx.now)) {
    const step = (state: typeof due.state) => releaseScheduled(state, due.scheduledAt, ctx.now);
    const change = await changeDeliveryState(ctx.db, { id: due.id, from: due.state, step, now: ctx.now });
    if (!change.ok) continue;
    counts.started!++;
    ctx.log.info('DELIVERY_STATE_CHANGED', { deliveryId: due.id, from: change.from, to: change.to, by: 'deliveryScheduler' });
  }
  // the states a delivery can finish from, and stopped ones (their pending messages are cancelled too)
  const expiring = [...statesAccepted(finish), 'stopped' as const];
  for (const delivery of await expiredDeliveries(ctx.db, expiring, ctx.now)) {
    const { cancelled, stillPending } = await cancelPendingMessages(ctx.db, delivery.id, ctx.now, batchOptions(ctx));
    counts.cancelledMessages! += cancelled;
    if (stillPending > 0) continue;
    const change = await changeDeliveryState(ctx.db, {
      id: delivery.id,
      from: delivery.state,
      step: finish,
      now: ctx.now,
      set: { finishedAt: delivery.validityEnd },
    });
    if (change.ok) {
      counts.expired!++;
      ctx.log.info('WF_DELIVERY_EXPIRED', { deliveryId: delivery.id, validityEnd: delivery.validityEnd, cancelled });
    }
  }
  return counts;
}
