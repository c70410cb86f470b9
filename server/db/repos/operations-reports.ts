import { col, fn, literal, Op } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { FailureReason, QuarantineStatus } from '../../shared/glossary.js';
import type { Quarantine, SubscriptionSlotStat } from '../models/index.js';

/**
 * Reports across deliveries, from aggregates: SMTP statistics per domain and per slot (smtp_stats,
 * written by the MTA in 5-minute slots, merged per day after a day), quarantine counts (the
 * quarantines_status_reason index), and subscription events per quarter hour (subscription_slot_stats).
 */

export interface DomainStat {
  domain: string;
  connections: number;
  messages: number;
  sent: number;
  softErrors: number;
  hardErrors: number;
  timeouts: number;
  refusedConnections: number;
}

const SUMS = ['connections', 'messages', 'sent', 'soft_errors', 'hard_errors', 'timeouts', 'refused_connections'] as const;
const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** Counters per domain over [from, until), most messages first. */
export async function domainStats(db: Database, from: Date, until: Date, limit: number): Promise<DomainStat[]> {
  const { SmtpStat } = db.models;
  const rows = await rawRows<Record<string, string | number>>(SmtpStat, {
    attributes: ['domain', ...SUMS.map((c) => [fn('SUM', col(c)), camel(c)] as [ReturnType<typeof fn>, string])],
    where: { slotStart: { [Op.gte]: from, [Op.lt]: until } },
    group: ['domain'],
    order: [
      [literal('SUM(messages)'), 'DESC'],
      ['domain', 'ASC'],
    ],
    limit,
  });
  return rows.map((r) => ({
    domain: String(r.domain),
    ...(Object.fromEntries(SUMS.map((c) => [camel(c), Number(r[camel(c)] ?? 0)])) as Omit<DomainStat, 'domain'>),
  }));
}

export interface SlotTotal {
  slotStart: Date;
  messages: number;
  sent: number;
  softErrors: number;
  hardErrors: number;
}

/** Every domain's counters added up per slot over [from, until) (the slot_start index). */
export async function slotTotals(db: Database, from: Date, until: Date): Promise<SlotTotal[]> {
  const { SmtpStat } = db.models;
  const rows = await rawRows<{
    slotStart: Date | string;
    messages: number | string;
    sent: number | string;
    softErrors: number | string;
    hardErrors: number | string;
  }>(SmtpStat, {
    attributes: [
      'slotStart',
      [fn('SUM', col('messages')), 'messages'],
      [fn('SUM', col('sent')), 'sent'],
      [fn('SUM', col('soft_errors')), 'softErrors'],
      [fn('SUM', col('hard_errors')), 'hardErrors'],
    ],
    where: { slotStart: { [Op.gte]: from, [Op.lt]: until } },
    group: ['slot_start'],
    order: [['slotStart', 'ASC']],
  });
  return rows.map((r) => ({
    slotStart: new Date(r.slotStart),
    messages: Number(r.messages),
    sent: Number(r.sent),
    softErrors: Number(r.softErrors),
    hardErrors: Number(r.hardErrors),
  }));
}

export interface QuarantineCount {
  status: QuarantineStatus;
  reason: FailureReason | null;
  addresses: number;
}

/** Addresses per status and reason (counted in the quarantines_status_reason index). */
export async function quarantineCounts(db: Database): Promise<QuarantineCount[]> {
  const { Quarantine } = db.models;
  const rows = await rawRows<{ status: QuarantineStatus; failureReason: FailureReason | null; n: number | string }>(Quarantine, {
    attributes: ['status', 'failureReason', [fn('COUNT', col('*')), 'n']],
    group: ['status', 'failure_reason'],
  });
  return rows.map((r) => ({ status: r.status, reason: r.failureReason, addresses: Number(r.n) })).sort((a, b) => b.addresses - a.addresses);
}

/** Domains with the most addresses in quarantine or denylisted. */
export async function quarantineDomains(db: Database, limit: number): Promise<Array<{ domain: string; addresses: number }>> {
  const { Quarantine } = db.models;
  const rows = await rawRows<{ domain: string; n: number | string }>(Quarantine, {
    attributes: ['domain', [fn('COUNT', col('*')), 'n']],
    where: { status: ['quarantine', 'denylisted'] },
    group: ['domain'],
    order: [
      [literal('COUNT(*)'), 'DESC'],
      ['domain', 'ASC'],
    ],
    limit,
  });
  return rows.map((r) => ({ domain: r.domain, addresses: Number(r.n) }));
}

/** The latest addresses put in quarantine (the (status, updated_at) index). */
export function recentQuarantines(db: Database, limit: number): Promise<Quarantine[]> {
  const { Quarantine } = db.models;
  return Quarantine.findAll({
    attributes: ['id', 'address', 'status', 'failureType', 'failureReason', 'errorCount', 'updatedAt'],
    where: { status: 'quarantine' },
    order: [['updatedAt', 'DESC']],
    limit,
  });
}

/**
 * A service's subscription events per UTC quarter hour from the slot `fromSlot` (`YYYY-MM-DD HH:MM`)
 * on (the aggregate's primary key). At most 96 rows per day of the period, fewer where nothing happened.
 */
export function subscriptionSlots(db: Database, serviceId: number, fromSlot: string): Promise<SubscriptionSlotStat[]> {
  const { SubscriptionSlotStat } = db.models;
  return SubscriptionSlotStat.findAll({ where: { serviceId, slot: { [Op.gte]: fromSlot } }, order: [['slot', 'ASC']] });
}
