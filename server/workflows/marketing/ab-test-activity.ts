import { findAbTest, recordAbTest, setAbTestStatus, variantCounts, type VariantCountsRow } from '../../db/repos/ab-tests.js';
import type { AbTest } from '../../db/models/index.js';
import { createTask } from '../../db/repos/workflow-tasks.js';
import { HeraldError } from '../../shared/errors.js';
import type { WaveEnv, WaveState, Outputs } from './activities.js';
import { pickWinner, type Variant } from './ab-winner.js';
import type { Activity } from './definition.js';

/**
 * The A/B winner activity (Adobe builds A/B tests as workflows: split → send A and B → wait →
 * pick the winner → send it to the rest). Named steps: decide once per origin wave (the counts of
 * both variants' deliveries, `pickWinner`, recorded in ab_tests with the counts it used) → hold the
 * rest for an operator's confirmation when the activity asks for one → send the winner's template
 * to the rest through the same launcher as a Delivery activity.
 */

type AbWinner = Extract<Activity, { type: 'abWinner' }>;

const NO_COUNTS: VariantCountsRow = { sent: 0, openers: 0, clickers: 0 };

export async function runAbWinner(a: AbWinner, input: number[] | null, env: WaveEnv, wave: WaveState): Promise<Outputs> {
  const rest = input ?? [];
  const test = (await findAbTest(env.db, env.workflow.id, a.id, wave.origin)) ?? (await decide(a, rest, env, wave));
  if (test.status === 'cancelled' || test.status === 'sent') return [{ output: 'next', population: rest }];
  if (test.status === 'awaiting_confirmation') {
    if (wave.resumedAt !== a.id) await hold(a, test, rest, env, wave);
    return [];
  }
  return send(a, test, rest, env, wave);
}

async function decide(a: AbWinner, rest: number[], env: WaveEnv, wave: WaveState): Promise<AbTest> {
  const ids = { A: wave.deliveries[a.a] ?? null, B: wave.deliveries[a.b] ?? null };
  const humanOnly = a.humanOnly ?? true;
  const counts = {
    A: ids.A === null ? NO_COUNTS : await variantCounts(env.db, ids.A, humanOnly),
    B: ids.B === null ? NO_COUNTS : await variantCounts(env.db, ids.B, humanOnly),
  };
  const decision = pickWinner(counts.A, counts.B, a.criterion);
  const test = await recordAbTest(env.db, {
    workflowId: env.workflow.id,
    activity: a.id,
    waveKey: wave.origin,
    criterion: a.criterion,
    deliveryAId: ids.A,
    deliveryBId: ids.B,
    counts: { ...counts, rates: decision.rates, humanOnly },
    winner: decision.winner,
    decidedBy: decision.decidedBy,
    status: a.confirm ? 'awaiting_confirmation' : 'confirmed',
    restSize: rest.length,
    decidedAt: env.now,
  });
  env.log.info('WF_AB_DECIDED', {
    workflow: env.workflow.name,
    activity: a.id,
    testId: test.id,
    winner: decision.winner,
    decidedBy: decision.decidedBy,
    criterion: a.criterion,
  });
  return test;
}

/** The rest waits, held, until an operator confirms the winner (confirmAbTest releases it). */
async function hold(a: AbWinner, test: AbTest, rest: number[], env: WaveEnv, wave: WaveState): Promise<void> {
  const taskId = await createTask(env.db, {
    workflowId: env.workflow.id,
    activity: a.id,
    dueAt: env.now,
    context: { key: wave.origin, deliveries: wave.deliveries, abTestId: test.id },
    members: rest,
    originRunId: env.runId,
    now: env.now,
    hold: true,
  });
  await setAbTestStatus(env.db, test.id, ['awaiting_confirmation'], 'awaiting_confirmation', env.now, { taskId });
  wave.counts[`${a.id}.held`] = rest.length;
}

async function send(a: AbWinner, test: AbTest, rest: number[], env: WaveEnv, wave: WaveState): Promise<Outputs> {
  const winnerActivity = a[test.winner === 'A' ? 'a' : 'b'];
  if (rest.length) {
    const template = templateOf(env, winnerActivity);
    const key = `wf${env.workflow.id}-${wave.key}-${a.id}`;
    const label = a.label ?? `${env.workflow.name}: ${a.id} (winner ${test.winner})`;
    const launched = await env.launcher.launch({ key, template, label, recipientIds: rest, now: env.now });
    wave.deliveries[a.id] = launched.deliveryId;
    if (launched.toDeliver > 0) wave.sent = true;
    await setAbTestStatus(env.db, test.id, ['confirmed'], 'sent', env.now, { winnerDeliveryId: launched.deliveryId });
  } else await setAbTestStatus(env.db, test.id, ['confirmed'], 'sent', env.now);
  wave.counts[`${a.id}.winner${test.winner as Variant}`] = rest.length;
  env.log.info('WF_AB_WINNER_SENT', { workflow: env.workflow.name, activity: a.id, testId: test.id, winner: test.winner, recipients: rest.length });
  return [{ output: 'next', population: rest }];
}

function templateOf(env: WaveEnv, activity: string): string {
  const found = env.definition.activities.find((x) => x.id === activity);
  if (found?.type !== 'delivery') throw new HeraldError('WF_BAD_DEFINITION', `"${activity}" is not a delivery activity`);
  return found.template;
}
