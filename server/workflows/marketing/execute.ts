import { recordTargets } from '../../db/repos/workflow-population.js';
import { Interrupted } from '../../db/repos/batched.js';
import type { Counts } from '../runner.js';
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
}

export async function runWave(def: WorkflowDefinition, start: WaveStart, env: WaveEnv, signal: AbortSignal): Promise<Counts> {
  const wave: WaveState = { key: start.key, deliveries: { ...start.deliveries }, targeted: [], counts: {}, resumedAt: start.resumed ? start.at : undefined };
  const inbox = new Map<string, number[] | null>([[start.at, start.population]]);
  const counts: Counts = {};
  for (const activity of topologicalOrder(def.activities)) {
    if (!inbox.has(activity.id)) continue;
    if (signal.aborted) throw new Interrupted();
    const input = inbox.get(activity.id)!;
    const outputs = await runActivity(activity, input, env, wave);
    const targets = new Map(outputsOf(activity).map(({ output, to }) => [output, to]));
    for (const { output, population } of outputs) {
      const to = targets.get(output);
      if (!to) continue;
      counts[`${activity.id}->${to}`] = (counts[`${activity.id}->${to}`] ?? 0) + (population?.length ?? 0);
      inbox.set(to, population === null ? (inbox.get(to) ?? null) : union(inbox.get(to), population));
    }
  }
  for (const { activity, ids } of wave.targeted) await recordTargets(env.db, env.workflow.id, activity, ids, env.now);
  return { ...counts, ...wave.counts };
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
