import { Op } from 'sequelize';
import { ACTIVE_STATES, type DeliveryState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { BroadLog, Delivery } from '../models/index.js';
import { updateLimited, type PurgeOptions } from './batched.js';

/**
 * Time-driven delivery state changes (Adobe §2.1 steps 1 and 7): scheduled deliveries whose contact
 * date has come move to Start pending; at the end of the validity period, Pending messages become
 * Cancelled and the delivery Finished (its end = the validity end).
 */

/** Scheduled deliveries whose time has come become start_pending; returns how many. */
export async function startDueDeliveries(db: Database, now: Date): Promise<number> {
  const [count] = await db.write((transaction) =>
    Delivery.update({ state: 'start_pending', updatedAt: now }, { where: { state: 'scheduled', scheduledAt: { [Op.lte]: now } }, transaction, silent: true }),
  );
  return count;
}

/** States whose pending messages are cancelled when the validity ends; all but `stopped` then finish. */
export const EXPIRING_STATES: readonly DeliveryState[] = ['ready', ...ACTIVE_STATES, 'stopped'];

export interface ExpiredDelivery {
  id: number;
  state: DeliveryState;
  validityEnd: Date;
}

export async function expiredDeliveries(now: Date): Promise<ExpiredDelivery[]> {
  const rows = await Delivery.findAll({
    attributes: ['id', 'state', 'validityEnd'],
    where: { state: [...EXPIRING_STATES], validityEnd: { [Op.lte]: now } },
    order: [['id', 'ASC']],
  });
  return rows.map((d) => ({ id: d.id, state: d.state, validityEnd: d.validityEnd! }));
}

/**
 * Cancels the delivery's pending messages that no MTA holds (a held one is cancelled on a later
 * run, once its lease ends); returns how many, and how many stay pending.
 */
export async function cancelPendingMessages(
  db: Database,
  deliveryId: number,
  now: Date,
  o: PurgeOptions,
): Promise<{ cancelled: number; stillPending: number }> {
  const free = { [Op.or]: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { [Op.lt]: now } }] };
  const cancelled = await updateLimited(db, BroadLog, { status: 'cancelled', updatedAt: now }, { [Op.and]: [{ deliveryId, status: 'pending' }, free] }, o);
  const stillPending = await BroadLog.count({ where: { deliveryId, status: 'pending' } });
  return { cancelled, stillPending };
}

/** Finishes an expired delivery still in `from` (its end is the validity end); returns whether it changed. */
export async function finishExpiredDelivery(db: Database, d: ExpiredDelivery, now: Date): Promise<boolean> {
  const [count] = await db.write((transaction) =>
    Delivery.update({ state: 'finished', finishedAt: d.validityEnd, updatedAt: now }, { where: { id: d.id, state: d.state }, transaction, silent: true }),
  );
  return count === 1;
}
