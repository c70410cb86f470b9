import { col, fn, literal, Op, QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import { sqlDate } from '../sql-values.js';

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
/**
 * Adds the counters to smtp_stats (domain, slot) in the caller's transaction — the MTA's group
 * commit, so the counters are written with the outcomes they count — creating the row on first use.
 * MTA processes on several machines add to the same rows: SQLite and PostgreSQL run one INSERT …
 * ON CONFLICT DO UPDATE per domain, in domain order (two nodes' commits never wait on each other's
 * rows in opposite orders); SQL Server updates, then inserts a row the update did not find.
 */
export async function addSmtpStats(db: Database, slot: Date, byDomain: ReadonlyMap<string, SmtpCounters>, now: Date, transaction: Transaction): Promise<void> {
  const { SmtpStat } = db.models;
  for (const domain of [...byDomain.keys()].sort()) {
    const c = byDomain.get(domain)!;
    if (db.dialect !== 'mssql') {
      const bind = [domain, sqlDate(db.dialect, slot), ...STAT_COUNTERS.map((k) => Math.trunc(c[k])), c.lastResponse ?? null, sqlDate(db.dialect, now)];
      await db.sequelize.query(UPSERT_STATS, { bind, transaction, type: QueryTypes.INSERT });
      continue;
    }
    const increments = Object.fromEntries(STAT_COUNTERS.map((k) => [k, literal(`${SmtpStat.getAttributes()[k]!.field!} + ${Math.trunc(c[k])}`)]));
    const values = { ...increments, updatedAt: now, ...(c.lastResponse ? { lastResponse: c.lastResponse } : {}) } as Record<string, unknown>;
    const [changed] = await SmtpStat.update(values, { where: { domain, slotStart: slot }, transaction, silent: true });
    if (changed > 0) continue;
    await SmtpStat.bulkCreate([{ domain, slotStart: slot, ...c, updatedAt: now }], { transaction });
  }
}

const COUNTER_COLUMNS = STAT_COUNTERS.map((k) => k.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`));

/** The SQLite and PostgreSQL upsert of one (domain, slot): $1 domain, $2 slot, then the counters in STAT_COUNTERS order, the last response, now. */
export const UPSERT_STATS =
  `INSERT INTO smtp_stats (domain, slot_start, ${COUNTER_COLUMNS.join(', ')}, last_response, updated_at) ` +
  `VALUES ($1, $2, ${COUNTER_COLUMNS.map((_, i) => `$${i + 3}`).join(', ')}, $${COUNTER_COLUMNS.length + 3}, $${COUNTER_COLUMNS.length + 4}) ` +
  `ON CONFLICT (domain, slot_start) DO UPDATE SET ${COUNTER_COLUMNS.map((c) => `${c} = smtp_stats.${c} + excluded.${c}`).join(', ')}, ` +
  'last_response = COALESCE(excluded.last_response, smtp_stats.last_response), updated_at = excluded.updated_at';

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
