import { Op, type CreationAttributes, type WhereOptions } from 'sequelize';
import type { DeliveryKind, DeliveryState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Delivery } from '../models/index.js';

/** Deliveries: lookup by id or internal name, and changes guarded by the expected state (state changes: delivery-state.ts). */

type JsonColumns = 'target' | 'exclusions' | 'analysis' | 'pushContent';
/** Column values; the JSON columns take any serialisable value. */
export type DeliveryValues = Omit<CreationAttributes<Delivery>, JsonColumns> & { [K in JsonColumns]?: unknown };
export type DeliveryChanges = Partial<DeliveryValues>;

/** A delivery by numeric id or by internal name. */
export async function findDelivery(db: Database, ref: string | number): Promise<Delivery | null> {
  const { Delivery } = db.models;
  if (typeof ref === 'number' || /^\d+$/.test(ref)) return Delivery.findByPk(Number(ref));
  return Delivery.findOne({ where: { internalName: ref } });
}

export async function listDeliveries(db: Database, filter: { states?: DeliveryState[]; kind?: DeliveryKind; limit: number }): Promise<Delivery[]> {
  const { Delivery } = db.models;
  const where: WhereOptions<Delivery> = { isTemplate: false };
  if (filter.states?.length) Object.assign(where, { state: { [Op.in]: filter.states } });
  if (filter.kind) Object.assign(where, { kind: filter.kind });
  return Delivery.findAll({ where, order: [['id', 'DESC']], limit: filter.limit });
}

/**
 * Writes `changes` (never the state: see delivery-state.ts) only while the delivery is still in
 * state `from`: a concurrent change (another operator, the MTA) makes it return false instead.
 */
export async function updateDeliveryWhile(db: Database, id: number, from: DeliveryState, changes: Omit<DeliveryChanges, 'state'>, now: Date): Promise<boolean> {
  const { Delivery } = db.models;
  if ('state' in changes) throw new Error('a delivery state changes only through changeDeliveryState');
  const [count] = await db.write((transaction) =>
    Delivery.update({ ...(changes as Partial<Omit<Delivery, 'state'>>), updatedAt: now }, { where: { id, state: from }, transaction, silent: true }),
  );
  return count === 1;
}

/** How many deliveries have an internal name starting with `prefix` (to number proofs). */
export async function countDeliveriesNamed(db: Database, prefix: string): Promise<number> {
  const { Delivery } = db.models;
  return Delivery.count({ where: { internalName: { [Op.startsWith]: prefix } } });
}
