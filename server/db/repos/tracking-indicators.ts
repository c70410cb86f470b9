import { fn, col, Op, type WhereOptions } from 'sequelize';
import type { TrackingUrlType } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';

/** Consolidation: reads a delivery's tracking logs in time order, writes its indicators and click slots. */

export interface MessageCounts {
  /** Messages of the delivery (broad logs that are not ignored). */
  toDeliver: number;
  /** Of which to recipients who read text only (no pixel: opens cannot be seen). */
  textMessages: number;
  /** Messages sent successfully (status sent). */
  success: number;
}

export async function messageCounts(db: Database, deliveryId: number): Promise<MessageCounts> {
  const { BroadLog } = db.models;
  const rows = await rawRows<{ emailFormat: string; status: string; n: number | string }>(BroadLog, {
    attributes: ['emailFormat', 'status', [fn('COUNT', col('id')), 'n']],
    where: { deliveryId, status: { [Op.ne]: 'ignored' } },
    group: ['email_format', 'status'],
  });
  const counts: MessageCounts = { toDeliver: 0, textMessages: 0, success: 0 };
  for (const row of rows) {
    const n = Number(row.n);
    counts.toDeliver += n;
    if (row.emailFormat === 'text') counts.textMessages += n;
    if (row.status === 'sent') counts.success += n;
  }
  return counts;
}

export interface IndicatorRow {
  id: number;
  broadLogId: number | null;
  urlId: number | null;
  urlType: TrackingUrlType;
  loggedAt: Date;
  sourceId: string | null;
  bot: string | null;
}

export interface LogPosition {
  loggedAt: Date;
  id: number;
}

/** One keyset page of a delivery's tracking logs ordered by (logged_at, id): no OFFSET scan. */
export async function trackingLogPage(db: Database, deliveryId: number, after: LogPosition | undefined, limit: number): Promise<IndicatorRow[]> {
  const { TrackingLog } = db.models;
  const where: WhereOptions = after
    ? { deliveryId, [Op.or]: [{ loggedAt: { [Op.gt]: after.loggedAt } }, { loggedAt: after.loggedAt, id: { [Op.gt]: after.id } }] }
    : { deliveryId };
  const rows = await TrackingLog.findAll({
    attributes: ['id', 'broadLogId', 'urlId', 'urlType', 'loggedAt', 'sourceId', 'bot'],
    where,
    order: [
      ['loggedAt', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
  });
  return rows.map((r) => ({
    id: r.id,
    broadLogId: r.broadLogId,
    urlId: r.urlId,
    urlType: r.urlType,
    loggedAt: r.loggedAt,
    sourceId: r.sourceId ?? null,
    bot: r.bot ?? null,
  }));
}

export interface IndicatorValues {
  recipientOpens: number;
  totalOpens: number;
  estimatedOpens: number;
  recipientClicks: number;
  personClicks: number;
  totalClicks: number;
  estimatedForwards: number;
  optOuts: number;
  mirrorViews: number;
  humanOpens: number;
  humanClicks: number;
  rawReactivity: number | null;
  estimatedReactivity: number | null;
  clickThrough: number | null;
}

export interface ClickSlot {
  urlId: number;
  slotStart: Date;
  clicks: number;
  humanClicks: number;
}

/** Replaces a delivery's indicators and click slots in one transaction (recomputed from the logs: idempotent). */
export async function saveDeliveryTracking(
  db: Database,
  deliveryId: number,
  indicators: IndicatorValues,
  slots: readonly ClickSlot[],
  now: Date,
): Promise<void> {
  const { DeliveryIndicator, TrackingStat } = db.models;
  await db.write(async (transaction) => {
    await TrackingStat.destroy({ where: { deliveryId }, transaction });
    for (let i = 0; i < slots.length; i += 1000) {
      await TrackingStat.bulkCreate(
        slots.slice(i, i + 1000).map((s) => ({ deliveryId, ...s })),
        { transaction, validate: false, returning: false },
      );
    }
    await DeliveryIndicator.upsert({ deliveryId, ...indicators, computedAt: now }, { transaction });
  });
}

/**
 * Deliveries with hits logged since `since` that were ingested after their indicators were last
 * computed (a run that stored hits but failed before consolidating them).
 */
export async function staleDeliveryIds(db: Database, since: Date): Promise<number[]> {
  const { DeliveryIndicator, TrackingLog } = db.models;
  const latest = await rawRows<{ deliveryId: number; ingestedAt: string | Date }>(TrackingLog, {
    attributes: ['deliveryId', [fn('MAX', col('created_at')), 'ingestedAt']],
    where: { loggedAt: { [Op.gte]: since } },
    group: ['delivery_id'],
  });
  if (latest.length === 0) return [];
  const computed = new Map<number, number>();
  for (let i = 0; i < latest.length; i += 1000) {
    const ids = latest.slice(i, i + 1000).map((r) => r.deliveryId);
    for (const row of await DeliveryIndicator.findAll({ attributes: ['deliveryId', 'computedAt'], where: { deliveryId: { [Op.in]: ids } } }))
      computed.set(row.deliveryId, row.computedAt.getTime());
  }
  return latest.filter((r) => new Date(r.ingestedAt).getTime() > (computed.get(r.deliveryId) ?? -Infinity)).map((r) => Number(r.deliveryId));
}
