import { deliveriesToCount } from '../../db/repos/delivery-counters.js';
import {
  aggregatedFailureCounts,
  failedMessageCounts,
  failureBreakdown,
  replaceFailureStats,
  replaceSubscriptionDays,
  subscriptionDaysFrom,
  subscriptionEventsSince,
  type DayCounts,
  type DayEvents,
} from '../../db/repos/report-aggregates.js';
import { DAY_MS } from '../../shared/duration.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/**
 * Report aggregates (read by the console's reports instead of raw logs):
 * - failures of each delivery still sending or ended within [wfserver] indicatorDays, by recipient
 *   domain, type and reason — recomputed only when its count of failed messages changed;
 * - subscription events per service and UTC day — the last stored day and the days after it are
 *   recomputed (the first run reads the whole history once).
 */

const COLUMN: Record<DayEvents['action'], keyof Omit<DayCounts, 'serviceId' | 'day'>> = {
  subscribe: 'subscribed',
  confirm: 'confirmed',
  unsubscribe: 'unsubscribed',
  expire: 'expired',
};

/** Events per (service, day, action) folded into one row per service and day (pure). */
export function dayCounts(events: readonly DayEvents[]): DayCounts[] {
  const rows = new Map<string, DayCounts>();
  for (const e of events) {
    const key = `${e.serviceId}:${e.day}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { serviceId: e.serviceId, day: e.day, subscribed: 0, confirmed: 0, unsubscribed: 0, expired: 0 }));
    if (e.action in COLUMN) row[COLUMN[e.action]] += e.events;
  }
  return [...rows.values()].sort((a, b) => a.serviceId - b.serviceId || a.day.localeCompare(b.day));
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

async function refreshSubscriptionDays(ctx: TechnicalContext): Promise<number> {
  const from = await subscriptionDaysFrom(ctx.db);
  if (!from) return 0;
  const rows = dayCounts(await subscriptionEventsSince(ctx.db, from));
  await replaceSubscriptionDays(ctx.db, from, rows, ctx.now);
  return rows.length;
}

export async function runReportStats(ctx: TechnicalContext): Promise<Counts> {
  return { deliveries: await refreshFailureStats(ctx), serviceDays: await refreshSubscriptionDays(ctx) };
}
