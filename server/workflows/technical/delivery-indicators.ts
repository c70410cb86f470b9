import { broadLogStatusCounts, deliveriesToCount, setDeliveryCounters, type CountedDelivery } from '../../db/repos/delivery-counters.js';
import { DAY_MS } from '../../shared/duration.js';
import type { BroadLogStatus } from '../../shared/glossary.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/** Delivery counters from broad log statuses, pure: processed = every message that got an outcome. */
export function deliveryCounters(byStatus: Partial<Record<BroadLogStatus, number>>): Omit<CountedDelivery, 'id'> {
  const n = (s: BroadLogStatus) => byStatus[s] ?? 0;
  return { processed: n('sent') + n('failed') + n('ignored'), sent: n('sent'), failed: n('failed') };
}

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
