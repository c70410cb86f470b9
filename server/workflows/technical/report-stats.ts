import { deliveriesToCount } from '../../db/repos/delivery-counters.js';
import {
  aggregatedFailureCounts,
  failedMessageCounts,
  failureBreakdown,
  replaceFailureStats,
  replaceSubscriptionSlots,
  subscriptionEventsSince,
  subscriptionSlotsFrom,
  type SlotCounts,
  type SlotEvents,
} from '../../db/repos/report-aggregates.js';
import { DAY_MS } from '../../shared/duration.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/**
 * Report aggregates (read by the console's reports instead of raw logs):
 * - failures of each delivery still sending or ended within [wfserver] indicatorDays, by recipient
 *   domain, type and reason — recomputed only when its count of failed messages changed;
 * - subscription events per service and UTC quarter hour (reports fold them into the days of any
 *   time zone) — the day before the last stored one and the days after it are recomputed (the
 *   first run reads the whole history once).
 */

const COLUMN: Record<SlotEvents['action'], keyof Omit<SlotCounts, 'serviceId' | 'slot'>> = {
  subscribe: 'subscribed',
  confirm: 'confirmed',
  unsubscribe: 'unsubscribed',
  expire: 'expired',
};

/** Events per (service, quarter hour, action) folded into one row per service and quarter hour (pure). */
export function slotCounts(events: readonly SlotEvents[]): SlotCounts[] {
  const rows = new Map<string, SlotCounts>();
  for (const e of events) {
    const key = `${e.serviceId}:${e.slot}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { serviceId: e.serviceId, slot: e.slot, subscribed: 0, confirmed: 0, unsubscribed: 0, expired: 0 }));
    if (e.action in COLUMN) row[COLUMN[e.action]] += e.events;
  }
  return [...rows.values()].sort((a, b) => a.serviceId - b.serviceId || a.slot.localeCompare(b.slot));
}

async function refreshFailureStats(ctx: TechnicalContext): Promise<number> {
  const ids = (await deliveriesToCount(ctx.db, new Date(ctx.now.getTime() - ctx.config.wfserver.indicatorDays * DAY_MS))).map((d) => d.id);
  const failed = await failedMessageCounts(ctx.db, ids);
  const stored = await aggregatedFailureCounts(ctx.db, ids);
  let refreshed = 0;
  for (const id of ids) {
    if ((failed.get(id) ?? 0) === (stored.get(id) ?? 0)) continue;
    await replaceFailureStats(ctx.db, id, await failureBreakdown(ctx.db, id), ctx.now);
    refreshed++;
  }
  return refreshed;
}

async function refreshSubscriptionSlots(ctx: TechnicalContext): Promise<number> {
  const from = await subscriptionSlotsFrom(ctx.db);
  if (!from) return 0;
  const rows = slotCounts(await subscriptionEventsSince(ctx.db, from));
  await replaceSubscriptionSlots(ctx.db, from, rows, ctx.now);
  return rows.length;
}

export async function runReportStats(ctx: TechnicalContext): Promise<Counts> {
  return { deliveries: await refreshFailureStats(ctx), serviceSlots: await refreshSubscriptionSlots(ctx) };
}
