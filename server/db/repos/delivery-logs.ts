import { Op, type ModelStatic, type Model, type Transaction } from 'sequelize';
import { purgeLimited } from './batched.js';
import type { BroadLogStatus, EmailFormat, FailureReason } from '../../shared/glossary.js';
import type { Database } from '../connect.js';

/**
 * Broad logs and exclusion logs as an analysis writes them: bulk inserts in batches (at most 1000
 * rows per INSERT … VALUES, SQL Server's limit; values are inlined by Sequelize, so the 2100-bind
 * parameter limit does not apply), and the batched delete of a previous analysis.
 */

export interface PendingMessage {
  recipientId: number | null;
  address: string;
  emailFormat: EmailFormat;
}

export interface Exclusion {
  recipientId: number | null;
  address: string | null;
  reason: FailureReason;
  detail?: string;
}

const ROWS_PER_INSERT = 1000;

function columnsOf(model: ModelStatic<Model>) {
  return Object.fromEntries(Object.values(model.getAttributes()).map((a) => [a.field!, a]));
}

async function bulkInsert(db: Database, model: ModelStatic<Model>, rows: Array<Record<string, unknown>>, transaction: Transaction): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  const columns = columnsOf(model);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await qi.bulkInsert(model.getTableName() as string, rows.slice(i, i + ROWS_PER_INSERT), { transaction }, columns);
}

/** One analysis batch: its pending broad logs and its exclusion logs, in one transaction. */
export async function writeAnalysisBatch(
  db: Database,
  deliveryId: number,
  messages: readonly PendingMessage[],
  exclusions: readonly Exclusion[],
  now: Date,
): Promise<void> {
  const { BroadLog, ExclusionLog } = db.models;
  if (messages.length === 0 && exclusions.length === 0) return;
  const status: BroadLogStatus = 'pending';
  await db.write(async (transaction) => {
    const logs = messages.map((m) => ({
      delivery_id: deliveryId,
      recipient_id: m.recipientId,
      address: m.address,
      email_format: m.emailFormat,
      status,
      attempts: 0,
      next_attempt_at: null,
      created_at: now,
      updated_at: now,
    }));
    await bulkInsert(db, BroadLog, logs, transaction);
    const excluded = exclusions.map((e) => ({
      delivery_id: deliveryId,
      recipient_id: e.recipientId,
      address: e.address,
      reason: e.reason,
      detail: e.detail?.slice(0, 255) ?? null,
      created_at: now,
    }));
    await bulkInsert(db, ExclusionLog, excluded, transaction);
  });
}

/**
 * Removes what a previous analysis of the delivery wrote (its messages were never sent), in short
 * write transactions (at most 4000 rows each: below SQL Server's lock escalation threshold).
 */
export async function clearAnalysis(db: Database, deliveryId: number, batch: number): Promise<void> {
  const { BroadLog, ExclusionLog } = db.models;
  const options = { batchSize: Math.min(batch, 4000), pauseMs: 0 };
  await purgeLimited(db, BroadLog, { deliveryId }, options);
  await purgeLimited(db, ExclusionLog, { deliveryId }, options);
}

export interface BroadLogRef {
  id: number;
  deliveryId: number;
  recipientId: number | null;
  address: string;
  emailFormat: EmailFormat;
  status: BroadLogStatus;
}

/** The broad logs of a delivery after `afterId`, in id order. */
export async function broadLogsOf(db: Database, deliveryId: number, afterId: number, limit: number): Promise<BroadLogRef[]> {
  const { BroadLog } = db.models;
  const rows = await BroadLog.findAll({
    attributes: ['id', 'deliveryId', 'recipientId', 'address', 'emailFormat', 'status'],
    where: { deliveryId, id: { [Op.gt]: afterId } },
    order: [['id', 'ASC']],
    limit,
  });
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.deliveryId,
    recipientId: r.recipientId,
    address: r.address,
    emailFormat: r.emailFormat,
    status: r.status,
  }));
}

export async function findBroadLog(db: Database, id: number): Promise<BroadLogRef | undefined> {
  const { BroadLog } = db.models;
  const r = await BroadLog.findByPk(id);
  return r ? { id: r.id, deliveryId: r.deliveryId, recipientId: r.recipientId, address: r.address, emailFormat: r.emailFormat, status: r.status } : undefined;
}
