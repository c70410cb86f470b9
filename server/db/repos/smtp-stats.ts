import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import { SmtpStat } from '../models/index.js';

/**
 * SMTP statistics per domain: the MTA writes one row per domain and time slot; old slots are merged
 * into one row per domain and UTC day (at the day's 00:00 slot), so the table stays small while
 * keeping the per-domain history the reports show.
 */

export const STAT_COUNTERS = ['connections', 'messages', 'sent', 'softErrors', 'hardErrors', 'timeouts', 'refusedConnections'] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];

export interface StatRow extends Record<StatCounter, number> {
  id: number;
  domain: string;
  slotStart: Date;
  lastResponse: string | null;
}

/** Slots in [from, until), in domain and time order. */
export async function statRowsBetween(from: Date, until: Date): Promise<StatRow[]> {
  const rows = await SmtpStat.findAll({ where: { slotStart: { [Op.gte]: from, [Op.lt]: until } }, order: [['domain', 'ASC'], ['slotStart', 'ASC']] });
  return rows.map((r) => ({
    id: r.id,
    domain: r.domain,
    slotStart: r.slotStart,
    lastResponse: r.lastResponse ?? null,
    ...(Object.fromEntries(STAT_COUNTERS.map((k) => [k, r[k]])) as Record<StatCounter, number>),
  }));
}

export interface StatMerge {
  keepId: number;
  slotStart: Date;
  totals: Record<StatCounter, number>;
  lastResponse: string | null;
  deleteIds: number[];
}

/** Applies one merge in one transaction: the kept row takes the totals and the day's slot, the others go. */
export async function applyStatMerge(db: Database, merge: StatMerge, now: Date): Promise<void> {
  await db.write(async (transaction) => {
    await SmtpStat.destroy({ where: { id: merge.deleteIds }, transaction });
    await SmtpStat.update({ ...merge.totals, slotStart: merge.slotStart, lastResponse: merge.lastResponse, updatedAt: now }, { where: { id: merge.keepId }, transaction, silent: true });
  });
}
