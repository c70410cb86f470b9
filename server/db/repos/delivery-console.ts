import { col, fn, Op, type WhereOptions } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { DeliveryState, FailureReason } from '../../shared/glossary.js';
import type { Delivery } from '../models/index.js';
import { chunks } from './workflow-population.js';

/**
 * What the console reads about deliveries: keyset pages of deliveries and templates, proofs of a
 * delivery, live failure counts by reason (the broad_logs_failures index alone), and the pending
 * messages of running deliveries split into due now and waiting for a retry.
 */

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

/** Failed messages of a delivery by reason, now (counted in the broad_logs_failures index). */
export async function failuresByReason(db: Database, deliveryId: number): Promise<Array<{ reason: FailureReason | null; messages: number }>> {
  const { BroadLog } = db.models;
  const rows = await rawRows<{ failureReason: FailureReason | null; n: number | string }>(BroadLog, {
    attributes: ['failureReason', [fn('COUNT', col('*')), 'n']],
    where: { deliveryId, status: 'failed' },
    group: ['failure_reason'],
  });
  return rows.map((r) => ({ reason: r.failureReason, messages: Number(r.n) })).sort((a, b) => b.messages - a.messages);
}

/** Pending messages of each delivery: due now (or never tried) and waiting for a later retry. */
export async function pendingByDue(db: Database, deliveryIds: readonly number[], now: Date): Promise<Map<number, { due: number; later: number }>> {
  const { BroadLog } = db.models;
  const out = new Map<number, { due: number; later: number }>();
  for (const chunk of chunks(deliveryIds)) {
    const count = async (when: WhereOptions) =>
      await rawRows<{ deliveryId: number; n: number | string }>(BroadLog, {
        attributes: ['deliveryId', [fn('COUNT', col('*')), 'n']],
        where: { deliveryId: chunk, status: 'pending', ...when },
        group: ['delivery_id'],
      });
    for (const r of await count({ [Op.or]: [{ nextAttemptAt: null }, { nextAttemptAt: { [Op.lte]: now } }] }))
      out.set(Number(r.deliveryId), { due: Number(r.n), later: 0 });
    for (const r of await count({ nextAttemptAt: { [Op.gt]: now } }))
      out.set(Number(r.deliveryId), { due: out.get(Number(r.deliveryId))?.due ?? 0, later: Number(r.n) });
  }
  return out;
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
