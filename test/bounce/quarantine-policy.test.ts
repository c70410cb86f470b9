import assert from 'node:assert/strict';
import { ADOBE_QUARANTINE_POLICY as P, nextQuarantine, type QuarantineFailure, type QuarantineState } from '../../server/bounce/quarantine-policy.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (days: number, hours = 0) => new Date(T0.getTime() + days * DAY + hours * 3_600_000);
const soft: QuarantineFailure = { type: 'soft', reason: 'unreachable' };
const full: QuarantineFailure = { type: 'soft', reason: 'mailbox_full' };
const hard: QuarantineFailure = { type: 'hard', reason: 'user_unknown' };
const policy: QuarantineFailure = { type: 'soft', reason: 'refused' };
const complaint: QuarantineFailure = { type: 'hard', reason: 'refused', denylist: true };
const ignored: QuarantineFailure = { type: 'ignored', reason: 'error_ignored' };

/** Applies failures at the given days; returns [status, errorCount] after each. */
function run(steps: Array<[QuarantineFailure, Date]>, start?: QuarantineState): Array<[string, number]> {
  let state = start;
  return steps.map(([failure, now]) => {
    state = nextQuarantine(state, failure, now, P);
    return [state?.status ?? 'none', state?.errorCount ?? 0];
  });
}

describe('quarantine policy (Adobe)', () => {
  const cases: Array<[string, Array<[QuarantineFailure, Date]>, Array<[string, number]>]> = [
    ['a hard failure quarantines at once', [[hard, at(0)]], [['quarantine', 1]]],
    [
      'soft failures on five different days quarantine',
      [
        [soft, at(0)],
        [soft, at(1)],
        [soft, at(2)],
        [soft, at(3)],
        [soft, at(4)],
      ],
      [
        ['with_errors', 1],
        ['with_errors', 2],
        ['with_errors', 3],
        ['with_errors', 4],
        ['quarantine', 5],
      ],
    ],
    [
      'soft failures within a day count once',
      [
        [soft, at(0)],
        [soft, at(0, 5)],
        [soft, at(0, 23)],
      ],
      [
        ['with_errors', 1],
        ['with_errors', 1],
        ['with_errors', 1],
      ],
    ],
    [
      'the count restarts after ten days without errors',
      [
        [soft, at(0)],
        [soft, at(1)],
        [soft, at(12)],
      ],
      [
        ['with_errors', 1],
        ['with_errors', 2],
        ['with_errors', 1],
      ],
    ],
    [
      'a policy block (soft / refused) never touches the address',
      [
        [policy, at(0)],
        [policy, at(1)],
      ],
      [
        ['none', 0],
        ['none', 0],
      ],
    ],
    ['an ignored failure never touches the address', [[ignored, at(0)]], [['none', 0]]],
    [
      'a complaint denylists',
      [
        [soft, at(0)],
        [complaint, at(1)],
      ],
      [
        ['with_errors', 1],
        ['denylisted', 1],
      ],
    ],
    [
      'a denylisted address stays denylisted',
      [
        [complaint, at(0)],
        [hard, at(1)],
        [soft, at(2)],
      ],
      [
        ['denylisted', 0],
        ['denylisted', 0],
        ['denylisted', 0],
      ],
    ],
    [
      'a quarantined address stays quarantined on soft errors',
      [
        [hard, at(0)],
        [full, at(3)],
      ],
      [
        ['quarantine', 1],
        ['quarantine', 1],
      ],
    ],
  ];
  for (const [title, steps, expected] of cases) {
    it(title, () => assert.deepEqual(run(steps), expected));
  }

  it('returns the same object when nothing changes (callers skip the write)', () => {
    const first = nextQuarantine(undefined, soft, at(0), P)!;
    assert.equal(nextQuarantine(first, soft, at(0, 1), P), first);
  });
});
