import assert from 'node:assert/strict';
import type { HeraldError } from '../../server/shared/errors.js';
import { CronTasks } from '../../server/workflows/cron-tasks.js';
import { compileSchedule, latestFireBetween } from '../../server/workflows/schedule.js';
import { at } from './helpers.js';

describe('workflow schedules', () => {
  const nextCases: Array<{ cron: string; tz?: string; after: string; next: string }> = [
    { cron: '0 4 * * *', after: '2026-03-10T03:59:59Z', next: '2026-03-10T04:00:00Z' },
    { cron: '0 4 * * *', after: '2026-03-10T04:00:00Z', next: '2026-03-11T04:00:00Z' },
    { cron: '*/15 * * * *', after: '2026-03-10T10:07:00Z', next: '2026-03-10T10:15:00Z' },
    { cron: '*/5 * * * *', after: '2026-03-10T23:58:00Z', next: '2026-03-11T00:00:00Z' },
    { cron: '0 9 * * 1-5', after: '2026-03-13T10:00:00Z', next: '2026-03-16T09:00:00Z' },
    { cron: '0 0 1 * *', after: '2026-02-15T00:00:00Z', next: '2026-03-01T00:00:00Z' },
    { cron: '*/10 * * * * *', after: '2026-03-10T10:00:01Z', next: '2026-03-10T10:00:10Z' },
    { cron: '0 4 * * *', tz: 'Europe/Paris', after: '2026-01-10T00:00:00Z', next: '2026-01-10T03:00:00Z' },
    { cron: '0 4 * * *', tz: 'Europe/Paris', after: '2026-07-10T00:00:00Z', next: '2026-07-10T02:00:00Z' },
  ];
  for (const c of nextCases) {
    it(`fires "${c.cron}"${c.tz ? ` in ${c.tz}` : ''} next at ${c.next} after ${c.after}`, () => {
      assert.equal(
        compileSchedule(c.cron, c.tz ?? 'UTC')
          .next(at(c.after))
          .toISOString(),
        at(c.next).toISOString(),
      );
    });
  }

  const missedCases: Array<{ case: string; cron: string; since: string; until: string; slot: string | null }> = [
    {
      case: 'three nights of downtime give the last night only',
      cron: '0 4 * * *',
      since: '2026-03-01T04:00:00Z',
      until: '2026-03-04T10:00:00Z',
      slot: '2026-03-04T04:00:00Z',
    },
    { case: 'nothing is missed before the next fire time', cron: '0 4 * * *', since: '2026-03-04T04:00:00Z', until: '2026-03-05T03:59:59Z', slot: null },
    { case: 'the bound is inclusive', cron: '0 4 * * *', since: '2026-03-04T04:00:00Z', until: '2026-03-05T04:00:00Z', slot: '2026-03-05T04:00:00Z' },
    {
      case: 'a frequent schedule down for days gives its latest slot',
      cron: '* * * * *',
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-04T10:00:30Z',
      slot: '2026-03-04T10:00:00Z',
    },
    { case: 'every five minutes', cron: '*/5 * * * *', since: '2026-03-04T03:58:00Z', until: '2026-03-04T04:09:59Z', slot: '2026-03-04T04:05:00Z' },
    { case: 'a seconds schedule', cron: '*/10 * * * * *', since: '2026-03-04T04:00:00Z', until: '2026-03-04T04:00:35Z', slot: '2026-03-04T04:00:30Z' },
  ];
  for (const c of missedCases) {
    it(`finds the missed slot to run once: ${c.case}`, () => {
      const slot = latestFireBetween(compileSchedule(c.cron, 'UTC'), at(c.since), at(c.until));
      assert.equal(slot?.toISOString() ?? null, c.slot === null ? null : at(c.slot).toISOString());
    });
  }

  it('refuses an invalid expression with a readable error', () => {
    assert.throws(
      () => compileSchedule('61 * * * *'),
      (err: HeraldError) => err.code === 'WF_BAD_SCHEDULE' && /61 \* \* \* \*/.test(err.message),
    );
  });

  it('has node-cron report each slot at the time it was due', async function () {
    this.timeout(10_000);
    const fired: Array<{ name: string; slot: Date }> = [];
    let done!: () => void;
    const twice = new Promise<void>((resolve) => (done = resolve));
    const tasks = new CronTasks(
      'UTC',
      (name, slot) => {
        fired.push({ name, slot });
        if (fired.length === 2) done();
      },
      () => undefined,
    );
    tasks.sync([{ name: 'every-second', expression: '* * * * * *' }]);
    assert.deepEqual(tasks.names(), ['every-second']);
    await twice;
    tasks.clear();
    assert.deepEqual(tasks.names(), []);
    for (const f of fired) {
      assert.equal(f.name, 'every-second');
      assert.equal(f.slot.getMilliseconds(), 0, 'a slot is a whole second of the schedule');
    }
    assert.equal(fired[1]!.slot.getTime() - fired[0]!.slot.getTime(), 1000, 'consecutive slots of the schedule');
  });
});
