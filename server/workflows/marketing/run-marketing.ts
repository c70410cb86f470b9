import type { Database } from '../../db/connect.js';
import type { Workflow } from '../../db/models/index.js';
import { countWaitingTasks, dueTasks, setTaskStatus, taskMembers } from '../../db/repos/workflow-tasks.js';
import { setWorkflowState } from '../../db/repos/workflows.js';
import type { Logger } from '../../shared/logger.js';
import type { Counts, Job, RunContext } from '../runner.js';
import type { WaveEnv } from './activities.js';
import { parseDefinition, type WorkflowDefinition } from './definition.js';
import type { DeliveryLauncher } from './delivery-launcher.js';
import { runWave } from './execute.js';
import { entryOf } from './graph.js';

/**
 * The jobs of a marketing workflow: a wave from its entry (its schedule fired, or an operator ran
 * it), or the resumption of the populations whose Wait is over. A failing run puts the workflow in
 * state `failed` (its waiting populations stay until it is started again); a workflow without a
 * schedule finishes once nothing waits in it any more.
 */

export interface MarketingDeps {
  db: Database;
  log: Logger;
  launcher: DeliveryLauncher;
  random: () => number;
}

const add = (into: Counts, more: Counts) => {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
};

function waveEnv(deps: MarketingDeps, wf: Workflow, def: WorkflowDefinition, ctx: RunContext): WaveEnv {
  const workflow = { id: wf.id, name: wf.name };
  return { db: deps.db, log: deps.log, launcher: deps.launcher, workflow, definition: def, runId: ctx.runId, now: ctx.now, random: deps.random };
}

/** A wave from the entry; `slot` names it (a scheduled slot), else the run does. */
export function entryWaveJob(deps: MarketingDeps, wf: Workflow, slot?: Date): Job {
  return failing(deps, wf, async (ctx) => {
    const def = parseDefinition(wf.definition);
    const key = slot ? `s${Math.floor(slot.getTime() / 1000)}` : `r${ctx.runId}`;
    return runWave(def, { at: entryOf(def).id, population: null, key }, waveEnv(deps, wf, def, ctx), ctx.signal);
  });
}

/** Resumes every task due now: each continues from its activity with its stored population and deliveries. */
export function resumeJob(deps: MarketingDeps, wf: Workflow): Job {
  return failing(deps, wf, async (ctx) => {
    const def = parseDefinition(wf.definition);
    const entry = entryOf(def);
    const totals: Counts = {};
    for (const task of await dueTasks(deps.db, wf.id, ctx.now)) {
      // the entry's task carries no population (Start, run now) or a Signal's recipients
      const population = task.activity === entry.id && task.size === 0 ? null : await taskMembers(deps.db, task.id);
      const deliveries = (task.context?.deliveries ?? {}) as Record<string, number>;
      const origin = typeof task.context?.key === 'string' ? task.context.key : undefined;
      const start = { at: task.activity, population, key: `t${task.id}`, origin, deliveries, resumed: true };
      add(totals, await runWave(def, start, waveEnv(deps, wf, def, ctx), ctx.signal));
      await setTaskStatus(deps.db, task.id, ['waiting'], 'done', ctx.now);
    }
    if (entry.type === 'start' && (await countWaitingTasks(deps.db, wf.id)) === 0 && (await setWorkflowState(deps.db, wf.id, ['started'], 'finished'))) {
      deps.log.info('WF_STATE_CHANGED', { workflow: wf.name, from: 'started', to: 'finished' });
    }
    return totals;
  });
}

function failing(deps: MarketingDeps, wf: Workflow, job: Job): Job {
  return async (ctx) => {
    try {
      return await job(ctx);
    } catch (err) {
      if (await setWorkflowState(deps.db, wf.id, ['started'], 'failed'))
        deps.log.warn('WF_STATE_CHANGED', { workflow: wf.name, from: 'started', to: 'failed' });
      throw err;
    }
  };
}
