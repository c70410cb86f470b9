import { recordTargets } from '../../db/repos/workflow-population.js';
import { createTask } from '../../db/repos/workflow-tasks.js';
import { Interrupted } from '../../db/repos/batched.js';
import { describeError, HeraldError } from '../../shared/errors.js';
import { JobFailure, type Counts } from '../runner.js';
import { runActivity, type WaveEnv, type WaveState } from './activities.js';
import type { Activity, WorkflowDefinition } from './definition.js';
import { outputsOf } from './graph.js';

/**
 * Runs one wave of a marketing workflow: a population entering at one activity flows through the
 * graph in topological order, so an activity with several incoming transitions runs once on the
 * union of what reaches it. Every transition's population size is counted ("from->to"). The wave
 * ends at End activities, at Waits (which store the population as a task) and at unmapped outputs.
 */

export interface WaveStart {
  /** The activity the population enters (the entry, or a Wait being resumed). */
  at: string;
  population: number[] | null;
  key: string;
  deliveries?: Record<string, number>;
  resumed?: boolean;
  /** The key of the wave this population came from (a resumed task's), default `key`. */
  origin?: string;
}

export async function runWave(def: WorkflowDefinition, start: WaveStart, env: WaveEnv, signal: AbortSignal): Promise<Counts> {
  const wave: WaveState = {
    key: start.key,
    origin: start.origin ?? start.key,
    deliveries: { ...start.deliveries },
    targeted: [],
    counts: {},
    resumedAt: start.resumed ? start.at : undefined,
    waits: [],
  };
  const inbox = new Map<string, number[] | null>([[start.at, start.population]]);
  /** What each incoming transition brought, per activity (an And-join needs every one). */
  const arrivals = new Map<string, Map<string, number[] | null>>();
  const counts: Counts = {};
  for (const activity of topologicalOrder(def.activities)) {
    if (!inbox.has(activity.id)) continue;
    if (signal.aborted) throw new Interrupted();
    let input: number[] | null = inbox.get(activity.id)!;
    if (activity.type === 'andJoin' && activity.id !== start.at) {
      const joined = joinOf(def, activity.id, arrivals.get(activity.id));
      if (joined === undefined) {
        wave.counts[`${activity.id}.incomplete`] = (wave.counts[`${activity.id}.incomplete`] ?? 0) + 1;
        continue;
      }
      input = joined;
    }
    const outputs = await runActivity(activity, input, env, wave).catch((err: unknown) => failed(activity, err, { ...counts, ...wave.counts }, wave, env));
    const targets = new Map(outputsOf(activity).map(({ output, to }) => [output, to]));
    for (const { output, population } of outputs) {
      const to = targets.get(output);
      if (!to) continue;
      counts[`${activity.id}->${to}`] = (counts[`${activity.id}->${to}`] ?? 0) + (population?.length ?? 0);
      if (!arrivals.has(to)) arrivals.set(to, new Map());
      arrivals.get(to)!.set(activity.id, population);
      inbox.set(to, population === null ? (inbox.get(to) ?? null) : union(inbox.get(to), population));
    }
  }
  await storeWaits(wave, env);
  await recordTargeted(wave, env);
  return { ...counts, ...wave.counts };
}

/** The populations that reached a Wait, each a task due later, carrying the wave's deliveries. */
async function storeWaits(wave: WaveState, env: WaveEnv): Promise<void> {
  for (const w of wave.waits) {
    const context = { key: wave.origin, deliveries: wave.deliveries };
    const taskId = await createTask(env.db, {
      workflowId: env.workflow.id,
      activity: w.activity,
      dueAt: w.dueAt,
      context,
      members: w.members,
      originRunId: env.runId,
      now: env.now,
    });
    env.log.info('WF_TASK_WAITING', { workflow: env.workflow.name, activity: w.activity, taskId, recipients: w.members.length, dueAt: w.dueAt });
  }
}

async function recordTargeted(wave: WaveState, env: WaveEnv): Promise<void> {
  for (const { activity, ids } of wave.targeted) await recordTargets(env.db, env.workflow.id, activity, ids, env.now);
}

/**
 * An activity failed: the run fails naming the activity and why (`<activity>.failed` in its counts,
 * with the transitions counted so far). When a delivery of the wave has started, its Waits are
 * stored and its incremental targets recorded (a recipient who was sent a message is not targeted
 * again, and still gets what follows); otherwise a later wave retries them.
 */
async function failed(activity: Activity, err: unknown, counts: Counts, wave: WaveState, env: WaveEnv): Promise<never> {
  if (err instanceof Interrupted) throw err;
  if (wave.sent) {
    await storeWaits(wave, env);
    await recordTargeted(wave, env);
  }
  const reason = new HeraldError('WF_ACTIVITY_FAILED', `activity "${activity.id}" (${activity.type}) failed: ${describeError(err)}`);
  env.log.warn('WF_ACTIVITY_FAILED', { workflow: env.workflow.name, activity: activity.id, err: describeError(err) });
  throw new JobFailure(reason, { ...counts, [`${activity.id}.failed`]: 1 });
}

/**
 * An And-join's population: the recipients that came through every transition leading to it in
 * this wave (in the first branch's order), or undefined when a branch brought nothing this wave
 * (it ended at a Wait or at an unmapped output), in which case the join does not fire.
 */
export function joinOf(def: WorkflowDefinition, id: string, arrived: ReadonlyMap<string, number[] | null> | undefined): number[] | null | undefined {
  const sources = def.activities.filter((a) => outputsOf(a).some(({ to }) => to === id)).map((a) => a.id);
  if (!arrived || sources.some((s) => !arrived.has(s))) return undefined;
  const populations = sources.map((s) => arrived.get(s)!);
  if (populations.every((p) => p === null)) return null;
  const sets = populations.filter((p): p is number[] => p !== null).map((p) => new Set(p));
  const first = populations.find((p): p is number[] => p !== null)!;
  return first.filter((rid) => sets.every((s) => s.has(rid)));
}

function union(current: number[] | null | undefined, more: number[]): number[] {
  if (!current?.length) return more;
  const seen = new Set(current);
  return [...current, ...more.filter((id) => !seen.has(id))];
}

/** Activities ordered so that each comes after every activity leading to it (the graph is acyclic). */
export function topologicalOrder(activities: readonly Activity[]): Activity[] {
  const incoming = new Map(activities.map((a) => [a.id, 0]));
  for (const a of activities) for (const { to } of outputsOf(a)) incoming.set(to, (incoming.get(to) ?? 0) + 1);
  const byId = new Map(activities.map((a) => [a.id, a]));
  const ready = activities.filter((a) => incoming.get(a.id) === 0);
  const order: Activity[] = [];
  while (ready.length) {
    const a = ready.shift()!;
    order.push(a);
    for (const { to } of outputsOf(a)) {
      incoming.set(to, incoming.get(to)! - 1);
      if (incoming.get(to) === 0) ready.push(byId.get(to)!);
    }
  }
  return order;
}
