import type { Transaction } from 'sequelize';
import type { WorkflowState } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { WorkflowVersion } from '../models/index.js';

/**
 * Versions of marketing workflow definitions and the console editor's draft. A version is written
 * when a definition is saved whole (`herald workflow save`) or when a draft is started; the
 * workflow row then runs it (`definition`, `version`) until the next one, so editing a started
 * workflow (its draft) never changes what its runs execute.
 */

export interface NewVersion {
  workflowId: number;
  definition: object;
  schedule: string | null;
  by: string | null;
  now: Date;
  /** Publish only while the workflow is in one of these states (it is not started meanwhile). */
  states: readonly WorkflowState[];
}

/** Numbers and stores the definition and makes it the workflow's current one (the draft is cleared); null if the state changed meanwhile. */
export async function publishVersion(db: Database, input: NewVersion, outer?: Transaction): Promise<number | null> {
  const { Workflow, WorkflowVersion } = db.models;
  const work = async (transaction: Transaction) => {
    const last: number | null = await WorkflowVersion.max('version', { where: { workflowId: input.workflowId }, transaction });
    const version = (last ?? 0) + 1;
    const [changed] = await Workflow.update(
      { definition: input.definition, schedule: input.schedule, version, draft: null, updatedAt: input.now },
      { where: { id: input.workflowId, state: input.states as WorkflowState[] }, transaction, silent: true },
    );
    if (changed === 0) return null;
    await WorkflowVersion.create(
      { workflowId: input.workflowId, version, definition: input.definition, createdBy: input.by, createdAt: input.now },
      { transaction },
    );
    return version;
  };
  return outer ? work(outer) : db.write(work);
}

/** Stores the editor's working copy (any state: a started workflow keeps running its version). */
export async function saveDraft(db: Database, workflowId: number, draft: object | null, now: Date): Promise<void> {
  const { Workflow } = db.models;
  await db.write((transaction) => Workflow.update({ draft, updatedAt: now }, { where: { id: workflowId, kind: 'marketing' }, transaction, silent: true }));
}

/** Creates an empty marketing workflow for the editor (state editing, no version yet); false if the name is taken. */
export async function createDraftWorkflow(db: Database, input: { name: string; label: string; draft: object }): Promise<number | null> {
  const { Workflow } = db.models;
  return db.write(async (transaction) => {
    if (await Workflow.findOne({ where: { name: input.name }, transaction })) return null;
    const row = await Workflow.create({ ...input, kind: 'marketing', state: 'editing', enabled: true }, { transaction });
    return row.id;
  });
}

export function listVersions(db: Database, workflowId: number, limit = 20): Promise<WorkflowVersion[]> {
  const { WorkflowVersion } = db.models;
  return WorkflowVersion.findAll({ where: { workflowId }, order: [['version', 'DESC']], limit });
}
