import { col, fn, Op, type WhereOptions } from 'sequelize';
import type { FailureReason } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import { chunks } from '../chunks.js';

/**
 * Broad logs counted per delivery while it sends: failed messages by reason (the
 * broad_logs_failures index alone), and pending messages split into due now and waiting for a retry.
 */

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
