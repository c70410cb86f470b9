import { Op } from 'sequelize';
import type { BulkActionKind, BulkActionStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Condition } from '../filters/recipient-condition.js';
import type { BulkAction } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';
import { addToList, removeFromList, subscribeTo, unsubscribeFrom } from './memberships.js';
import { eraseRecipient } from './recipient-writes.js';

/**
 * Bulk actions on a filtered selection: the job row (progress, where the next batch starts), and
 * what one batch does to its recipients. Each batch is its own short transactions, so the console
 * and other writers get their turn between batches.
 */

export interface NewBulkAction {
  operatorId: number | null;
  action: BulkActionKind;
  condition: Condition;
  segmentId: number | null;
  listId: number | null;
  serviceId: number | null;
  total: number;
}

/** Creates the job (status running) with its audit line "started". */
export function createBulkAction(db: Database, input: NewBulkAction, audit: AuditInput): Promise<BulkAction> {
  return db.write(async (transaction) => {
    const now = audit.at;
    const job = await db.models.BulkAction.create({ ...input, status: 'running', createdAt: now, updatedAt: now }, { transaction });
    await auditIn(db, transaction, { ...audit, targetType: 'bulk_action', targetId: job.id, detail: { ...audit.detail, total: input.total } });
    return job;
  });
}

export function findBulkAction(db: Database, id: number): Promise<BulkAction | null> {
  return db.models.BulkAction.findByPk(id);
}

export function recentBulkActions(db: Database, limit: number): Promise<BulkAction[]> {
  return db.models.BulkAction.findAll({ order: [['id', 'DESC']], limit });
}

/** Jobs a stopped web module left running or interrupted (resumed from their last id). */
export function unfinishedBulkActions(db: Database): Promise<BulkAction[]> {
  return db.models.BulkAction.findAll({ where: { status: { [Op.in]: ['running', 'interrupted'] } }, order: [['id', 'ASC']] });
}

export async function recordBulkProgress(db: Database, id: number, progress: { done: number; affected: number; lastId: number }, now: Date): Promise<void> {
  await db.write((transaction) => db.models.BulkAction.update({ ...progress, updatedAt: now }, { where: { id }, transaction, silent: true }));
}

/** Ends a job (finished, failed with its error, interrupted) with its audit line when it finished or failed. */
export async function endBulkAction(
  db: Database,
  id: number,
  status: Exclude<BulkActionStatus, 'running'>,
  audit: AuditInput | null,
  error?: string,
): Promise<void> {
  await db.write(async (transaction) => {
    const now = audit?.at ?? new Date();
    await db.models.BulkAction.update(
      { status, error: error?.slice(0, 500) ?? null, updatedAt: now, finishedAt: status === 'interrupted' ? null : now },
      { where: { id }, transaction, silent: true },
    );
    if (audit) await auditIn(db, transaction, { ...audit, targetType: 'bulk_action', targetId: id });
  });
}

export async function markRunning(db: Database, id: number): Promise<void> {
  await db.write((transaction) => db.models.BulkAction.update({ status: 'running' }, { where: { id }, transaction }));
}

export interface BatchTarget {
  listName?: string;
  listId?: number;
  serviceName?: string;
}

/** Applies the action to one batch of recipients; returns how many changed. */
export async function applyBulkBatch(
  db: Database,
  action: BulkActionKind,
  ids: readonly number[],
  target: BatchTarget,
  audit: Omit<AuditInput, 'action'>,
): Promise<number> {
  const now = audit.at;
  switch (action) {
    case 'addToList':
      return addToList(db, target.listId!, ids, now);
    case 'removeFromList':
      return removeFromList(db, target.listName!, ids);
    case 'subscribe':
      return subscribeTo(db, target.serviceName!, ids, now, 'console');
    case 'unsubscribe':
      return unsubscribeFrom(db, target.serviceName!, ids, now);
    case 'denylist':
      return db.write(async (transaction) => {
        const [n] = await db.models.Recipient.update(
          { denylisted: true, updatedAt: now },
          { where: { id: { [Op.in]: [...ids] }, denylisted: false }, transaction, silent: true },
        );
        return n;
      });
    case 'erase': {
      let erased = 0;
      for (const id of ids) if (await eraseRecipient(db, id, { ...audit, action: 'recipient_erased' })) erased++;
      return erased;
    }
  }
}
