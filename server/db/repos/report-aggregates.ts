import { col, fn, literal, Op } from 'sequelize';
import { DAY_MS } from '../../shared/duration.js';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import type { Database, Dialect } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import { chunks } from '../chunks.js';

/**
 * The report aggregates, recomputed by the reportStats technical workflow so that report pages never
 * read raw logs: failed messages of a delivery by recipient domain and reason, and subscription
 * events per service and UTC day. The two expressions that differ by dialect (the domain of an
 * address, the day of a time) live here, one variant per dialect; their T-SQL is pinned in
 * test/db/snapshots/mssql.
 */

const DOMAIN_OF_ADDRESS: Record<Dialect, string> = {
  sqlite: "lower(substr(`address`, instr(`address`, '@') + 1))",
  mssql: "LOWER(SUBSTRING([address], CHARINDEX('@', [address]) + 1, 320))",
  postgres: `lower(substr("address", strpos("address", '@') + 1))`,
};

const UTC_DAY_OF_AT: Record<Dialect, string> = {
  sqlite: 'substr(`at`, 1, 10)',
  mssql: 'CONVERT(char(10), [at], 23)',
  postgres: `to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

/** The lower-case domain of `address` (what follows the first "@"). */
export function domainExpression(dialect: Dialect) {
  return literal(DOMAIN_OF_ADDRESS[dialect]);
}

/** The UTC day (`YYYY-MM-DD`) of the `at` column (stored in UTC on every dialect). */
export function dayExpression(dialect: Dialect) {
  return literal(UTC_DAY_OF_AT[dialect]);
}

/** Failed messages (status failed) per delivery, counted from the broad_logs_failures index alone. */
export async function failedMessageCounts(db: Database, deliveryIds: readonly number[]): Promise<Map<number, number>> {
  const { BroadLog } = db.models;
  const out = new Map<number, number>();
  for (const chunk of chunks(deliveryIds)) {
    const rows = await rawRows<{ deliveryId: number; n: number | string }>(BroadLog, {
      attributes: ['deliveryId', [fn('COUNT', col('*')), 'n']],
      where: { deliveryId: chunk, status: 'failed' },
      group: ['delivery_id'],
    });
    for (const r of rows) out.set(Number(r.deliveryId), Number(r.n));
  }
  return out;
}

/** Failed messages already counted in the aggregate, per delivery. */
export async function aggregatedFailureCounts(db: Database, deliveryIds: readonly number[]): Promise<Map<number, number>> {
  const { DeliveryFailureStat } = db.models;
  const out = new Map<number, number>();
  for (const chunk of chunks(deliveryIds)) {
    const rows = await rawRows<{ deliveryId: number; n: number | string }>(DeliveryFailureStat, {
      attributes: ['deliveryId', [fn('SUM', col('messages')), 'n']],
      where: { deliveryId: chunk },
      group: ['delivery_id'],
    });
    for (const r of rows) out.set(Number(r.deliveryId), Number(r.n));
  }
  return out;
}

export interface FailureBreakdownRow {
  domain: string;
  failureType: FailureType;
  failureReason: FailureReason;
  messages: number;
}

/** A delivery's failed messages grouped by domain, type and reason (read in the background, never by a page). */
export async function failureBreakdown(db: Database, deliveryId: number): Promise<FailureBreakdownRow[]> {
  const { BroadLog } = db.models;
  const domain = domainExpression(db.dialect);
  const rows = await rawRows<{ domain: string | null; failureType: FailureType | null; failureReason: FailureReason | null; n: number | string }>(BroadLog, {
    attributes: [[domain, 'domain'], 'failureType', 'failureReason', [fn('COUNT', col('*')), 'n']],
    where: { deliveryId, status: 'failed' },
    group: [domain as never, 'failure_type', 'failure_reason'],
  });
  const merged = new Map<string, FailureBreakdownRow>();
  for (const r of rows) {
    const row = {
      domain: (r.domain ?? '').slice(0, 255),
      failureType: r.failureType ?? 'hard',
      failureReason: r.failureReason ?? 'not_defined',
      messages: Number(r.n),
    };
    const key = `${row.domain}\u0000${row.failureType}\u0000${row.failureReason}`;
    const seen = merged.get(key);
    if (seen) seen.messages += row.messages;
    else merged.set(key, row);
  }
  return [...merged.values()];
}

export async function replaceFailureStats(db: Database, deliveryId: number, rows: readonly FailureBreakdownRow[], now: Date): Promise<void> {
  const { DeliveryFailureStat } = db.models;
  await db.write(async (transaction) => {
    await DeliveryFailureStat.destroy({ where: { deliveryId }, transaction });
    for (const part of chunks(rows))
      await DeliveryFailureStat.bulkCreate(
        part.map((r) => ({ deliveryId, ...r, computedAt: now })),
        { transaction, validate: false },
      );
  });
}

/** The first day the subscription aggregate must (re)compute: the day before its last one, or the first event's day. */
export async function subscriptionDaysFrom(db: Database): Promise<string | undefined> {
  const { SubscriptionDailyStat, SubscriptionHistory } = db.models;
  const last = (await SubscriptionDailyStat.max('day')) as string | null;
  if (last) return new Date(Date.parse(`${last}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  const first = (await SubscriptionHistory.min('at')) as Date | string | null;
  return first ? new Date(first).toISOString().slice(0, 10) : undefined;
}

export type SubscriptionAction = 'subscribe' | 'confirm' | 'unsubscribe' | 'expire';

export interface DayEvents {
  serviceId: number;
  day: string;
  action: SubscriptionAction;
  events: number;
}

/** Subscription events since the start of `fromDay`, per service, day and action (the subscription_history_at index). */
export async function subscriptionEventsSince(db: Database, fromDay: string): Promise<DayEvents[]> {
  const { SubscriptionHistory } = db.models;
  const day = dayExpression(db.dialect);
  const rows = await rawRows<{ serviceId: number; day: string; action: SubscriptionAction; n: number | string }>(SubscriptionHistory, {
    attributes: ['serviceId', [day, 'day'], 'action', [fn('COUNT', col('*')), 'n']],
    where: { at: { [Op.gte]: new Date(`${fromDay}T00:00:00Z`) } },
    group: ['service_id', day as never, 'action'],
  });
  return rows.map((r) => ({ serviceId: Number(r.serviceId), day: String(r.day).slice(0, 10), action: r.action, events: Number(r.n) }));
}

export interface DayCounts {
  serviceId: number;
  day: string;
  subscribed: number;
  confirmed: number;
  unsubscribed: number;
  expired: number;
}

/** Replaces the aggregate's days from `fromDay` on, in one transaction. */
export async function replaceSubscriptionDays(db: Database, fromDay: string, rows: readonly DayCounts[], now: Date): Promise<void> {
  const { SubscriptionDailyStat } = db.models;
  await db.write(async (transaction) => {
    await SubscriptionDailyStat.destroy({ where: { day: { [Op.gte]: fromDay } }, transaction });
    for (const part of chunks(rows))
      await SubscriptionDailyStat.bulkCreate(
        part.map((r) => ({ ...r, computedAt: now })),
        { transaction, validate: false },
      );
  });
}
