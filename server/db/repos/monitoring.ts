import { Op, type WhereOptions } from 'sequelize';
import type { BounceTextStatus, FailureReason, FailureType, WorkflowRunStatus } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { BounceText, InboundMessage, WorkflowRun } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

/**
 * The monitoring page's reads (workflow runs, bounce texts to qualify, inbound mail kept for
 * review), keyset pages over their indexes, and the qualification of a bounce text (audited).
 */

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

export interface CountCursor {
  occurrences: number;
  id: number;
}

/** Bounce texts with a status, most frequent first (the (status, occurrences) index), keyset on (occurrences, id). */
export async function bounceTextPage(
  db: Database,
  status: BounceTextStatus,
  after: CountCursor | undefined,
  limit: number,
): Promise<{ rows: BounceText[]; next?: CountCursor }> {
  const { BounceText } = db.models;
  const where: WhereOptions = after
    ? { status, occurrences: { [Op.lte]: after.occurrences }, [Op.or]: [{ occurrences: { [Op.lt]: after.occurrences } }, { id: { [Op.lt]: after.id } }] }
    : { status };
  const found = await BounceText.findAll({
    where,
    order: [
      ['occurrences', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, next: found.length > limit && last ? { occurrences: last.occurrences, id: last.id } : undefined };
}

export function findBounceText(db: Database, id: number): Promise<BounceText | null> {
  const { BounceText } = db.models;
  return BounceText.findByPk(id);
}

export interface Qualification {
  status: Exclude<BounceTextStatus, 'to_qualify'>;
  failureType: FailureType;
  failureReason: FailureReason;
}

/** Qualifies a bounce text (keep with its type and reason, or ignore), audited in the same transaction. */
export async function qualifyBounceText(db: Database, id: number, q: Qualification, audit: AuditInput): Promise<boolean> {
  const { BounceText } = db.models;
  return db.write(async (transaction) => {
    const [count] = await BounceText.update({ ...q, updatedAt: audit.at }, { where: { id }, transaction, silent: true });
    if (count === 1) await auditIn(db, transaction, audit);
    return count === 1;
  });
}

export const INBOUND_REVIEW_STATUSES = ['unmatched', 'unparsable', 'forged'] as const;
export type InboundReviewStatus = (typeof INBOUND_REVIEW_STATUSES)[number];

export interface InboundCursor {
  receivedAt: Date;
  id: number;
}

/** Inbound mail kept for review with a status, newest first (the (status, received_at) index). */
export async function inboundPage(
  db: Database,
  status: InboundReviewStatus,
  before: InboundCursor | undefined,
  limit: number,
): Promise<{ rows: InboundMessage[]; next?: InboundCursor }> {
  const { InboundMessage } = db.models;
  const where: WhereOptions = before
    ? { status, receivedAt: { [Op.lte]: before.receivedAt }, [Op.or]: [{ receivedAt: { [Op.lt]: before.receivedAt } }, { id: { [Op.lt]: before.id } }] }
    : { status };
  const found = await InboundMessage.findAll({
    attributes: { exclude: ['spoolFile'] },
    where,
    order: [
      ['receivedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, next: found.length > limit && last ? { receivedAt: last.receivedAt, id: last.id } : undefined };
}
