import assert from 'node:assert/strict';
import * as lifecycle from '../../server/delivery/lifecycle.js';
import { DELIVERY_STATES, type DeliveryState } from '../../server/shared/glossary.js';

const now = new Date('2026-03-01T10:00:00Z');
const later = new Date('2026-03-02T10:00:00Z');
const earlier = new Date('2026-02-28T10:00:00Z');

type Case = [name: string, run: (s: DeliveryState) => lifecycle.Transition, allowed: Partial<Record<DeliveryState, DeliveryState>>];

/** For every transition: the states it accepts and where each goes; every other state is refused. */
const CASES: Case[] = [
  ['edit', lifecycle.edit, { editing: 'editing', targeting_pending: 'editing', ready: 'editing', failed: 'editing' }],
  ['scheduleAnalysis', lifecycle.scheduleAnalysis, { editing: 'targeting_pending', ready: 'targeting_pending', failed: 'targeting_pending' }],
  ['beginAnalysis', (s) => lifecycle.beginAnalysis(s), { editing: 'analysing', targeting_pending: 'analysing', ready: 'analysing', failed: 'analysing' }],
  [
    'beginAnalysis --force',
    (s) => lifecycle.beginAnalysis(s, true),
    { editing: 'analysing', targeting_pending: 'analysing', ready: 'analysing', failed: 'analysing', analysing: 'analysing' },
  ],
  ['endAnalysis without errors', (s) => lifecycle.endAnalysis(s, 0), { analysing: 'ready' }],
  ['endAnalysis with errors', (s) => lifecycle.endAnalysis(s, 2), { analysing: 'editing' }],
  ['failAnalysis', lifecycle.failAnalysis, { analysing: 'failed' }],
  ['releaseScheduled', (s) => lifecycle.releaseScheduled(s, earlier, now), { scheduled: 'start_pending' }],
  ['beginSending', lifecycle.beginSending, { start_pending: 'in_progress' }],
  ['awaitRetries', lifecycle.awaitRetries, { in_progress: 'recovery_pending', recovery_in_progress: 'recovery_pending' }],
  ['beginRecovery', lifecycle.beginRecovery, { recovery_pending: 'recovery_in_progress' }],
  [
    'finish',
    lifecycle.finish,
    {
      scheduled: 'finished',
      start_pending: 'finished',
      in_progress: 'finished',
      recovery_pending: 'finished',
      recovery_in_progress: 'finished',
      pause_requested: 'finished',
      paused: 'finished',
    },
  ],
  [
    'pause',
    lifecycle.pause,
    {
      scheduled: 'paused',
      start_pending: 'paused',
      in_progress: 'pause_requested',
      recovery_pending: 'pause_requested',
      recovery_in_progress: 'pause_requested',
    },
  ],
  ['pauseTaken', lifecycle.pauseTaken, { pause_requested: 'paused' }],
  ['resume', (s) => lifecycle.resume(s, later, now), { paused: 'start_pending', pause_requested: 'start_pending' }],
  [
    'stop',
    lifecycle.stop,
    {
      scheduled: 'stopped',
      start_pending: 'stopped',
      in_progress: 'stopped',
      recovery_pending: 'stopped',
      recovery_in_progress: 'stopped',
      pause_requested: 'stopped',
      paused: 'stopped',
    },
  ],
  [
    'fail',
    lifecycle.fail,
    {
      scheduled: 'failed',
      start_pending: 'failed',
      in_progress: 'failed',
      recovery_pending: 'failed',
      recovery_in_progress: 'failed',
      pause_requested: 'failed',
      paused: 'failed',
    },
  ],
  [
    'remove',
    lifecycle.remove,
    { editing: 'deleted', targeting_pending: 'deleted', ready: 'deleted', stopped: 'deleted', finished: 'deleted', failed: 'deleted' },
  ],
];

describe('delivery lifecycle', () => {
  for (const [name, run, allowed] of CASES) {
    it(`${name}: moves the states it accepts and refuses every other with a reason`, () => {
      for (const state of DELIVERY_STATES) {
        const t = run(state);
        if (allowed[state]) assert.deepEqual(t, { ok: true, state: allowed[state] }, `${name} from ${state}`);
        else {
          assert.equal(t.ok, false, `${name} from ${state} should be refused`);
          assert.ok(!t.ok && t.reason.length > 10, `${name} from ${state} gives a reason`);
        }
      }
    });
  }

  const ready = { state: 'ready' as const, now, scheduledAt: null, validityEnd: null, toDeliver: 10, blockingErrors: 0 };
  const startCases: Array<[string, Partial<lifecycle.StartFacts>, string | RegExp]> = [
    ['starts now', {}, 'start_pending'],
    ['waits for a contact date in the future', { scheduledAt: later }, 'scheduled'],
    ['starts at once when the contact date has passed', { scheduledAt: earlier }, 'start_pending'],
    ['refuses a delivery that was never analysed', { state: 'editing' }, /must be analysed/],
    ['refuses while the analysis found errors', { blockingErrors: 1 }, /found 1 error/],
    ['refuses when nothing is left to deliver', { toDeliver: 0 }, /no message to deliver/],
    ['refuses after the validity period', { validityEnd: earlier }, /validity period has already ended/],
    [
      'refuses a contact date after the validity period',
      { scheduledAt: later, validityEnd: new Date('2026-03-01T12:00:00Z') },
      /after the end of the validity/,
    ],
    ['refuses a delivery that is already running', { state: 'in_progress' }, /in progress cannot be started/],
  ];
  for (const [title, facts, expected] of startCases) {
    it(`start ${title}`, () => {
      const t = lifecycle.start({ ...ready, ...facts });
      if (typeof expected === 'string') assert.deepEqual(t, { ok: true, state: expected });
      else assert.ok(!t.ok && expected.test(t.reason), JSON.stringify(t));
    });
  }

  it('refuses to resume after the validity period and to release a contact date that has not come', () => {
    assert.match((lifecycle.resume('paused', earlier, now) as { reason: string }).reason, /validity period has ended/);
    assert.match((lifecycle.releaseScheduled('scheduled', later, now) as { reason: string }).reason, /not come yet/);
  });

  it('ends the validity period at the delivery’s own date, else after the default number of days', () => {
    assert.equal(lifecycle.validityEndFor(now, later, 5), later);
    assert.equal(lifecycle.validityEndFor(now, null, 5).toISOString(), '2026-03-06T10:00:00.000Z');
  });
});
