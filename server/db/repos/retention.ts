import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import { purgeByIds, purgeLimited, type PurgeOptions } from './batched.js';
import { chunks } from '../chunks.js';

/**
 * Data past its retention, deleted: one function per kind of data, each returning how many rows it
 * deleted. `cutoff` is the retention limit: rows older than it go. The cleanup workflow
 * (server/workflows/technical/cleanup.ts) orders them and turns retention days into cutoffs.
 */

type Counts = Record<string, number>;

/** Lists past their expiry date, members first. */
export async function purgeExpiredLists(db: Database, now: Date, o: PurgeOptions): Promise<Counts> {
  const { List, ListMember } = db.models;
  const lists = await List.findAll({ attributes: ['id'], where: { expiresAt: { [Op.lt]: now } }, raw: true });
  let members = 0;
  for (const { id } of lists) {
    members += await purgeLimited(db, ListMember, { listId: id }, o);
    await db.write((transaction) => List.destroy({ where: { id }, transaction }));
  }
  return { lists: lists.length, listMembers: members };
}

/** Deliveries deleted before the cutoff, with their broad logs, tracking, exclusions and indicators. */
export async function purgeDeletedDeliveries(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { BroadLog, Delivery, DeliveryFailureStat, DeliveryIndicator, ExclusionLog, TrackingLog, TrackingStat } = db.models;
  const deliveries = await Delivery.findAll({ attributes: ['id'], where: { state: 'deleted', updatedAt: { [Op.lt]: cutoff } }, raw: true });
  const counts: Counts = { deliveries: deliveries.length, broadLogs: 0, trackingLogs: 0, exclusionLogs: 0, trackingStats: 0 };
  for (const { id: deliveryId } of deliveries) {
    counts.broadLogs! += await purgeLimited(db, BroadLog, { deliveryId }, o);
    counts.trackingLogs! += await purgeLimited(db, TrackingLog, { deliveryId }, o);
    counts.exclusionLogs! += await purgeLimited(db, ExclusionLog, { deliveryId }, o);
    counts.trackingStats! += await purgeLimited(db, TrackingStat, { deliveryId }, o);
    await db.write(async (transaction) => {
      await DeliveryIndicator.destroy({ where: { deliveryId }, transaction });
      await DeliveryFailureStat.destroy({ where: { deliveryId }, transaction });
      await Delivery.destroy({ where: { id: deliveryId }, transaction }); // its tracking URLs cascade
    });
  }
  return counts;
}

/** Exclusion logs of deliveries whose validity ended before the cutoff. */
export async function purgeExpiredDeliveryData(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { Delivery, ExclusionLog } = db.models;
  const expired = await Delivery.findAll({ attributes: ['id'], where: { validityEnd: { [Op.lt]: cutoff } }, raw: true });
  let exclusionLogs = 0;
  for (const chunk of chunks(expired.map((d) => Number(d.id)))) {
    const withLogs = await ExclusionLog.findAll({ attributes: ['deliveryId'], where: { deliveryId: chunk }, group: ['delivery_id'], raw: true });
    for (const { deliveryId } of withLogs) exclusionLogs += await purgeLimited(db, ExclusionLog, { deliveryId }, o);
  }
  return { exclusionLogs };
}

/** Workflow runs started before the cutoff, and finished workflow tasks with their members. */
export async function purgeWorkflowJournal(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { WorkflowRun, WorkflowTask, WorkflowTaskMember } = db.models;
  const workflowRuns = await purgeLimited(db, WorkflowRun, { startedAt: { [Op.lt]: cutoff }, status: { [Op.ne]: 'running' } }, o);
  const tasks = await WorkflowTask.findAll({
    attributes: ['id'],
    where: { status: ['preparing', 'done', 'cancelled'], updatedAt: { [Op.lt]: cutoff } },
    raw: true,
  });
  for (const { id: taskId } of tasks) {
    await purgeLimited(db, WorkflowTaskMember, { taskId }, o);
    await db.write((transaction) => WorkflowTask.destroy({ where: { id: taskId }, transaction }));
  }
  return { workflowRuns, workflowTasks: tasks.length };
}

/** Inbound mail received before the cutoff; `onDeleted` sees each batch's spool files. */
export async function purgeInboundMessages(db: Database, cutoff: Date, o: PurgeOptions, onDeleted: (spoolFiles: string[]) => Promise<void>): Promise<Counts> {
  const { InboundMessage } = db.models;
  const where = { status: ['unmatched', 'unparsable', 'forged', 'reviewed'], receivedAt: { [Op.lt]: cutoff } };
  const inboundMessages = await purgeByIds(db, InboundMessage, where, o, {
    attributes: ['spoolFile'],
    onBatch: (rows) => onDeleted(rows.map((r) => r.spoolFile).filter((f): f is string => typeof f === 'string' && f !== '')),
  });
  return { inboundMessages };
}

/** Console imports that ended before the cutoff; `onDeleted` gets their ids (to delete their reject reports). */
export async function purgeImportJobs(db: Database, cutoff: Date, o: PurgeOptions, onDeleted: (jobIds: number[]) => Promise<void>): Promise<Counts> {
  const { ImportJob } = db.models;
  const where = { status: ['finished', 'failed'], finishedAt: { [Op.lt]: cutoff } };
  return { importJobs: await purgeByIds(db, ImportJob, where, o, { onBatch: (rows) => onDeleted(rows.map((r) => Number(r.id))) }) };
}

/** Addresses released to "valid" before the cutoff. */
export async function purgeValidQuarantines(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { Quarantine } = db.models;
  return { validQuarantines: await purgeLimited(db, Quarantine, { status: 'valid', updatedAt: { [Op.lt]: cutoff } }, o) };
}

export async function purgeTrackingLogs(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { TrackingLog } = db.models;
  return { trackingLogs: await purgeLimited(db, TrackingLog, { loggedAt: { [Op.lt]: cutoff } }, o) };
}

export async function purgeTrackingStats(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { TrackingStat } = db.models;
  return { trackingStats: await purgeByIds(db, TrackingStat, { slotStart: { [Op.lt]: cutoff } }, o) };
}

/** Broad logs not changed since the cutoff (no index serves this: found by reading, deleted by id). */
export async function purgeBroadLogs(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { BroadLog } = db.models;
  return { broadLogs: await purgeByIds(db, BroadLog, { updatedAt: { [Op.lt]: cutoff } }, o) };
}

export async function purgeSmtpStats(db: Database, cutoff: Date, o: PurgeOptions): Promise<Counts> {
  const { SmtpStat } = db.models;
  return { smtpStats: await purgeLimited(db, SmtpStat, { slotStart: { [Op.lt]: cutoff } }, o) };
}
