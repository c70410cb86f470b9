import assert from 'node:assert/strict';
import { decideRestart, NO_CRASHES, type CrashHistory, type RestartPolicy } from '../../server/watchdog/restart-policy.js';

const POLICY: RestartPolicy = {
  backoffInitialMs: 100,
  backoffFactor: 1.5,
  backoffMaxMs: 15_000,
  stableAfterMs: 30_000,
  crashLoopCount: 10,
  crashLoopWindowMs: 300_000,
  crashLoopRestartDelayMs: 60_000,
};

type Run = [ranMs: number, code?: number, neverReady?: 'never'];
type Outcome = { delayMs: number; crashLooping: boolean; entered: boolean } | 'give-up';

/**
 * A module that runs each of `runs` (ms it ran after it got ready, or `never` ready within that
 * time; exit code) and is restarted after the decided delay: the clock only moves by runs and delays.
 */
function simulate(runs: Run[], policy: RestartPolicy = POLICY): Outcome[] {
  let now = 1_000_000;
  let history: CrashHistory = NO_CRASHES;
  return runs.map(([ranMs, code = 1, never]) => {
    const readyAt = never ? undefined : now;
    now += ranMs;
    const decision = decideRestart(history, { code, readyAt, now }, policy);
    history = decision.history;
    if (decision.action === 'give-up') return 'give-up';
    now += decision.delayMs;
    return { delayMs: decision.delayMs, crashLooping: decision.history.crashLooping, entered: decision.enteredCrashLoop };
  });
}

const times = (n: number, run: Run) => Array.from({ length: n }, () => run);
const delays = (outcomes: Outcome[]) => outcomes.map((o) => (o === 'give-up' ? o : o.delayMs));

describe('watchdog restart policy', () => {
  const cases: Array<{ case: string; runs: Run[]; policy?: Partial<RestartPolicy>; delays: Array<number | 'give-up'>; loopingFrom?: number }> = [
    {
      case: 'a module that exits at once backs off 100 ms × 1.5ⁿ, then crash-loops at the 10th crash in 5 minutes with one restart per 60 s',
      runs: times(12, [50]),
      delays: [100, 150, 225, 338, 506, 759, 1139, 1709, 2563, 60_000, 60_000, 60_000],
      loopingFrom: 9,
    },
    {
      case: 'the backoff is capped at 15 s',
      runs: times(15, [50]),
      policy: { crashLoopCount: 1000 },
      delays: [100, 150, 225, 338, 506, 759, 1139, 1709, 2563, 3844, 5767, 8650, 12_975, 15_000, 15_000],
    },
    {
      case: 'a run of 30 s or more starts the backoff over',
      runs: [[50], [50], [50], [30_000], [50], [29_999], [50]],
      delays: [100, 150, 225, 100, 150, 225, 338],
    },
    {
      case: 'a module that never got ready does not count as stable, however long it tried',
      runs: [[50], [60_000, 1, 'never'], [60_000, 1, 'never']],
      delays: [100, 150, 225],
    },
    {
      case: 'a crash-looping module that then runs longer than the window leaves the crash loop',
      runs: [...times(10, [50]), [400_000], [50]],
      delays: [100, 150, 225, 338, 506, 759, 1139, 1709, 2563, 60_000, 100, 150],
      loopingFrom: 9,
    },
    {
      case: 'exit code 78 (config error) is never restarted, even after crashes',
      runs: [[50], [50], [50, 78]],
      delays: [100, 150, 'give-up'],
    },
  ];

  for (const c of cases) {
    it(c.case, () => {
      const outcomes = simulate(c.runs, { ...POLICY, ...c.policy });
      assert.deepEqual(delays(outcomes), c.delays);
      const looping = outcomes.map((o) => o !== 'give-up' && o.crashLooping);
      const entered = outcomes.map((o) => o !== 'give-up' && o.entered);
      const from = c.loopingFrom;
      const expectedLooping = looping.map((_, i) => from !== undefined && i >= from && c.delays[i] === 60_000);
      assert.deepEqual(looping, expectedLooping, 'crash-looping exactly while the throttle applies');
      assert.deepEqual(
        entered,
        looping.map((_, i) => i === from),
        'the crash loop is reported once, when it starts',
      );
    });
  }

  it('reports the crash loop again when a module crash-loops after a stable run inside the window', () => {
    const outcomes = simulate([...times(10, [50]), [31_000], [50]]);
    const tail = outcomes.slice(9) as Array<Exclude<Outcome, 'give-up'>>;
    assert.deepEqual(
      tail.map((o) => [o.delayMs, o.crashLooping, o.entered]),
      [
        [60_000, true, true],
        [60_000, true, true],
        [60_000, true, false],
      ],
    );
  });
});
