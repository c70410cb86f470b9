import assert from 'node:assert/strict';
import { fitting, reserve } from '../../server/shared/gcra.js';

describe('GCRA pacing (pure)', () => {
  it('spreads a rate evenly and allows one burst window', () => {
    const interval = 1000; // 3600 messages per hour
    let tat = 0;
    let granted = 0;
    for (let t = 0; t < 60_000; t += 100) {
      const r = reserve(tat, t, 1, interval, 1000);
      if (r.ok) {
        tat = r.tat;
        granted++;
      }
    }
    assert.ok(granted >= 60 && granted <= 61, `one minute at one per second gives 60 (+1 burst), got ${granted}`);
  });
  it('refuses a reservation that does not fit and says how long to wait', () => {
    const r = reserve(5000, 0, 2, 1000, 1000);
    assert.deepEqual(r, { ok: false, tat: 5000, waitMs: 6000 });
  });
  it('says how many of a request fit now, so that it is granted in part rather than refused whole', () => {
    assert.equal(fitting(0, 0, 20, 100, 1000), 10, 'a full burst window: ten at 100 ms');
    assert.equal(fitting(700, 0, 20, 100, 1000), 3, 'three left in the window');
    assert.equal(fitting(700, 0, 2, 100, 1000), 2, 'never more than asked');
    assert.equal(fitting(1000, 0, 5, 100, 1000), 0, 'the window is full');
    assert.equal(fitting(0, 5000, 5, 100, 1000), 5, 'an idle key starts from now');
    assert.equal(fitting(0, 0, 5, 3_600_000 / 7000, 1000), 1, 'an interval that is not a whole number of ms');
  });
});
