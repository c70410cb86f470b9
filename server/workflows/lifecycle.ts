import type { Database } from '../db/connect.js';
import type { Workflow } from '../db/models/index.js';
import { cancelAbTests } from '../db/repos/ab-tests.js';
import { cancelWaitingTasks, createTask } from '../db/repos/workflow-tasks.js';
import { findWorkflow, saveMarketingWorkflow, setWorkflowState } from '../db/repos/workflows.js';
import { canonicalTimeZone } from '../shared/time-zones/zone-maths.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { WorkflowState } from '../shared/glossary.js';
import { parseDefinition, type WorkflowDefinition } from './marketing/definition.js';
import { entryOf } from './marketing/graph.js';

/**
 * Workflow states (Adobe): Being edited → Started → Paused → Finished, plus Failed; the actions an
 * operator takes on them, as data. Shared by the CLI and, later, the console and the API.
 */

export type WorkflowAction = 'start' | 'pause' | 'stop';

export const TRANSITIONS: Record<WorkflowAction, { from: readonly WorkflowState[]; to: WorkflowState }> = {
  start: { from: ['editing', 'paused', 'finished', 'failed'], to: 'started' },
  pause: { from: ['started'], to: 'paused' },
  stop: { from: ['started', 'paused', 'failed'], to: 'finished' },
};

export async function requireWorkflow(db: Database, name: string): Promise<Workflow> {
  const wf = await findWorkflow(db, name);
  if (!wf) throw new HeraldError('WF_NOT_FOUND', `no workflow named "${name}" (herald workflow list shows them)`, { exitCode: EXIT.DATA, status: 404 });
  return wf;
}

/**
 * Applies an action. Starting afresh (from editing or finished) counts the schedule from `now` and,
 * for a marketing workflow whose entry is Start, queues its first wave; resuming (from paused or
 * failed) keeps it, so a slot missed meanwhile runs once. Stopping cancels waiting populations
 * and the A/B tests waiting for a confirmation.
 */
export async function changeState(db: Database, wf: Workflow, action: WorkflowAction, now: Date): Promise<{ from: WorkflowState; to: WorkflowState }> {
  const { from, to } = TRANSITIONS[action];
  if (!from.includes(wf.state))
    throw new HeraldError('WF_BAD_STATE', `workflow "${wf.name}" is ${wf.state}: it cannot ${action}`, { exitCode: EXIT.DATA, status: 409 });
  const fresh = action === 'start' && (wf.state === 'editing' || wf.state === 'finished');
  const def = wf.kind === 'marketing' && action === 'start' ? parseDefinition(wf.definition) : undefined;
  if (!(await setWorkflowState(db, wf.id, [wf.state], to, fresh ? { lastRunAt: now } : {}))) {
    throw new HeraldError('WF_BAD_STATE', `workflow "${wf.name}" changed meanwhile: try again`, { exitCode: EXIT.DATA, status: 409 });
  }
  if (def && fresh && entryOf(def).type === 'start') {
    await createTask(db, { workflowId: wf.id, activity: entryOf(def).id, dueAt: now, context: {}, members: [], originRunId: null, now });
  }
  if (action === 'stop' && wf.kind === 'marketing') {
    await cancelWaitingTasks(db, wf.id, now);
    await cancelAbTests(db, wf.id, now);
  }
  return { from: wf.state, to };
}

/** Saves a marketing workflow from its JSON ({ name, label, definition }); its schedule (and the zone it is read in) is its Scheduler's. */
export async function saveWorkflow(db: Database, input: unknown): Promise<{ name: string; result: 'created' | 'updated' }> {
  const { name, label, definition } = (input ?? {}) as { name?: unknown; label?: unknown; definition?: unknown };
  if (typeof name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/.test(name))
    throw new HeraldError('WF_BAD_DEFINITION', 'a workflow needs a "name" (letters, digits, "_" or "-", up to 100)', { exitCode: EXIT.DATA, status: 400 });
  const def: WorkflowDefinition = parseDefinition(definition);
  const entry = entryOf(def);
  const schedule = entry.type === 'scheduler' ? entry.cron : null;
  const timeZone = entry.type === 'scheduler' && entry.timeZone ? (canonicalTimeZone(entry.timeZone) ?? null) : null;
  const result = await saveMarketingWorkflow(db, {
    name,
    label: typeof label === 'string' && label ? label.slice(0, 255) : name,
    schedule,
    timeZone,
    definition: def,
  });
  if (result === 'refused')
    throw new HeraldError('WF_BAD_STATE', `workflow "${name}" is started or technical: pause it first (technical workflows are set in the config)`, {
      exitCode: EXIT.DATA,
      status: 409,
    });
  return { name, result };
}
