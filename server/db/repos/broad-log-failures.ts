import { Op, type Transaction } from 'sequelize';
import type { BroadLogStatus, FailureReason, FailureType } from '../../shared/glossary.js';
import { BroadLog } from '../models/index.js';

/** Broad-log reads and failure updates for bounces, shared by the MTA (synchronous) and inMail (asynchronous). */

export interface BroadLogTarget {
  id: number;
  deliveryId: number;
  recipientId: number | null;
  address: string;
  status: BroadLogStatus;
}

const CHUNK = 500;

export async function broadLogsByIds(ids: readonly number[], transaction?: Transaction): Promise<Map<number, BroadLogTarget>> {
  const out = new Map<number, BroadLogTarget>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await BroadLog.findAll({
      attributes: ['id', 'deliveryId', 'recipientId', 'address', 'status'],
      where: { id: { [Op.in]: unique.slice(i, i + CHUNK) } },
      transaction,
    });
    for (const r of rows) out.set(r.id, { id: r.id, deliveryId: r.deliveryId, recipientId: r.recipientId, address: r.address, status: r.status });
  }
  return out;
}

export interface BroadLogFailure {
  id: number;
  /** The new status (failed), or undefined to keep it (ignored failures such as auto-replies). */
  status?: BroadLogStatus;
  failureType: FailureType;
  failureReason: FailureReason;
  failureText: string;
  bounceTextId: number | null;
}

export async function markBroadLogFailures(failures: readonly BroadLogFailure[], now: Date, transaction: Transaction): Promise<void> {
  for (const { id, status, ...values } of failures) {
    await BroadLog.update({ ...values, ...(status ? { status } : {}), updatedAt: now }, { where: { id }, transaction, silent: true });
  }
}
