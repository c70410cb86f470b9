import { col, fn } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { TrackingUrlType } from '../../shared/glossary.js';
import type { DeliveryFailureStat, DeliveryIndicator } from '../models/index.js';

/**
 * The reports of one delivery, read from consolidated data only: its indicators
 * (delivery_indicators), hits per URL and 5-minute slot (tracking_stats, opens included), and its
 * failures by domain and reason (delivery_failure_stats). Never the raw tracking or broad logs.
 */

export function indicatorsOf(db: Database, deliveryId: number): Promise<DeliveryIndicator | null> {
  const { DeliveryIndicator } = db.models;
  return DeliveryIndicator.findByPk(deliveryId);
}

export interface TrackingSlot {
  slotStart: Date;
  type: TrackingUrlType;
  hits: number;
  humanHits: number;
}

/** Hits per 5-minute slot and URL type (the unique (delivery, url, slot) index). */
export async function trackingSlots(db: Database, deliveryId: number): Promise<TrackingSlot[]> {
  const { TrackingStat, TrackingUrl } = db.models;
  const types = new Map((await TrackingUrl.findAll({ attributes: ['id', 'type'], where: { deliveryId } })).map((u) => [u.id, u.type]));
  const rows = await TrackingStat.findAll({
    attributes: ['urlId', 'slotStart', 'clicks', 'humanClicks'],
    where: { deliveryId },
    order: [['slotStart', 'ASC']],
  });
  return rows.flatMap((r) => {
    const type = types.get(r.urlId);
    return type ? [{ slotStart: r.slotStart, type, hits: r.clicks, humanHits: r.humanClicks }] : [];
  });
}

export interface LinkTotal {
  urlId: number;
  type: TrackingUrlType;
  label: string;
  url: string;
  hits: number;
  humanHits: number;
}

/** Every tracked link (not the open pixel) with its hits, most clicked first. */
export async function linkTotals(db: Database, deliveryId: number): Promise<LinkTotal[]> {
  const { TrackingStat, TrackingUrl } = db.models;
  const urls = await TrackingUrl.findAll({ attributes: ['id', 'type', 'label', 'url'], where: { deliveryId }, order: [['id', 'ASC']] });
  const sums = await rawRows<{ urlId: number; hits: number | string; human: number | string }>(TrackingStat, {
    attributes: ['urlId', [fn('SUM', col('clicks')), 'hits'], [fn('SUM', col('human_clicks')), 'human']],
    where: { deliveryId },
    group: ['url_id'],
  });
  const byUrl = new Map(sums.map((s) => [Number(s.urlId), s]));
  return urls
    .filter((u) => u.type !== 'open')
    .map((u) => ({
      urlId: u.id,
      type: u.type,
      label: u.label ?? '',
      url: u.url,
      hits: Number(byUrl.get(u.id)?.hits ?? 0),
      humanHits: Number(byUrl.get(u.id)?.human ?? 0),
    }))
    .sort((a, b) => b.hits - a.hits || a.urlId - b.urlId);
}

/** The failure aggregate of a delivery (by domain, type and reason) and when it was computed. */
export async function failureStatsOf(db: Database, deliveryId: number): Promise<{ rows: DeliveryFailureStat[]; computedAt: Date | null }> {
  const { DeliveryFailureStat } = db.models;
  const rows = await DeliveryFailureStat.findAll({
    where: { deliveryId },
    order: [
      ['messages', 'DESC'],
      ['domain', 'ASC'],
    ],
  });
  return { rows, computedAt: rows.reduce<Date | null>((latest, r) => (!latest || r.computedAt > latest ? r.computedAt : latest), null) };
}
