import assert from 'node:assert/strict';
import { averagePerMinute, progressOf, queueLine } from '../../../server/web/console/progress.js';
import { ThroughputMeter } from '../../../server/web/console/throughput.js';
import { axisLabel, bucketLabel, buckets, hourlyOrDaily } from '../../../server/web/console/time-buckets.js';
import { translator } from '../../../server/web/i18n/translate.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('time buckets, throughput and delivery progress', () => {
  it('folds 5-minute slots into hours, empty hours included', () => {
    const rows = buckets(
      [
        { at: at(5), values: { opens: 2 } },
        { at: at(55), values: { opens: 1, clicks: 4 } },
        { at: at(185), values: { clicks: 1 } },
      ],
      ['opens', 'clicks'],
      'hour',
      100,
    );
    assert.deepEqual(
      rows.map((r) => [bucketLabel(r.start, 'hour'), r.values.opens, r.values.clicks]),
      [
        ['03-02 09:00', 3, 4],
        ['03-02 10:00', 0, 0],
        ['03-02 11:00', 0, 0],
        ['03-02 12:00', 0, 1],
      ],
    );
    assert.deepEqual([axisLabel(at(0), 'hour'), axisLabel(new Date('2026-03-03T00:00:00Z'), 'hour'), axisLabel(at(0), 'day')], ['09:00', '03-03', '03-02']);
  });

  it('keeps the latest buckets when there are too many, and switches to days for long spans', () => {
    const points = [
      { at: at(0), values: { n: 1 } },
      { at: at(60 * 10), values: { n: 2 } },
    ];
    assert.deepEqual(
      buckets(points, ['n'], 'hour', 3).map((r) => r.values.n),
      [0, 0, 2],
    );
    assert.equal(hourlyOrDaily(points, ['n'], 96).size, 'hour');
    const long = hourlyOrDaily([...points, { at: at(60 * 24 * 9), values: { n: 5 } }], ['n'], 96);
    assert.equal(long.size, 'day');
    assert.deepEqual(
      long.rows.map((r) => r.values.n),
      [3, 0, 0, 0, 0, 0, 0, 0, 0, 5],
    );
    assert.deepEqual(hourlyOrDaily([], ['n']).rows, []);
  });

  it('folds slots into the local days and hours of a time zone, across clock changes and half-hour offsets', () => {
    // opens every 5 minutes from 2026-03-28 20:00Z to 2026-03-30 04:00Z (32 h): Paris changes to summer time on the 29th
    const points = Array.from({ length: 32 * 12 }, (_, i) => ({ at: new Date(Date.parse('2026-03-28T20:00:00Z') + i * 300_000), values: { n: 1 } }));
    const days: Array<[string, Array<[string, number]>]> = [
      // zone, [local day, slots]
      [
        'UTC',
        [
          ['2026-03-28', 48],
          ['2026-03-29', 288],
          ['2026-03-30', 48],
        ],
      ],
      [
        'Europe/Paris',
        [
          ['2026-03-28', 36],
          ['2026-03-29', 276],
          ['2026-03-30', 72],
        ],
      ], // the 29th lasts 23 h
      [
        'America/New_York',
        [
          ['2026-03-28', 96],
          ['2026-03-29', 288],
        ],
      ], // already on summer time (since 8 March)
      [
        'Asia/Kolkata',
        [
          ['2026-03-29', 270],
          ['2026-03-30', 114],
        ],
      ], // days begin at 18:30Z
    ];
    for (const [zone, want] of days)
      assert.deepEqual(
        buckets(points, ['n'], 'day', 30, zone).map((r) => [bucketLabel(r.start, 'day', zone), r.values.n]),
        want,
        zone,
      );
    const kolkataHours = buckets(points.slice(0, 24), ['n'], 'hour', 10, 'Asia/Kolkata');
    assert.deepEqual(
      kolkataHours.map((r) => [r.start.toISOString(), bucketLabel(r.start, 'hour', 'Asia/Kolkata'), r.values.n]),
      [
        ['2026-03-28T19:30:00.000Z', '03-29 01:00', 6],
        ['2026-03-28T20:30:00.000Z', '03-29 02:00', 12],
        ['2026-03-28T21:30:00.000Z', '03-29 03:00', 6],
      ],
      'a half-hour zone’s hours begin at half past in UTC',
    );
    assert.equal(hourlyOrDaily(points, ['n'], 96, 'Europe/Paris').rows.length, 32, 'hours: 32 of them whatever the zone');
  });

  it('measures the recent rate from the counter growth, falling back to the average since the start', () => {
    const meter = new ThroughputMeter();
    const start = at(0);
    assert.equal(meter.record(1, 0, at(0), start), undefined, 'nothing known yet');
    assert.equal(meter.record(1, 300, at(1), start), 300, 'average since start while there is a single sample');
    assert.equal(meter.record(1, 1300, at(2), start), 1000, 'then the growth over the last minute');
    assert.equal(meter.record(2, 10, at(2), null), undefined, 'deliveries are measured apart');
  });

  it('turns a delivery row into the progress the dashboard shows, with translated labels', () => {
    const t = translator('en');
    const running = {
      state: 'in_progress' as const,
      toDeliver: 1000,
      processed: 250,
      sent: 240,
      failed: 10,
      newQuarantine: 4,
      startedAt: at(0),
      finishedAt: null,
    };
    const p = progressOf(
      running,
      [
        { reason: 'user_unknown', messages: 7 },
        { reason: null, messages: 3 },
      ],
      125,
      at(2),
      t,
    );
    assert.deepEqual(
      {
        state: p.stateLabel,
        live: p.live,
        pending: p.pending,
        newQuarantine: p.newQuarantine,
        percent: p.percent,
        perMinute: p.perMinute,
        failures: p.failures.map((f) => `${f.label}:${f.messages}`),
      },
      { state: 'in progress', live: true, pending: 750, newQuarantine: 4, percent: 25, perMinute: 125, failures: ['user unknown:7', 'not defined:3'] },
    );
    const finished = progressOf({ ...running, state: 'finished', processed: 1000, finishedAt: at(10) }, [], undefined, at(20), t);
    assert.deepEqual({ live: finished.live, pending: finished.pending, perMinute: finished.perMinute }, { live: false, pending: 0, perMinute: 100 });
    assert.equal(averagePerMinute({ ...running, startedAt: null }, at(5)), null);
  });

  it('gives a rate to sends shorter than a second, and none only when no time was measured', () => {
    const started = new Date('2026-05-01T10:00:00.000Z');
    const after = (ms: number) => new Date(started.getTime() + ms);
    const base = { state: 'finished' as const, toDeliver: 10, sent: 10, failed: 0, newQuarantine: 0, startedAt: started };
    const cases: Array<[string, number, number, number | null]> = [
      ['ten proofs in 0.2 s', 10, 200, 3000],
      ['one message in 40 ms', 1, 40, 1500],
      ['a thousand in 2.5 s', 1000, 2500, 24_000],
      ['nothing processed at the same instant', 0, 0, 0],
      ['messages but no time measured', 3, 0, null],
    ];
    for (const [name, processed, ms, perMinute] of cases)
      assert.equal(averagePerMinute({ ...base, processed, finishedAt: after(ms) }, after(60_000)), perMinute, name);
  });

  it("reads a transactional delivery's progress from what it received so far (it has no target count)", () => {
    const t = translator('en');
    const d = {
      kind: 'transactional' as const,
      state: 'in_progress' as const,
      toDeliver: 0,
      processed: 90,
      sent: 88,
      failed: 2,
      newQuarantine: 0,
      startedAt: at(0),
      finishedAt: null,
    };
    const p = progressOf(d, [], 30, at(60), t, 10);
    assert.deepEqual(
      { transactional: p.transactional, toDeliver: p.toDeliver, pending: p.pending, percent: p.percent },
      { transactional: true, toDeliver: 100, pending: 10, percent: 90 },
    );
    assert.deepEqual(queueLine(d, { due: 4, later: 6 }).total, 100);
    assert.deepEqual(queueLine({ ...d, kind: 'marketing' as const, toDeliver: 500 }, { due: 4, later: 6 }).total, 500);
    const idle = progressOf({ ...d, processed: 0 }, [], undefined, at(60), t, 0);
    assert.deepEqual({ toDeliver: idle.toDeliver, percent: idle.percent, pending: idle.pending }, { toDeliver: 0, percent: 0, pending: 0 });
  });
});
