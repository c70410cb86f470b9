import { Op } from 'sequelize';
import type { AbTestStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { AbTest } from '../models/index.js';

/**
 * A/B tests decided by marketing workflows, and the counts a decision reads: messages sent (broad
 * logs `sent`), unique openers (recipients with any ingested hit) and unique clickers, per delivery.
 */

export interface VariantCountsRow {
  sent: number;
  openers: number;
  clickers: number;
}

export async function variantCounts(db: Database, deliveryId: number, humanOnly: boolean): Promise<VariantCountsRow> {
  const { BroadLog, TrackingLog } = db.models;
  const human = humanOnly ? { bot: null } : {};
  const sent = await BroadLog.count({ where: { deliveryId, status: 'sent' } });
  const openers = await TrackingLog.count({ where: { deliveryId, broadLogId: { [Op.ne]: null }, ...human }, distinct: true, col: 'broadLogId' });
  const clickers = await TrackingLog.count({
    where: { deliveryId, urlType: 'click', broadLogId: { [Op.ne]: null }, ...human },
    distinct: true,
    col: 'broadLogId',
  });
  return { sent, openers, clickers };
}

export type NewAbTest = Pick<
  AbTest,
  'workflowId' | 'activity' | 'waveKey' | 'criterion' | 'deliveryAId' | 'deliveryBId' | 'counts' | 'winner' | 'decidedBy' | 'status' | 'restSize' | 'decidedAt'
>;

export function findAbTest(db: Database, workflowId: number, activity: string, waveKey: string): Promise<AbTest | null> {
  const { AbTest } = db.models;
  return AbTest.findOne({ where: { workflowId, activity, waveKey } });
}

export function findAbTestById(db: Database, id: number): Promise<AbTest | null> {
  const { AbTest } = db.models;
  return AbTest.findByPk(id);
}

export async function recordAbTest(db: Database, t: NewAbTest): Promise<AbTest> {
  const { AbTest } = db.models;
  return db.write((transaction) => AbTest.create({ ...t, createdAt: t.decidedAt, updatedAt: t.decidedAt }, { transaction, silent: true }));
}

/** Moves a test from one of `from` to `to` with other columns; returns whether it moved. */
export async function setAbTestStatus(
  db: Database,
  id: number,
  from: readonly AbTestStatus[],
  to: AbTestStatus,
  now: Date,
  set: Partial<Pick<AbTest, 'taskId' | 'winnerDeliveryId' | 'confirmedBy' | 'confirmedAt'>> = {},
): Promise<boolean> {
  const { AbTest } = db.models;
  const [count] = await db.write((transaction) =>
    AbTest.update({ status: to, ...set, updatedAt: now }, { where: { id, status: from as AbTestStatus[] }, transaction, silent: true }),
  );
  return count === 1;
}

/** Tests waiting for a confirmation are cancelled with their workflow (stopped). */
export async function cancelAbTests(db: Database, workflowId: number, now: Date): Promise<number> {
  const { AbTest } = db.models;
  const [count] = await db.write((transaction) =>
    AbTest.update(
      { status: 'cancelled', updatedAt: now },
      { where: { workflowId, status: ['awaiting_confirmation', 'confirmed'] }, transaction, silent: true },
    ),
  );
  return count;
}

export interface AbTestListing {
  test: AbTest;
  workflow: string;
}

/** The latest tests, newest first (of one workflow when given). */
export async function listAbTests(db: Database, options: { workflowId?: number; limit?: number } = {}): Promise<AbTestListing[]> {
  const { AbTest, Workflow } = db.models;
  const tests = await AbTest.findAll({
    where: options.workflowId === undefined ? {} : { workflowId: options.workflowId },
    order: [['id', 'DESC']],
    limit: options.limit ?? 50,
  });
  const names = new Map(
    (await Workflow.findAll({ attributes: ['id', 'name'], where: { id: [...new Set(tests.map((t) => t.workflowId))] } })).map((w) => [w.id, w.name]),
  );
  return tests.map((test) => ({ test, workflow: names.get(test.workflowId) ?? String(test.workflowId) }));
}
