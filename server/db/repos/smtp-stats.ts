import { Op, UniqueConstraintError, fn, col } from 'sequelize';
import type { Database } from '../connect.js';
import { SmtpStat } from '../models/index.js';

/** Counters of one domain in one 5-minute slot, accumulated in memory and added in one write. */
export interface SmtpCounters {
  connections: number;
  messages: number;
  sent: number;
  softErrors: number;
  hardErrors: number;
  timeouts: number;
  refusedConnections: number;
  lastResponse: string | null;
}

export const emptyCounters = (): SmtpCounters => ({ connections: 0, messages: 0, sent: 0, softErrors: 0, hardErrors: 0, timeouts: 0, refusedConnections: 0, lastResponse: null });

/** The start of the 5-minute slot holding `at`. */
export function slotStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 300_000) * 300_000);
}

const NUMERIC = ['connections', 'messages', 'sent', 'softErrors', 'hardErrors', 'timeouts', 'refusedConnections'] as const;

/** Adds the counters to smtp_stats (domain, slot), creating the row on first use. */
export async function addSmtpStats(db: Database, slot: Date, byDomain: ReadonlyMap<string, SmtpCounters>, now: Date): Promise<void> {
  if (byDomain.size === 0) return;
  await db.write(async (transaction) => {
    for (const [domain, c] of byDomain) {
      const existing = await SmtpStat.findOne({ where: { domain, slotStart: slot }, transaction });
      if (existing) {
        for (const k of NUMERIC) existing[k] += c[k];
        if (c.lastResponse) existing.lastResponse = c.lastResponse;
        existing.updatedAt = now;
        await existing.save({ transaction });
      } else {
        try {
          await SmtpStat.create({ domain, slotStart: slot, ...c, updatedAt: now }, { transaction });
        } catch (err) {
          if (!(err instanceof UniqueConstraintError)) throw err;
          const other = await SmtpStat.findOne({ where: { domain, slotStart: slot }, transaction });
          if (other) await other.increment(Object.fromEntries(NUMERIC.map((k) => [k, c[k]])), { transaction });
        }
      }
    }
  });
}

/** Messages and errors per domain since `since` (the error-rate window), over every MTA process. */
export async function recentErrorRates(since: Date): Promise<Map<string, { messages: number; errors: number }>> {
  const rows = (await SmtpStat.findAll({
    attributes: ['domain', [fn('SUM', col('messages')), 'messages'], [fn('SUM', col('soft_errors')), 'soft']],
    where: { slotStart: { [Op.gte]: since } },
    group: ['domain'],
    raw: true,
  })) as unknown as Array<{ domain: string; messages: number | string; soft: number | string }>;
  return new Map(rows.map((r) => [r.domain, { messages: Number(r.messages), errors: Number(r.soft) }]));
}
