import { col, fn, literal, Op } from 'sequelize';
import { DAY_MS } from '../../shared/duration.js';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import type { Database, Dialect } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import { chunks } from '../chunks.js';

/**
 * The report aggregates, recomputed by the reportStats technical workflow so that report pages never
 * read raw logs: failed messages of a delivery by recipient domain and reason, and subscription
 * events per service and UTC quarter hour. The two expressions that differ by dialect (the domain of
 * an address, the quarter hour of a time) live here, one variant per dialect; their T-SQL is pinned in
 * test/db/snapshots/mssql.
 */

const DOMAIN_OF_ADDRESS: Record<Dialect, string> = {
  sqlite: "lower(substr(`address`, instr(`address`, '@') + 1))",
  mssql: "LOWER(SUBSTRING([address], CHARINDEX('@', [address]) + 1, 320))",
  postgres: `lower(substr("address", strpos("address", '@') + 1))`,
};

/** `YYYY-MM-DD HH:MM` of the UTC quarter hour `at` falls in (SQLite stores `YYYY-MM-DD HH:MM:SS.SSS +00:00`). */
const UTC_QUARTER_OF_AT: Record<Dialect, string> = {
  sqlite: "substr(`at`, 1, 14) || printf('%02d', (CAST(substr(`at`, 15, 2) AS INTEGER) / 15) * 15)",
  mssql: 'CONVERT(char(16), DATEADD(minute, (DATEPART(minute, [at]) / 15) * 15, DATEADD(hour, DATEDIFF(hour, 0, [at]), 0)), 120)',
  postgres: `to_char(date_trunc('hour', "at" AT TIME ZONE 'UTC') + floor(extract(minute FROM "at" AT TIME ZONE 'UTC') / 15) * interval '15 minutes', 'YYYY-MM-DD HH24:MI')`,
};

/** The lower-case domain of `address` (what follows the first "@"). */
export function domainExpression(dialect: Dialect) {
  return literal(DOMAIN_OF_ADDRESS[dialect]);
}

/** The UTC quarter hour (`YYYY-MM-DD HH:MM`) of the `at` column (stored in UTC on every dialect). */
export function quarterExpression(dialect: Dialect) {
  return literal(UTC_QUARTER_OF_AT[dialect]);
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

/** The first UTC day the subscription aggregate must (re)compute: the day before its last one, or the first event's day. */
export async function subscriptionSlotsFrom(db: Database): Promise<string | undefined> {
  const { SubscriptionSlotStat, SubscriptionHistory } = db.models;
  const last = (await SubscriptionSlotStat.max('slot')) as string | null;
  if (last) return new Date(Date.parse(`${last.slice(0, 10)}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  const first = (await SubscriptionHistory.min('at')) as Date | string | null;
  return first ? new Date(first).toISOString().slice(0, 10) : undefined;
}

export type SubscriptionAction = 'subscribe' | 'confirm' | 'unsubscribe' | 'expire';

export interface SlotEvents {
  serviceId: number;
  /** `YYYY-MM-DD HH:MM` (UTC quarter hour). */
  slot: string;
  action: SubscriptionAction;
  events: number;
}

/** Subscription events since the start of the UTC day `fromDay`, per service, quarter hour and action (the subscription_history_at index). */
export async function subscriptionEventsSince(db: Database, fromDay: string): Promise<SlotEvents[]> {
  const { SubscriptionHistory } = db.models;
  const slot = quarterExpression(db.dialect);
  const rows = await rawRows<{ serviceId: number; slot: string; action: SubscriptionAction; n: number | string }>(SubscriptionHistory, {
    attributes: ['serviceId', [slot, 'slot'], 'action', [fn('COUNT', col('*')), 'n']],
    where: { at: { [Op.gte]: new Date(`${fromDay}T00:00:00Z`) } },
    group: ['service_id', slot as never, 'action'],
  });
  return rows.map((r) => ({ serviceId: Number(r.serviceId), slot: String(r.slot).slice(0, 16), action: r.action, events: Number(r.n) }));
}

export interface SlotCounts {
  serviceId: number;
  slot: string;
  subscribed: number;
  confirmed: number;
  unsubscribed: number;
  expired: number;
}

/** Replaces the aggregate's quarter hours from the UTC day `fromDay` on, in one transaction. */
export async function replaceSubscriptionSlots(db: Database, fromDay: string, rows: readonly SlotCounts[], now: Date): Promise<void> {
  const { SubscriptionSlotStat } = db.models;
  await db.write(async (transaction) => {
    await SubscriptionSlotStat.destroy({ where: { slot: { [Op.gte]: fromDay } }, transaction });
    for (const part of chunks(rows))
      await SubscriptionSlotStat.bulkCreate(
        part.map((r) => ({ ...r, computedAt: now })),
        { transaction, validate: false },
      );
  });
}
