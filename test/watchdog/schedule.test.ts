import assert from 'node:assert/strict';
import { memoryLevel, nextDailyRestart } from '../../server/watchdog/schedule.js';

const at = (day: number, hour: number, minute: number, second = 0) => new Date(2026, 2, day, hour, minute, second).getTime();

describe('watchdog schedules', () => {
  const daily: Array<{ case: string; after: number; time: string; next: number | undefined }> = [
    { case: 'later the same day', after: at(10, 5, 59), time: '06:00', next: at(10, 6, 0) },
    { case: 'the next day when the time has passed', after: at(10, 6, 0, 1), time: '06:00', next: at(11, 6, 0) },
    { case: 'the next day when it is exactly that time', after: at(10, 6, 0), time: '06:00', next: at(11, 6, 0) },
    { case: 'across the end of a month', after: at(31, 23, 0), time: '00:30', next: new Date(2026, 3, 1, 0, 30).getTime() },
    { case: 'never when the time is empty', after: at(10, 5, 0), time: '', next: undefined },
  ];
  for (const c of daily) {
    it(`plans the daily restart ${c.case}`, () => assert.equal(nextDailyRestart(c.after, c.time), c.next));
  }

  const MB = 1024 * 1024;
  const memory: Array<[rssMb: number, level: string]> = [
    [100, 'ok'],
    [1024, 'ok'],
    [1025, 'warning'],
    [1536, 'warning'],
    [1537, 'alert'],
  ];
  for (const [rssMb, level] of memory) {
    it(`rates ${rssMb} MB against a 1024 MB warning and a 1536 MB alert as ${level}`, () => {
      assert.equal(memoryLevel(rssMb * MB, { memoryWarningMb: 1024, memoryAlertMb: 1536 }), level);
    });
  }
});
