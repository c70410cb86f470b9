import { applyStatMerge, STAT_COUNTERS, statRowsBetween, type StatMerge, type StatRow } from '../../db/repos/smtp-stats.js';
import { DAY_MS } from '../../shared/duration.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';
import { groupBy } from '../../shared/group-by.js';

/**
 * SMTP statistics per domain: the MTA's per-slot rows of days that ended more than a day ago are
 * merged into one row per domain and UTC day (held at the day's 00:00 slot). Recent slots, which
 * the MTA reads for its per-domain limits, are never touched. Days up to a week back are examined.
 */

const LOOKBACK_DAYS = 7;

const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/** The merges that turn a domain-ordered list of slot rows into one row per domain and day (pure). */
export function planStatMerges(rows: readonly StatRow[]): StatMerge[] {
  const groups = groupBy(rows, (row) => `${row.domain}\u0000${dayStart(row.slotStart.getTime())}`);
  const merges: StatMerge[] = [];
  for (const group of groups.values()) {
    const day = dayStart(group[0]!.slotStart.getTime());
    if (group.length === 1 && group[0]!.slotStart.getTime() === day) continue; // already one daily row
    const sorted = [...group].sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime());
    const totals = Object.fromEntries(STAT_COUNTERS.map((k) => [k, sorted.reduce((sum, r) => sum + r[k], 0)])) as StatMerge['totals'];
    const lastResponse = [...sorted].reverse().find((r) => r.lastResponse)?.lastResponse ?? null;
    merges.push({ keepId: sorted[0]!.id, slotStart: new Date(day), totals, lastResponse, deleteIds: sorted.slice(1).map((r) => r.id) });
  }
  return merges;
}

export async function runMtaStats(ctx: TechnicalContext): Promise<Counts> {
  const until = new Date(dayStart(ctx.now.getTime()) - DAY_MS);
  const rows = await statRowsBetween(ctx.db, new Date(until.getTime() - LOOKBACK_DAYS * DAY_MS), until);
  const merges = planStatMerges(rows);
  for (const merge of merges) await applyStatMerge(ctx.db, merge, ctx.now);
  return { domainDays: merges.length, mergedSlots: merges.reduce((n, m) => n + m.deleteIds.length + 1, 0) };
}
