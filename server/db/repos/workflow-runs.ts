import { Op, type WhereOptions } from 'sequelize';
import type { WorkflowRunStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { WorkflowRun } from '../models/index.js';

/** The journal of workflow runs as the console reads it: latest runs, and keyset pages of one workflow's runs. */

export interface RunLine {
  id: number;
  workflowId: number;
  workflow: string;
  trigger: string;
  status: WorkflowRunStatus;
  startedAt: Date;
  durationMs: number | null;
  counts: Record<string, number> | null;
  error: string | null;
}

async function withNames(db: Database, runs: WorkflowRun[]): Promise<RunLine[]> {
  const { Workflow } = db.models;
  const names = new Map(
    (await Workflow.findAll({ attributes: ['id', 'name'], where: { id: [...new Set(runs.map((r) => r.workflowId))] } })).map((w) => [w.id, w.name]),
  );
  return runs.map((r) => ({
    id: r.id,
    workflowId: r.workflowId,
    workflow: names.get(r.workflowId) ?? '',
    trigger: r.trigger,
    status: r.status,
    startedAt: r.startedAt,
    durationMs: r.durationMs ?? null,
    counts: r.counts ?? null,
    error: r.error ?? null,
  }));
}

/** The latest runs of every workflow (the started_at index), or only those with a status (the workflow_runs_status index). */
export async function latestRunLines(db: Database, limit: number, status?: WorkflowRunStatus): Promise<RunLine[]> {
  const { WorkflowRun } = db.models;
  return withNames(
    db,
    await WorkflowRun.findAll({
      where: status ? { status } : {},
      order: [
        ['startedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit,
    }),
  );
}

export interface RunCursor {
  startedAt: Date;
  id: number;
}

/** A page of one workflow's journal, newest first, keyset on (started_at, id). */
export async function runPage(
  db: Database,
  workflowId: number,
  before: RunCursor | undefined,
  limit: number,
): Promise<{ rows: WorkflowRun[]; next?: RunCursor }> {
  const { WorkflowRun } = db.models;
  const where: WhereOptions = before
    ? { workflowId, startedAt: { [Op.lte]: before.startedAt }, [Op.or]: [{ startedAt: { [Op.lt]: before.startedAt } }, { id: { [Op.lt]: before.id } }] }
    : { workflowId };
  const found = await WorkflowRun.findAll({
    where,
    order: [
      ['startedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, next: found.length > limit && last ? { startedAt: last.startedAt, id: last.id } : undefined };
}
