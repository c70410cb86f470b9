import { col, fn, literal, Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';

/**
 * SMTP statistics per domain: the MTA writes one row per domain and time slot; old slots are merged
 * into one row per domain and UTC day (at the day's 00:00 slot), so the table stays small while
 * keeping the per-domain history the reports show.
 */

export const STAT_COUNTERS = [
  'connections',
  'messages',
  'sent',
  'softErrors',
  'hardErrors',
  'timeouts',
  'refusedConnections',
  'firstAttempts',
  'firstAttemptErrors',
  'recovered',
] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];

export interface StatRow extends Record<StatCounter, number> {
  id: number;
  domain: string;
  slotStart: Date;
  lastResponse: string | null;
}

/** Slots in [from, until), in domain and time order. */
export async function statRowsBetween(db: Database, from: Date, until: Date): Promise<StatRow[]> {
  const { SmtpStat } = db.models;
  const rows = await SmtpStat.findAll({
    where: { slotStart: { [Op.gte]: from, [Op.lt]: until } },
    order: [
      ['domain', 'ASC'],
      ['slotStart', 'ASC'],
    ],
  });
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
  const { SmtpStat } = db.models;
  await db.write(async (transaction) => {
    await SmtpStat.destroy({ where: { id: merge.deleteIds }, transaction });
    await SmtpStat.update(
      { ...merge.totals, slotStart: merge.slotStart, lastResponse: merge.lastResponse, updatedAt: now },
      { where: { id: merge.keepId }, transaction, silent: true },
    );
  });
}

/** Counters of one domain, accumulated in memory by the MTA and added in one write. */
export type SmtpCounters = Record<StatCounter, number> & { lastResponse: string | null };

export const emptyCounters = (): SmtpCounters => ({
  ...(Object.fromEntries(STAT_COUNTERS.map((k) => [k, 0])) as Record<StatCounter, number>),
  lastResponse: null,
});

/** The start of the 5-minute slot holding `at`. */
export function slotStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 300_000) * 300_000);
}

/**
 * Adds the counters to smtp_stats (domain, slot) in the caller's transaction — the MTA's group
 * commit, so the counters are written with the outcomes they count — creating the row on first use.
 */
export async function addSmtpStats(db: Database, slot: Date, byDomain: ReadonlyMap<string, SmtpCounters>, now: Date, transaction: Transaction): Promise<void> {
  const { SmtpStat } = db.models;
  for (const [domain, c] of byDomain) {
    const increments = Object.fromEntries(STAT_COUNTERS.map((k) => [k, literal(`${SmtpStat.getAttributes()[k]!.field!} + ${Math.trunc(c[k])}`)]));
    const values = { ...increments, updatedAt: now, ...(c.lastResponse ? { lastResponse: c.lastResponse } : {}) } as Record<string, unknown>;
    const [changed] = await SmtpStat.update(values, { where: { domain, slotStart: slot }, transaction, silent: true });
    if (changed > 0) continue;
    await SmtpStat.bulkCreate([{ domain, slotStart: slot, ...c, updatedAt: now }], { transaction });
  }
}

/**
 * The error rate's inputs per domain since `since` (the window), over every MTA process: distinct
 * messages whose first attempt reached the server, and those of them refused with a temporary
 * error and not accepted on a retry since.
 */
export async function recentErrorRates(db: Database, since: Date): Promise<Map<string, { messages: number; errors: number }>> {
  const { SmtpStat } = db.models;
  const rows = await rawRows<{ domain: string; messages: number | string; errors: number | string; recovered: number | string }>(SmtpStat, {
    attributes: [
      'domain',
      [fn('SUM', col('first_attempts')), 'messages'],
      [fn('SUM', col('first_attempt_errors')), 'errors'],
      [fn('SUM', col('recovered')), 'recovered'],
    ],
    where: { slotStart: { [Op.gte]: since } },
    group: ['domain'],
  });
  return new Map(rows.map((r) => [r.domain, { messages: Number(r.messages), errors: Math.max(0, Number(r.errors) - Number(r.recovered)) }]));
}
