import { broadLogStatusCounts, deliveriesToCount, setDeliveryCounters } from '../../db/repos/delivery-counters.js';
import { deliveryCounters } from '../../shared/delivery-counters.js';
import { DAY_MS } from '../../shared/duration.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/**
 * Delivery indicators: recomputes processed / sent / failed of every delivery still sending or
 * ended within [wfserver] indicatorDays, from its broad logs. Only changed counters are written.
 */
export async function runDeliveryIndicators(ctx: TechnicalContext): Promise<Counts> {
  const deliveries = await deliveriesToCount(ctx.db, new Date(ctx.now.getTime() - ctx.config.wfserver.indicatorDays * DAY_MS));
  const statusCounts = await broadLogStatusCounts(
    ctx.db,
    deliveries.map((d) => d.id),
  );
  let updated = 0;
  for (const d of deliveries) {
    const next = { id: d.id, ...deliveryCounters(statusCounts.get(d.id) ?? {}) };
    if (next.processed === d.processed && next.sent === d.sent && next.failed === d.failed) continue;
    await setDeliveryCounters(ctx.db, next);
    updated++;
  }
  return { deliveries: deliveries.length, updated };
}
