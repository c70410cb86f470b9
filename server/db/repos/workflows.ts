import { Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import type { WorkflowRunStatus, WorkflowRunTrigger, WorkflowState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Workflow, WorkflowRun } from '../models/index.js';
import { inSavepoint } from '../savepoint.js';

/**
 * Workflows, their lease and their run journal. Every lease change is one conditional UPDATE, so
 * two wfserver processes (or a wfserver and `herald workflow run`) can race on it safely: the
 * database decides who wins, on SQLite and on SQL Server alike.
 */

export interface TechnicalWorkflowDef {
  name: string;
  label: string;
  schedule: string;
  enabled: boolean;
}

/**
 * Creates missing technical workflows (started, their schedule counted from `now`) and applies the
 * config's schedule and switch. Safe when several wfservers start at once: rows are re-read inside
 * the write transaction, and a row another process created meanwhile is left alone.
 */
export async function syncTechnicalWorkflows(db: Database, defs: readonly TechnicalWorkflowDef[], now: Date): Promise<void> {
  const { Workflow } = db.models;
  const differs = (row: Workflow | undefined, d: TechnicalWorkflowDef) =>
    !row || row.schedule !== d.schedule || row.enabled !== d.enabled || row.label !== d.label;
  const current = async (transaction?: Transaction) =>
    new Map((await Workflow.findAll({ where: { name: defs.map((d) => d.name) }, transaction })).map((w) => [w.name, w]));
  const before = await current();
  if (!defs.some((d) => differs(before.get(d.name), d))) return;
  await db.write(async (transaction) => {
    const rows = await current(transaction);
    for (const def of defs.filter((d) => differs(rows.get(d.name), d))) {
      const row = rows.get(def.name);
      if (row)
        await Workflow.update({ schedule: def.schedule, enabled: def.enabled, label: def.label }, { where: { id: row.id, kind: 'technical' }, transaction });
      else await createIfAbsent(db, def, now, transaction);
    }
  });
}

async function createIfAbsent(db: Database, def: TechnicalWorkflowDef, now: Date, transaction: Transaction): Promise<void> {
  const { Workflow } = db.models;
  try {
    await inSavepoint(db, transaction, (t) =>
      Workflow.create(
        { name: def.name, label: def.label, kind: 'technical', state: 'started', schedule: def.schedule, enabled: def.enabled, lastRunAt: now },
        { transaction: t },
      ),
    );
  } catch (err) {
    if (!(err instanceof UniqueConstraintError)) throw err; // another wfserver created it meanwhile
  }
}

export function findWorkflow(db: Database, name: string): Promise<Workflow | null> {
  const { Workflow } = db.models;
  return Workflow.findOne({ where: { name } });
}

export function findWorkflowById(db: Database, id: number): Promise<Workflow | null> {
  const { Workflow } = db.models;
  return Workflow.findByPk(id);
}

export function listWorkflows(db: Database, where: WhereOptions<Workflow> = {}): Promise<Workflow[]> {
  const { Workflow } = db.models;
  return Workflow.findAll({
    where,
    order: [
      ['kind', 'DESC'],
      ['name', 'ASC'],
    ],
  });
}

/** Changes a workflow's state if it is in one of `from`; returns whether it changed. */
export async function setWorkflowState(
  db: Database,
  id: number,
  from: readonly WorkflowState[],
  to: WorkflowState,
  extra: { lastRunAt?: Date } = {},
): Promise<boolean> {
  const { Workflow } = db.models;
  const [count] = await db.write((transaction) => Workflow.update({ state: to, ...extra }, { where: { id, state: from as WorkflowState[] }, transaction }));
  return count > 0;
}

export interface NewMarketingWorkflow {
  name: string;
  label: string;
  schedule: string | null;
  /** The IANA zone the schedule is read in (canonical); null: the wfserver's zone. */
  timeZone: string | null;
  definition: object;
}

/** Creates or replaces a marketing workflow's definition; refused (false) while it is started. */
export async function saveMarketingWorkflow(db: Database, input: NewMarketingWorkflow): Promise<'created' | 'updated' | 'refused'> {
  const { Workflow } = db.models;
  return db.write(async (transaction) => {
    const row = await Workflow.findOne({ where: { name: input.name }, transaction });
    if (!row) {
      await Workflow.create({ ...input, kind: 'marketing', state: 'editing', enabled: true }, { transaction });
      return 'created';
    }
    if (row.kind !== 'marketing' || row.state === 'started') return 'refused';
    await Workflow.update(
      { label: input.label, schedule: input.schedule, timeZone: input.timeZone, definition: input.definition },
      { where: { id: row.id }, transaction },
    );
    return 'updated';
  });
}

const leaseFree = (now: Date) => ({ [Op.or]: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { [Op.lt]: now } }] });
const slotOpen = (slot: Date) => ({ [Op.or]: [{ lastRunAt: null }, { lastRunAt: { [Op.lt]: slot } }] });

export interface LeaseRequest {
  workflowId: number;
  owner: string;
  now: Date;
  leaseMs: number;
  /** Claim this schedule slot too (it must be later than the last one claimed). */
  slot?: Date;
  /** Only a started, enabled workflow can be claimed. */
  requireActive: boolean;
}

/** Takes the lease if it is free (and the slot still open); returns whether this owner got it. */
export async function takeLease(db: Database, r: LeaseRequest): Promise<boolean> {
  const { Workflow } = db.models;
  const conditions: WhereOptions[] = [{ id: r.workflowId }, leaseFree(r.now)];
  if (r.slot) conditions.push(slotOpen(r.slot));
  if (r.requireActive) conditions.push({ state: 'started', enabled: true });
  const values = { leaseOwner: r.owner, leaseExpiresAt: new Date(r.now.getTime() + r.leaseMs), ...(r.slot ? { lastRunAt: r.slot } : {}) };
  const [count] = await db.write((transaction) => Workflow.update(values, { where: { [Op.and]: conditions }, transaction, silent: true }));
  return count === 1;
}

/** Marks a slot as handled without running it (its run was refused); true for the one process that did. */
export async function consumeSlot(db: Database, workflowId: number, slot: Date): Promise<boolean> {
  const { Workflow } = db.models;
  const [count] = await db.write((transaction) =>
    Workflow.update({ lastRunAt: slot }, { where: { [Op.and]: [{ id: workflowId }, slotOpen(slot)] }, transaction, silent: true }),
  );
  return count === 1;
}

/** Extends the lease while its owner still holds it; false when it was lost (expired and taken over). */
export async function renewLease(db: Database, workflowId: number, owner: string, until: Date): Promise<boolean> {
  const { Workflow } = db.models;
  const [count] = await db.write((transaction) =>
    Workflow.update({ leaseExpiresAt: until }, { where: { id: workflowId, leaseOwner: owner }, transaction, silent: true }),
  );
  return count === 1;
}

export async function releaseLease(db: Database, workflowId: number, owner: string): Promise<void> {
  const { Workflow } = db.models;
  await db.write((transaction) =>
    Workflow.update({ leaseOwner: null, leaseExpiresAt: null }, { where: { id: workflowId, leaseOwner: owner }, transaction, silent: true }),
  );
}

export interface NewRun {
  workflowId: number;
  trigger: WorkflowRunTrigger;
  slot: Date | null;
  owner: string;
  startedAt: Date;
}

/**
 * Journals a run that starts now. The caller holds the lease, so a run of this workflow still
 * marked `running` was abandoned (its process died, its lease expired): it is closed as failed first.
 */
export async function openRun(db: Database, run: NewRun): Promise<number> {
  const { WorkflowRun } = db.models;
  return db.write(async (transaction) => {
    await WorkflowRun.update(
      { status: 'failed', endedAt: run.startedAt, error: 'abandoned: its wfserver stopped before the run ended (lease expired)' },
      { where: { workflowId: run.workflowId, status: 'running' }, transaction },
    );
    const row = await WorkflowRun.create({ ...run, status: 'running' }, { transaction });
    return row.id;
  });
}

export interface RunEnd {
  status: Exclude<WorkflowRunStatus, 'running'>;
  endedAt: Date;
  durationMs: number;
  counts: Record<string, number>;
  error: string | null;
}

export async function closeRun(db: Database, runId: number, end: RunEnd): Promise<void> {
  const { WorkflowRun } = db.models;
  await db.write((transaction) => WorkflowRun.update(end, { where: { id: runId }, transaction }));
}

/** Journals a run that was refused (its previous run still holds the lease). */
export async function journalSkipped(db: Database, run: NewRun, reason: string): Promise<void> {
  const { WorkflowRun } = db.models;
  await db.write((transaction) => WorkflowRun.create({ ...run, status: 'skipped', endedAt: run.startedAt, durationMs: 0, error: reason }, { transaction }));
}

export function listRuns(db: Database, workflowId: number, limit: number): Promise<WorkflowRun[]> {
  const { WorkflowRun } = db.models;
  return WorkflowRun.findAll({
    where: { workflowId },
    order: [
      ['startedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit,
  });
}

/** The latest run of each workflow, by workflow id. */
export async function latestRuns(db: Database, workflowIds: readonly number[]): Promise<Map<number, WorkflowRun>> {
  const out = new Map<number, WorkflowRun>();
  for (const id of workflowIds) {
    const [run] = await listRuns(db, id, 1);
    if (run) out.set(id, run);
  }
  return out;
}
