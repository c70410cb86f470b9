import { createHash } from 'node:crypto';
import { Op } from 'sequelize';
import type { Database, WriteTransaction } from '../connect.js';
import { notErased } from '../filters/recipient-where.js';

/**
 * Web push subscriptions per recipient (push_subscriptions). A push message's address is its
 * subscription (`push:<id>`): the analysis gives every active subscription of a targeted recipient
 * its own message, the push module reads the endpoint and keys back by that id, and a push service
 * answering 404 or 410 expires the subscription for good.
 */

export interface PushKeys {
  endpoint: string;
  /** P-256 public key of the subscription (base64url). */
  p256dh: string;
  /** Auth secret of the subscription (base64url). */
  auth: string;
}

export interface StoredSubscription extends PushKeys {
  id: number;
  recipientId: number;
  status: 'active' | 'expired';
}

export const pushAddress = (id: number): string => `push:${id}`;

/** The subscription id of a push address, or undefined. */
export function subscriptionIdOf(address: string): number | undefined {
  const m = /^push:([1-9][0-9]{0,15})$/.exec(address);
  return m ? Number(m[1]) : undefined;
}

const hashOf = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

/**
 * Stores a recipient's subscription: a new endpoint is added, a known one (the same browser
 * subscribing again, or after the recipient changed) gets the new keys and recipient and is active
 * again. Undefined when the recipient does not exist (or was erased).
 */
export async function saveSubscription(db: Database, recipientId: number, keys: PushKeys, now: Date): Promise<{ id: number; created: boolean } | undefined> {
  const { PushSubscription, Recipient } = db.models;
  return db.write(async (transaction) => {
    const recipient = await Recipient.findOne({ attributes: ['id'], where: { [Op.and]: [{ id: recipientId }, notErased] }, transaction });
    if (!recipient) return undefined;
    const endpointHash = hashOf(keys.endpoint);
    const existing = await PushSubscription.findOne({ attributes: ['id'], where: { endpointHash }, transaction });
    const values = { recipientId, endpoint: keys.endpoint, p256dh: keys.p256dh, auth: keys.auth, status: 'active' as const, failureText: null, updatedAt: now };
    if (existing) {
      await PushSubscription.update(values, { where: { id: existing.id }, transaction, silent: true });
      return { id: existing.id, created: false };
    }
    const row = await PushSubscription.create({ ...values, endpointHash, createdAt: now }, { transaction });
    return { id: row.id, created: true };
  });
}

/** The active subscription ids of each recipient, oldest first. */
export async function activeSubscriptionsOf(db: Database, recipientIds: readonly number[]): Promise<Map<number, number[]>> {
  const { PushSubscription } = db.models;
  const out = new Map<number, number[]>();
  for (let i = 0; i < recipientIds.length; i += 1000) {
    const rows = await PushSubscription.findAll({
      attributes: ['id', 'recipientId'],
      where: { recipientId: { [Op.in]: recipientIds.slice(i, i + 1000) }, status: 'active' },
      order: [['id', 'ASC']],
      raw: true,
    });
    for (const r of rows) {
      const ids = out.get(Number(r.recipientId));
      if (ids) ids.push(Number(r.id));
      else out.set(Number(r.recipientId), [Number(r.id)]);
    }
  }
  return out;
}

/** Subscriptions by id (endpoint and keys for sending). */
export async function subscriptionsByIds(db: Database, ids: readonly number[]): Promise<Map<number, StoredSubscription>> {
  const { PushSubscription } = db.models;
  const out = new Map<number, StoredSubscription>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await PushSubscription.findAll({ where: { id: { [Op.in]: ids.slice(i, i + 1000) } } });
    for (const r of rows) out.set(r.id, { id: r.id, recipientId: r.recipientId, endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth, status: r.status });
  }
  return out;
}

/** Subscriptions the push service says are gone (404, 410): expired, with the service's answer. */
export async function expireSubscriptions(
  db: Database,
  gone: ReadonlyArray<{ id: number; text: string }>,
  now: Date,
  transaction: WriteTransaction,
): Promise<void> {
  const { PushSubscription } = db.models;
  for (const g of gone)
    await PushSubscription.update({ status: 'expired', failureText: g.text.slice(0, 255), updatedAt: now }, { where: { id: g.id }, transaction, silent: true });
}
