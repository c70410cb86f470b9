import { fn, col, Op, type Transaction } from 'sequelize';
import type { DeliveryCounts } from '../../shared/delivery-counters.js';
import { ENDED_STATES, STARTED_STATES, type BroadLogStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import { chunks } from '../chunks.js';

/** Delivery counters: processed, sent, failed recomputed from the broad logs; new quarantines counted as they happen. */

export interface CountedDelivery {
  id: number;
  processed: number;
  sent: number;
  failed: number;
}

/** Deliveries started and not over, or that ended (finished, stopped) after `endedSince`. */
export async function deliveriesToCount(db: Database, endedSince: Date): Promise<CountedDelivery[]> {
  const { Delivery } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id', 'processed', 'sent', 'failed'],
    where: { [Op.or]: [{ state: [...STARTED_STATES] }, { state: [...ENDED_STATES], updatedAt: { [Op.gte]: endedSince } }] },
    order: [['id', 'ASC']],
  });
  return rows.map((d) => ({ id: d.id, processed: d.processed, sent: d.sent, failed: d.failed }));
}

/** Broad logs per status for each delivery. */
export async function broadLogStatusCounts(db: Database, deliveryIds: readonly number[]): Promise<Map<number, Partial<Record<BroadLogStatus, number>>>> {
  const { BroadLog } = db.models;
  const out = new Map<number, Partial<Record<BroadLogStatus, number>>>();
  for (const chunk of chunks(deliveryIds)) {
    const rows = await rawRows<{ deliveryId: number; status: BroadLogStatus; n: number | string }>(BroadLog, {
      attributes: ['deliveryId', 'status', [fn('COUNT', col('id')), 'n']],
      where: { deliveryId: chunk },
      group: ['delivery_id', 'status'],
    });
    for (const r of rows) {
      const counts = out.get(Number(r.deliveryId)) ?? {};
      counts[r.status] = Number(r.n);
      out.set(Number(r.deliveryId), counts);
    }
  }
  return out;
}

export async function setDeliveryCounters(db: Database, d: CountedDelivery): Promise<void> {
  const { Delivery } = db.models;
  await db.write((transaction) =>
    Delivery.update({ processed: d.processed, sent: d.sent, failed: d.failed }, { where: { id: d.id }, transaction, silent: true }),
  );
}

/**
 * Adds the addresses each delivery has just put into quarantine (or on the denylist) to its
 * newQuarantine counter (Adobe's @newQuarantine), inside the transaction that changed them.
 */
export async function addNewQuarantines(db: Database, byDelivery: ReadonlyMap<number, number>, transaction: Transaction): Promise<void> {
  const { Delivery } = db.models;
  for (const [id, count] of byDelivery) {
    if (count > 0) await Delivery.increment('newQuarantine', { by: count, where: { id }, transaction, silent: true });
  }
}

/** Moves the processed / sent / failed counters of each delivery by the given amounts, in the caller's transaction. */
export async function addDeliveryCounts(db: Database, byDelivery: ReadonlyMap<number, DeliveryCounts>, transaction: Transaction): Promise<void> {
  const { Delivery } = db.models;
  for (const [id, c] of byDelivery) {
    const by = Object.entries(c).filter(([, n]) => n !== 0);
    if (by.length) await Delivery.increment(Object.fromEntries(by), { where: { id }, transaction, silent: true });
  }
}

/** Adds the spam complaints counted now to each delivery's complaints counter, in the caller's transaction. */
export async function addComplaints(db: Database, byDelivery: ReadonlyMap<number, number>, transaction: Transaction): Promise<void> {
  const { Delivery } = db.models;
  for (const [id, count] of byDelivery) if (count > 0) await Delivery.increment('complaints', { by: count, where: { id }, transaction, silent: true });
}
