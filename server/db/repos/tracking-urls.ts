import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { TrackingUrlType } from '../../shared/glossary.js';

/** What a tracking server needs to serve a delivery's links (the body of its URL push). */
export interface DeliveryUrlDefinition {
  deliveryId: number;
  /** End of the resources validity (mirror page and tracking); null: the links never expire. */
  validityEnd: string | null;
  urls: Array<{ id: number; type: TrackingUrlType; url: string; label: string }>;
}

export async function deliveryUrlDefinition(db: Database, deliveryId: number): Promise<DeliveryUrlDefinition | undefined> {
  const { Delivery, TrackingUrl } = db.models;
  const delivery = await Delivery.findByPk(deliveryId, { attributes: ['id', 'webValidityEnd'] });
  if (!delivery) return undefined;
  const urls = await TrackingUrl.findAll({ attributes: ['id', 'type', 'url', 'label'], where: { deliveryId }, order: [['id', 'ASC']] });
  return {
    deliveryId,
    validityEnd: delivery.webValidityEnd ? delivery.webValidityEnd.toISOString() : null,
    urls: urls.map((u) => ({ id: u.id, type: u.type, url: u.url, label: u.label ?? '' })),
  };
}

/** Deliveries whose links may still be clicked: analysed, tracked, not deleted, resources still valid. */
export async function liveTrackedDeliveryIds(db: Database, now: Date): Promise<number[]> {
  const { Delivery } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id'],
    where: {
      isTemplate: false,
      trackingEnabled: true,
      analysedAt: { [Op.ne]: null },
      state: { [Op.ne]: 'deleted' },
      [Op.or]: [{ webValidityEnd: null }, { webValidityEnd: { [Op.gt]: now } }],
    },
    order: [['id', 'ASC']],
  });
  return rows.map((r) => r.id);
}
