import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../connect.js';
import type { DeliveryState } from '../../shared/glossary.js';
import type { Delivery } from '../models/index.js';

/** Deliveries listed: keyset pages of deliveries and templates, template choices, the proofs of a delivery, and deliveries by state. */

export interface DeliveryPageInput {
  templates: boolean;
  states?: readonly DeliveryState[];
  /** The id of the last row of the previous page (pages go from newest to oldest). */
  before?: number;
  limit: number;
}

/** Deliveries (proofs left out) or templates, newest first, keyset on id. */
export async function deliveryPage(db: Database, input: DeliveryPageInput): Promise<{ rows: Delivery[]; next?: number }> {
  const { Delivery } = db.models;
  const where: WhereOptions<Delivery> = { isTemplate: input.templates, kind: { [Op.ne]: 'proof' } };
  if (input.states?.length) Object.assign(where, { state: { [Op.in]: input.states } });
  if (input.before) Object.assign(where, { id: { [Op.lt]: input.before } });
  const attributes = [
    'id',
    'internalName',
    'label',
    'kind',
    'state',
    'isTemplate',
    'toDeliver',
    'processed',
    'sent',
    'failed',
    'createdAt',
    'startedAt',
    'finishedAt',
  ];
  const found = await Delivery.findAll({ attributes, where, order: [['id', 'DESC']], limit: input.limit + 1 });
  const rows = found.slice(0, input.limit);
  return { rows, next: found.length > input.limit ? rows[rows.length - 1]!.id : undefined };
}

/** Templates for the "new delivery" picker (id and label), newest first. */
export function templateChoices(db: Database, limit = 200): Promise<Delivery[]> {
  const { Delivery } = db.models;
  return Delivery.findAll({
    attributes: ['id', 'label', 'internalName'],
    where: { isTemplate: true, state: { [Op.ne]: 'deleted' } },
    order: [['id', 'DESC']],
    limit,
  });
}

/** The proofs sent of a delivery (named `<name>-proof-<n>`, the unique name index in order), newest first. */
export async function proofsOf(db: Database, internalName: string, limit = 10): Promise<Delivery[]> {
  const { Delivery } = db.models;
  const prefix = `${internalName.slice(0, 80)}-proof-`;
  const rows = await Delivery.findAll({
    attributes: ['id', 'internalName', 'state', 'toDeliver', 'sent', 'failed', 'createdAt'],
    where: { kind: 'proof', internalName: { [Op.startsWith]: prefix } },
    order: [['id', 'DESC']],
    limit,
  });
  // "_" in a name is a LIKE wildcard: keep only the exact prefix.
  return rows.filter((d) => d.internalName.startsWith(prefix));
}

/** Deliveries in one of `states` (monitoring: the running ones; recent errors: the failed ones), latest change first. */
export function deliveriesIn(db: Database, states: readonly DeliveryState[], limit: number): Promise<Delivery[]> {
  const { Delivery } = db.models;
  return Delivery.findAll({
    attributes: ['id', 'internalName', 'label', 'kind', 'state', 'toDeliver', 'processed', 'sent', 'failed', 'lastError', 'startedAt', 'updatedAt'],
    where: { state: { [Op.in]: states }, isTemplate: false },
    order: [['updatedAt', 'DESC']],
    limit,
  });
}
