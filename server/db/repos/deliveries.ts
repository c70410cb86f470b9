import { Op, type CreationAttributes, type WhereOptions } from 'sequelize';
import type { DeliveryKind, DeliveryState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { Delivery } from '../models/index.js';

/** Deliveries: creation, lookup by id or internal name, and state changes guarded by the expected state. */

type JsonColumns = 'target' | 'exclusions' | 'analysis';
/** Column values; the JSON columns take any serialisable value. */
export type DeliveryValues = Omit<CreationAttributes<Delivery>, JsonColumns> & { [K in JsonColumns]?: unknown };
export type DeliveryChanges = Partial<DeliveryValues>;

export async function createDelivery(db: Database, values: DeliveryValues): Promise<Delivery> {
  return db.write((transaction) => Delivery.create(values as CreationAttributes<Delivery>, { transaction }));
}

/** A delivery by numeric id or by internal name. */
export async function findDelivery(ref: string | number): Promise<Delivery | null> {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) return Delivery.findByPk(Number(ref));
  return Delivery.findOne({ where: { internalName: ref } });
}

export async function listDeliveries(filter: { states?: DeliveryState[]; kind?: DeliveryKind; limit: number }): Promise<Delivery[]> {
  const where: WhereOptions<Delivery> = { isTemplate: false };
  if (filter.states?.length) Object.assign(where, { state: { [Op.in]: filter.states } });
  if (filter.kind) Object.assign(where, { kind: filter.kind });
  return Delivery.findAll({ where, order: [['id', 'DESC']], limit: filter.limit });
}

/**
 * Writes `changes` only if the delivery is still in state `from` (compare-and-set): a concurrent
 * change (another operator, the MTA) makes it return false instead of being overwritten.
 */
export async function updateDeliveryIf(db: Database, id: number, from: DeliveryState, changes: DeliveryChanges, now: Date): Promise<boolean> {
  const [count] = await db.write((transaction) =>
    Delivery.update({ ...changes, updatedAt: now } as Partial<Delivery>, { where: { id, state: from }, transaction, silent: true }),
  );
  return count === 1;
}

/** How many deliveries have an internal name starting with `prefix` (to number proofs). */
export async function countDeliveriesNamed(prefix: string): Promise<number> {
  return Delivery.count({ where: { internalName: { [Op.startsWith]: prefix } } });
}
