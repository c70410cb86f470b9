import assert from 'node:assert/strict';
import * as lifecycle from '../../server/delivery/lifecycle.js';
import { DELIVERY_STATES } from '../../server/shared/glossary.js';
import { earlier, later, now, TRANSITION_TABLE } from '../helpers/lifecycle-table.js';

describe('delivery lifecycle', () => {
  for (const [name, run, allowed] of TRANSITION_TABLE) {
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
