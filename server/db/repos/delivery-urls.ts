import type { TrackingUrlType } from '../../shared/glossary.js';
import type { Database } from '../connect.js';

/** A delivery's tracking URL rows (clicks, opt-outs, the mirror page and the open pixel). */

export interface NewTrackingUrl {
  type: TrackingUrlType;
  url: string;
  label: string | null;
}

export interface TrackingUrlRow extends NewTrackingUrl {
  id: number;
}

/** Replaces the delivery's tracking URLs (a new analysis) and returns the new rows with their ids. */
export async function replaceTrackingUrls(db: Database, deliveryId: number, urls: readonly NewTrackingUrl[], now: Date): Promise<TrackingUrlRow[]> {
  const { TrackingUrl } = db.models;
  return db.write(async (transaction) => {
    await TrackingUrl.destroy({ where: { deliveryId }, transaction });
    const rows: TrackingUrlRow[] = [];
    // Created one by one: a delivery has few links, and every dialect returns the new id this way.
    for (const u of urls) {
      const row = await TrackingUrl.create({ deliveryId, type: u.type, url: u.url, label: u.label, createdAt: now }, { transaction });
      rows.push({ id: row.id, type: row.type, url: row.url, label: row.label ?? null });
    }
    return rows;
  });
}

export async function trackingUrlsOf(db: Database, deliveryId: number): Promise<TrackingUrlRow[]> {
  const { TrackingUrl } = db.models;
  const rows = await TrackingUrl.findAll({ where: { deliveryId }, order: [['id', 'ASC']] });
  return rows.map((r) => ({ id: r.id, type: r.type, url: r.url, label: r.label ?? null }));
}
