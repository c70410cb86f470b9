import { randomUUID } from 'node:crypto';
import type { Database } from '../connect.js';

/** The mirror page (`/m/<token>`, served by the web module): its URL row, validity, and the view log. */

export interface MirrorTarget {
  urlId: number;
  deliveryId: number;
  /** End of the delivery's web resources validity (null: no end). */
  webValidityEnd: Date | null;
}

/** The delivery's mirror URL row with that id, or undefined (another delivery's, or not a mirror link). */
export async function mirrorTarget(db: Database, deliveryId: number, urlId: number): Promise<MirrorTarget | undefined> {
  const { Delivery, TrackingUrl } = db.models;
  const url = await TrackingUrl.findOne({ attributes: ['id'], where: { id: urlId, deliveryId, type: 'mirror' } });
  const delivery = url ? await Delivery.findByPk(deliveryId, { attributes: ['id', 'webValidityEnd', 'state'] }) : null;
  if (!url || !delivery || delivery.state === 'deleted') return undefined;
  return { urlId, deliveryId, webValidityEnd: delivery.webValidityEnd ?? null };
}

/** One view, as a tracking log row of type mirror with a unique hit id (the indicators count them). */
export async function recordMirrorView(
  db: Database,
  view: { deliveryId: number; broadLogId: number; recipientId: number | null; urlId: number; ip: string; userAgent: string },
  now: Date,
): Promise<void> {
  const { TrackingLog } = db.models;
  await db.write((transaction) =>
    TrackingLog.create(
      {
        hitId: `web-${randomUUID()}`,
        deliveryId: view.deliveryId,
        broadLogId: view.broadLogId,
        recipientId: view.recipientId,
        urlId: view.urlId,
        urlType: 'mirror',
        loggedAt: now,
        sourceId: null,
        ip: view.ip.slice(0, 64),
        userAgent: view.userAgent.slice(0, 512),
        bot: null,
        server: 'web',
        createdAt: now,
      },
      { transaction },
    ),
  );
}
