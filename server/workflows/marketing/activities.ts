import type { Database } from '../../db/connect.js';
import { findDeliveryNamed } from '../../db/repos/workflow-deliveries.js';
import { queryRecipientIds, reactionsTo } from '../../db/repos/workflow-population.js';
import { addToList, ensureList, removeFromList, subscribeTo, unsubscribeFrom } from '../../db/repos/memberships.js';
import { parseDuration } from '../../shared/duration.js';
import type { Logger } from '../../shared/logger.js';
import { runAbWinner } from './ab-test-activity.js';
import { runDedup, runEnrichment } from './data-activities.js';
import type { Activity, WorkflowDefinition } from './definition.js';
import type { DeliveryLauncher } from './delivery-launcher.js';

/**
 * What each activity does with the population it receives. A handler returns its outputs by name
 * (the executor follows the definition's transitions); `null` input means "no population yet"
 * (straight after the entry), which a Query turns into every matching recipient.
 */

export interface WaveEnv {
  db: Database;
  log: Logger;
  launcher: DeliveryLauncher;
  workflow: { id: number; name: string };
  definition: WorkflowDefinition;
  runId: number;
  now: Date;
  /** In [0, 1): picks the random share of a Split (injectable for tests). */
  random: () => number;
}

/** What a wave carries between its activities (and through a Wait). */
export interface WaveState {
  /** Unique per wave: deliveries are keyed by it, so a retried wave never creates a delivery twice. */
  key: string;
  /** Deliveries this wave created, by Delivery activity id (Test on reaction reads them). */
  deliveries: Record<string, number>;
  /** Recipients incremental queries selected, recorded once the wave succeeds. */
  targeted: Array<{ activity: string; ids: number[] }>;
  /** Counters for the journal beyond the transitions (e.g. populations left waiting). */
  counts: Record<string, number>;
  /** The Wait this wave resumes from, if any. */
  resumedAt?: string;
  /** A delivery of this wave has messages to send: its incremental targets are recorded even if a later activity fails. */
  sent?: boolean;
  /** The key of the wave that began this one's journey (before Waits): A/B tests are decided once per origin. */
  origin: string;
  /** Populations that reached a Wait, stored as tasks when the wave ends. */
  waits: Array<{ activity: string; dueAt: Date; members: number[] }>;
}

/** Populations by output; null passes "no population yet" on (from the entry to the first Query). */
export type Outputs = Array<{ output: string; population: number[] | null }>;
type Handler<T extends Activity['type']> = (a: Extract<Activity, { type: T }>, input: number[] | null, env: WaveEnv, wave: WaveState) => Promise<Outputs>;

const pass = (population: number[] | null): Outputs => [{ output: 'next', population }];
const minus = (all: readonly number[], gone: readonly number[]) => {
  const drop = new Set(gone);
  return all.filter((id) => !drop.has(id));
};

export const HANDLERS: { [T in Activity['type']]: Handler<T> } = {
  start: async (_a, input) => pass(input),
  scheduler: async (_a, input) => pass(input),
  signal: async (_a, input) => pass(input),
  /** Every branch gets the whole population. */
  fork: async (a, input) => a.branches.map((_, i) => ({ output: `branch${i + 1}`, population: input })),
  /** The executor gives an And-join the recipients that came through every incoming branch (execute.ts). */
  andJoin: async (_a, input) => pass(input),
  dedup: (a, input, env, wave) => runDedup(a, input, env, wave),
  enrichment: (a, input, env, wave) => runEnrichment(a, input, env, wave),
  async query(a, input, env, wave) {
    const notTargetedBy = a.incremental ? { workflowId: env.workflow.id, activity: a.id } : undefined;
    const ids = await queryRecipientIds(env.db, { where: a.where, now: env.now, within: input ?? undefined, notTargetedBy });
    if (a.incremental) wave.targeted.push({ activity: a.id, ids });
    return pass(ids);
  },
  async exclusion(a, input, env) {
    if (!input?.length) return pass([]);
    return pass(minus(input, await queryRecipientIds(env.db, { where: a.where, now: env.now, within: input })));
  },
  async split(a, input, env) {
    const total = input?.length ?? 0;
    let rest = input ?? [];
    const outputs: Outputs = [];
    for (const segment of a.segments) {
      const taken = segment.where
        ? await queryRecipientIds(env.db, { where: segment.where, now: env.now, within: rest })
        : randomPick(rest, Math.floor((total * segment.percent!) / 100), env.random);
      outputs.push({ output: segment.name, population: taken });
      rest = minus(rest, taken);
    }
    return [...outputs, { output: 'remainder', population: rest }];
  },
  async delivery(a, input, env, wave) {
    if (!input?.length) return pass([]);
    const key = `wf${env.workflow.id}-${wave.key}-${a.id}`;
    const label = a.label ?? `${env.workflow.name}: ${a.id}`;
    const launched = await env.launcher.launch({ key, template: a.template, label, recipientIds: input, now: env.now });
    const { deliveryId } = launched;
    wave.deliveries[a.id] = deliveryId;
    if (launched.created) env.log.info('WF_DELIVERY_CREATED', { workflow: env.workflow.name, activity: a.id, deliveryId, recipients: input.length });
    if (launched.toDeliver === 0) {
      wave.counts[`${a.id}.nothingToDeliver`] = 1;
      env.log.warn('WF_DELIVERY_EMPTY', { workflow: env.workflow.name, activity: a.id, deliveryId });
    } else {
      wave.sent = true;
      env.log.info('WF_DELIVERY_STARTED', { workflow: env.workflow.name, activity: a.id, deliveryId, state: launched.state, toDeliver: launched.toDeliver });
    }
    return pass(input);
  },
  async wait(a, input, env, wave) {
    if (wave.resumedAt === a.id) return pass(input);
    if (!input?.length) return [];
    // stored when the wave ends, with every delivery the wave created (also on parallel branches)
    wave.waits.push({ activity: a.id, dueAt: new Date(env.now.getTime() + parseDuration(a.duration)!), members: input });
    wave.counts[`${a.id}.waiting`] = (wave.counts[`${a.id}.waiting`] ?? 0) + input.length;
    return [];
  },
  async reaction(a, input, _env, wave) {
    if (!input?.length) return [];
    const deliveryId = a.delivery !== undefined ? wave.deliveries[a.delivery] : (await findDeliveryNamed(_env.db, a.deliveryName!))?.id;
    const reactions = deliveryId === undefined ? new Map() : await reactionsTo(_env.db, deliveryId, input, a.humanOnly ?? false);
    const branch = (id: number) => {
      const r = reactions.get(id);
      return r === 'clicked' && a.clicked ? 'clicked' : r ? 'opened' : 'neither';
    };
    return (['clicked', 'opened', 'neither'] as const).map((output) => ({ output, population: input.filter((id) => branch(id) === output) }));
  },
  async update(a, input, env) {
    const ids = input ?? [];
    if (ids.length) {
      if (a.action === 'addToList') await addToList(env.db, await ensureList(env.db, a.list!, a.list!, env.now), ids, env.now);
      else if (a.action === 'removeFromList') await removeFromList(env.db, a.list!, ids);
      else if (a.action === 'subscribe') await subscribeTo(env.db, a.service!, ids, env.now);
      else await unsubscribeFrom(env.db, a.service!, ids, env.now);
    }
    return pass(ids);
  },
  abWinner: (a, input, env, wave) => runAbWinner(a, input, env, wave),
  end: async () => [],
};

/** Runs one activity on its input population. */
export function runActivity(a: Activity, input: number[] | null, env: WaveEnv, wave: WaveState): Promise<Outputs> {
  return (HANDLERS[a.type] as Handler<Activity['type']>)(a as never, input, env, wave);
}

/** `count` recipients picked at random (partial Fisher–Yates), in their original order. */
export function randomPick(ids: readonly number[], count: number, random: () => number): number[] {
  const pool = [...ids];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const picked = new Set(pool.slice(0, n));
  return ids.filter((id) => picked.has(id));
}
