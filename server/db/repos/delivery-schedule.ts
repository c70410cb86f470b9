import { Op } from 'sequelize';
import type { DeliveryState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { updateLimited, type PurgeOptions } from './batched.js';

/**
 * What the time-driven delivery changes read and cancel (Adobe §2.1 steps 1 and 7): scheduled
 * deliveries whose contact date has come, deliveries past their validity and their pending
 * messages. Their state changes go through the one state writer (delivery-state.ts).
 */

export interface DueDelivery {
  id: number;
  state: DeliveryState;
  scheduledAt: Date | null;
}

/** Scheduled deliveries whose contact date has come. */
export async function dueScheduledDeliveries(db: Database, now: Date): Promise<DueDelivery[]> {
  const { Delivery } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id', 'state', 'scheduledAt'],
    where: { state: 'scheduled', scheduledAt: { [Op.lte]: now } },
    order: [['id', 'ASC']],
  });
  return rows.map((d) => ({ id: d.id, state: d.state, scheduledAt: d.scheduledAt ?? null }));
}

export interface ExpiredDelivery {
  id: number;
  state: DeliveryState;
  validityEnd: Date;
}

/** Deliveries in one of `states` whose validity ended. */
export async function expiredDeliveries(db: Database, states: readonly DeliveryState[], now: Date): Promise<ExpiredDelivery[]> {
  const { Delivery } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id', 'state', 'validityEnd'],
    where: { state: [...states], validityEnd: { [Op.lte]: now } },
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
  const { BroadLog } = db.models;
  const free = { [Op.or]: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { [Op.lt]: now } }] };
  const cancelled = await updateLimited(db, BroadLog, { status: 'cancelled', updatedAt: now }, { [Op.and]: [{ deliveryId, status: 'pending' }, free] }, o);
  const stillPending = await BroadLog.count({ where: { deliveryId, status: 'pending' } });
  return { cancelled, stillPending };
}
