import { Op, type WhereOptions } from 'sequelize';
import { DAY_MS } from '../../shared/duration.js';
import type { Database } from '../connect.js';

/**
 * Ends subscriptions past their validity: their own expiry date, or, when they have none, the
 * service's validity (days since confirmation, or since creation when never confirmed). Each batch
 * writes the status and the history row ("expire") in one transaction.
 */

const LIVE = ['active', 'pending'];

/** The expiry conditions in force at `now`, one per service with a validity plus explicit expiry dates. */
export async function expiryConditions(db: Database, now: Date): Promise<WhereOptions[]> {
  const { Service } = db.models;
  const services = await Service.findAll({ attributes: ['id', 'validityDays'], where: { validityDays: { [Op.gt]: 0 } } });
  const conditions: WhereOptions[] = [{ expiresAt: { [Op.lte]: now } }];
  for (const s of services) {
    const cutoff = new Date(now.getTime() - s.validityDays! * DAY_MS);
    conditions.push({
      serviceId: s.id,
      expiresAt: null,
      [Op.or]: [{ confirmedAt: { [Op.lte]: cutoff } }, { confirmedAt: null, createdAt: { [Op.lte]: cutoff } }],
    });
  }
  return conditions;
}

/** Expires one batch of subscriptions matching `condition`; returns how many (0 when none is left). */
export async function expireBatch(db: Database, condition: WhereOptions, now: Date, batchSize: number): Promise<number> {
  const { Subscription, SubscriptionHistory } = db.models;
  return db.write(async (transaction) => {
    const due = await Subscription.findAll({
      attributes: ['id', 'serviceId', 'recipientId'],
      where: { [Op.and]: [{ status: LIVE }, condition] },
      order: [['id', 'ASC']],
      limit: batchSize,
      transaction,
    });
    if (due.length === 0) return 0;
    await Subscription.update({ status: 'unsubscribed', updatedAt: now }, { where: { id: due.map((s) => s.id) }, transaction, silent: true });
    await SubscriptionHistory.bulkCreate(
      due.map((s) => ({ serviceId: s.serviceId, recipientId: s.recipientId, action: 'expire' as const, origin: 'validity', at: now })),
      { transaction },
    );
    return due.length;
  });
}
