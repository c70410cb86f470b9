import assert from 'node:assert/strict';
import { definitionProblems, parseDefinition, type Activity } from '../../../server/workflows/marketing/definition.js';
import { DRIP } from './drip-definition.js';

const swap = (id: string, change: Partial<Activity> | null): Activity[] =>
  DRIP.flatMap((a) => (a.id !== id ? [a] : change === null ? [] : [{ ...a, ...change } as Activity]));

const INVALID: Array<{ case: string; activities: unknown; problem: RegExp }> = [
  { case: 'no entry', activities: swap('hourly', null), problem: /exactly one start, scheduler or signal activity, found 0/ },
  { case: 'two entries', activities: [...DRIP, { id: 'go', type: 'start', next: 'done' }], problem: /found 2/ },
  { case: 'a transition to an unknown activity', activities: swap('welcome', { next: 'nowhere' }), problem: /welcome\.next: no activity "nowhere"/ },
  { case: 'a cycle', activities: swap('reminder', { next: 'threeDays' }), problem: /cycle: threeDays → opened → reminder → threeDays/ },
  { case: 'a transition back to the entry', activities: swap('reminder', { next: 'hourly' }), problem: /cannot lead back to the entry/ },
  { case: 'an unknown activity type', activities: [...DRIP, { id: 'js', type: 'javascript', code: 'x' }], problem: /type: expected one of/ },
  { case: 'an unknown key', activities: swap('welcome', { sql: 'DELETE' } as never), problem: /welcome|activities\[2\]\.sql: unknown key/ },
  { case: 'a bad cron expression', activities: swap('hourly', { cron: 'every hour' } as never), problem: /cron expression/ },
  { case: 'a bad duration', activities: swap('threeDays', { duration: 'three days' } as never), problem: /expected a duration/ },
  {
    case: 'a bad condition',
    activities: swap('newSubscribers', { where: { field: 'x', op: 'eq', value: 1 } } as never),
    problem: /where\.field: expected one of/,
  },
  {
    case: 'a reaction to a delivery that does not lead to it',
    activities: swap('opened', { delivery: 'reminder' } as never),
    problem: /"reminder" is not a delivery activity leading to this test/,
  },
  { case: 'a reaction to nothing', activities: swap('opened', { delivery: undefined } as never), problem: /either "delivery"/ },
  {
    case: 'a split with a segment that is neither filter nor share',
    activities: [...swap('welcome', { next: 'split' }), { id: 'split', type: 'split', segments: [{ name: 'a', next: 'threeDays' }] }],
    problem: /either "where" or "percent"/,
  },
  {
    case: 'a split of more than 100 %',
    activities: [
      ...swap('welcome', { next: 'split' }),
      {
        id: 'split',
        type: 'split',
        segments: [
          { name: 'a', percent: 60 },
          { name: 'b', percent: 50 },
        ],
      },
    ],
    problem: /more than 100/,
  },
  {
    case: 'an update without its list',
    activities: [...swap('reminder', { next: 'tag' }), { id: 'tag', type: 'update', action: 'addToList', service: 'x' }],
    problem: /"addToList" takes "list" only/,
  },
  {
    case: 'an A/B winner comparing a delivery with itself',
    activities: [...swap('reminder', { next: 'pick' }), { id: 'pick', type: 'abWinner', a: 'welcome', b: 'welcome', criterion: 'opens' }],
    problem: /two different delivery activities/,
  },
  {
    case: 'an A/B winner whose variant is not a delivery',
    activities: [...swap('reminder', { next: 'pick' }), { id: 'pick', type: 'abWinner', a: 'welcome', b: 'threeDays', criterion: 'opens' }],
    problem: /pick\.b: "threeDays" is not a delivery activity before this one/,
  },
  {
    case: 'an A/B winner whose variant comes after it',
    activities: [
      ...swap('reminder', { next: 'pick' }),
      { id: 'pick', type: 'abWinner', a: 'welcome', b: 'later', criterion: 'opens', next: 'later' },
      { id: 'later', type: 'delivery', template: 'x' },
    ],
    problem: /pick\.b: "later" is not a delivery activity before this one/,
  },
  {
    case: 'an A/B winner with an unknown criterion',
    activities: [...swap('reminder', { next: 'pick' }), { id: 'pick', type: 'abWinner', a: 'welcome', b: 'reminder', criterion: 'revenue' }],
    problem: /criterion: expected one of opens, clicks, ctr/,
  },
  { case: 'a bad activity id', activities: swap('done', { id: 'the end' } as never), problem: /expected an activity id/ },
  { case: 'no activities', activities: [], problem: /1–200 activities/ },
];

describe('marketing workflow definitions', () => {
  it('accepts the drip series', () => {
    assert.deepEqual(definitionProblems({ activities: DRIP }), []);
    assert.equal(parseDefinition({ activities: DRIP }).activities.length, DRIP.length);
  });

  for (const c of INVALID) {
    it(`refuses ${c.case}, saying why`, () => {
      const problems = definitionProblems({ activities: c.activities });
      assert.ok(
        problems.some((p) => c.problem.test(p)),
        problems.join('; ') || 'accepted',
      );
    });
  }

  it('refuses a definition with an error an operator can read (code, status 400)', () => {
    assert.throws(
      () => parseDefinition({ activities: swap('welcome', { next: 'nowhere' }) }),
      (err: { code: string; hints: { status: number }; message: string }) =>
        err.code === 'WF_BAD_DEFINITION' && err.hints.status === 400 && /nowhere/.test(err.message),
    );
  });
});
