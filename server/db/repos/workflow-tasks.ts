import { Op } from 'sequelize';
import type { WorkflowTaskStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { WorkflowTask } from '../models/index.js';
import { chunks } from '../chunks.js';

/**
 * Populations waiting in marketing workflows. A task is written as `preparing`, filled in small
 * batches, then made `waiting` in one step: a crash while filling never leaves a partial
 * population that would later resume.
 */

export interface NewTask {
  workflowId: number;
  activity: string;
  dueAt: Date;
  context: Record<string, unknown>;
  members: readonly number[];
  originRunId: number | null;
  now: Date;
  /** `held`: waits for an operator's confirmation instead of its due time (default `waiting`). */
  hold?: boolean;
}

export async function createTask(db: Database, t: NewTask): Promise<number> {
  const { WorkflowTask, WorkflowTaskMember } = db.models;
  const stamps = { createdAt: t.now, updatedAt: t.now };
  const task = await db.write((transaction) =>
    WorkflowTask.create(
      {
        workflowId: t.workflowId,
        activity: t.activity,
        status: 'preparing',
        dueAt: t.dueAt,
        context: t.context,
        size: t.members.length,
        originRunId: t.originRunId,
        ...stamps,
      },
      { transaction, silent: true },
    ),
  );
  for (const chunk of chunks(t.members, 500)) {
    await db.write((transaction) =>
      WorkflowTaskMember.bulkCreate(
        chunk.map((recipientId) => ({ taskId: task.id, recipientId })),
        { transaction },
      ),
    );
  }
  await setTaskStatus(db, task.id, ['preparing'], t.hold ? 'held' : 'waiting', t.now);
  return task.id;
}

/** Changes a task's status if it is in one of `from`; returns whether it changed. */
export async function setTaskStatus(db: Database, id: number, from: readonly WorkflowTaskStatus[], to: WorkflowTaskStatus, now: Date): Promise<boolean> {
  const { WorkflowTask } = db.models;
  const [count] = await db.write((transaction) =>
    WorkflowTask.update({ status: to, updatedAt: now }, { where: { id, status: from as WorkflowTaskStatus[] }, transaction, silent: true }),
  );
  return count === 1;
}

/** Waiting tasks of a workflow due at `now`, oldest first. */
export function dueTasks(db: Database, workflowId: number, now: Date, limit = 100): Promise<WorkflowTask[]> {
  const { WorkflowTask } = db.models;
  return WorkflowTask.findAll({
    where: { workflowId, status: 'waiting', dueAt: { [Op.lte]: now } },
    order: [
      ['dueAt', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
  });
}

/** Ids of the workflows among `workflowIds` that have a waiting task due at `now`. */
export async function workflowsWithDueTasks(db: Database, workflowIds: readonly number[], now: Date): Promise<number[]> {
  const { WorkflowTask } = db.models;
  if (workflowIds.length === 0) return [];
  const rows = await WorkflowTask.findAll({
    attributes: ['workflowId'],
    where: { workflowId: workflowIds as number[], status: 'waiting', dueAt: { [Op.lte]: now } },
    group: ['workflow_id'],
    raw: true,
  });
  return rows.map((r) => Number(r.workflowId));
}

export function countWaitingTasks(db: Database, workflowId: number): Promise<number> {
  const { WorkflowTask } = db.models;
  return WorkflowTask.count({ where: { workflowId, status: ['preparing', 'waiting', 'held'] } });
}

/** The recipients of a task, in id order. */
export async function taskMembers(db: Database, taskId: number): Promise<number[]> {
  const { WorkflowTaskMember } = db.models;
  const ids: number[] = [];
  for (let after = 0; ;) {
    const rows = await WorkflowTaskMember.findAll({
      attributes: ['recipientId'],
      where: { taskId, recipientId: { [Op.gt]: after } },
      order: [['recipientId', 'ASC']],
      limit: 5000,
      raw: true,
    });
    if (rows.length === 0) return ids;
    for (const r of rows) ids.push(Number(r.recipientId));
    after = ids[ids.length - 1]!;
  }
}

/** Cancels every task still waiting (the workflow was stopped); returns how many. */
export async function cancelWaitingTasks(db: Database, workflowId: number, now: Date): Promise<number> {
  const { WorkflowTask } = db.models;
  const [count] = await db.write((transaction) =>
    WorkflowTask.update(
      { status: 'cancelled', updatedAt: now },
      { where: { workflowId, status: ['preparing', 'waiting', 'held'] }, transaction, silent: true },
    ),
  );
  return count;
}

/** A held task released by an operator: due now, the next poll resumes it. */
export async function releaseHeldTask(db: Database, id: number, now: Date): Promise<boolean> {
  const { WorkflowTask } = db.models;
  const [count] = await db.write((transaction) =>
    WorkflowTask.update({ status: 'waiting', dueAt: now, updatedAt: now }, { where: { id, status: 'held' }, transaction, silent: true }),
  );
  return count === 1;
}
