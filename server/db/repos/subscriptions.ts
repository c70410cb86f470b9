import { Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';

/** Unsubscribing recipients (List-Unsubscribe replies, complaints) and the service a delivery belongs to. */

export async function deliveryServiceIds(db: Database, deliveryIds: readonly number[], transaction?: Transaction): Promise<Map<number, number | null>> {
  const { Delivery } = db.models;
  const unique = [...new Set(deliveryIds)];
  if (unique.length === 0) return new Map();
  const rows = await Delivery.findAll({ attributes: ['id', 'serviceId'], where: { id: { [Op.in]: unique } }, transaction });
  return new Map(rows.map((r) => [r.id, r.serviceId ?? null]));
}

export interface Unsubscribe {
  recipientId: number;
  /** The service to leave; 0 unsubscribes from email altogether (the recipient is denylisted for email). */
  serviceId: number;
  origin: string;
}

/**
 * Applies one unsubscribe; returns true when something changed (repeats are no-ops). Leaving all
 * email is recorded in the history as an unsubscribe from service 0 (what reports and webhooks read).
 */
export async function unsubscribe(db: Database, request: Unsubscribe, now: Date, transaction: Transaction): Promise<boolean> {
  const { Recipient, Subscription, SubscriptionHistory } = db.models;
  if (request.serviceId === 0) {
    const [count] = await Recipient.update(
      { denylistedEmail: true, updatedAt: now },
      { where: { id: request.recipientId, denylistedEmail: false }, transaction, silent: true },
    );
    if (count > 0)
      await SubscriptionHistory.create(
        { serviceId: 0, recipientId: request.recipientId, action: 'unsubscribe', origin: request.origin, at: now },
        { transaction },
      );
    return count > 0;
  }
  const [count] = await Subscription.update(
    { status: 'unsubscribed', updatedAt: now },
    { where: { serviceId: request.serviceId, recipientId: request.recipientId, status: { [Op.ne]: 'unsubscribed' } }, transaction, silent: true },
  );
  if (count === 0) return false;
  await SubscriptionHistory.create(
    { serviceId: request.serviceId, recipientId: request.recipientId, action: 'unsubscribe', origin: request.origin, at: now },
    { transaction },
  );
  return true;
}
