import assert from 'node:assert/strict';
import {
  canonicalTimeZone,
  instantAtLocalTime,
  localDayOf,
  nextLocalTime,
  offsetMinutes,
  parseLocalDay,
  parseLocalTime,
  startOfLocalDay,
} from '../../../server/shared/time-zones/zone-maths.js';
import { recipientZone, zoneOfCountry } from '../../../server/shared/time-zones/country-zones.js';

// 2026 transitions: Europe (last Sundays) 29 March 02:00→03:00 and 25 October 03:00→02:00; United
// States 8 March 02:00→03:00 and 1 November 02:00→01:00; south-east Australia 5 April 03:00→02:00
// and 4 October 02:00→03:00 (Adelaide, half an hour off Sydney, on the same days).

describe('time-zone maths (pure)', () => {
  it('gives the offset from UTC on both sides of each transition, in minutes', () => {
    const cases: Array<[string, string, number]> = [
      ['Europe/Paris', '2026-03-29T00:59:59Z', 60],
      ['Europe/Paris', '2026-03-29T01:00:00Z', 120],
      ['Europe/Paris', '2026-10-25T00:59:59Z', 120],
      ['Europe/Paris', '2026-10-25T01:00:00Z', 60],
      ['America/New_York', '2026-03-08T06:59:59Z', -300],
      ['America/New_York', '2026-03-08T07:00:00Z', -240],
      ['America/New_York', '2026-11-01T05:59:59Z', -240],
      ['America/New_York', '2026-11-01T06:00:00Z', -300],
      ['Australia/Sydney', '2026-04-04T15:59:59Z', 660],
      ['Australia/Sydney', '2026-04-04T16:00:00Z', 600],
      ['Australia/Sydney', '2026-10-03T15:59:59Z', 600],
      ['Australia/Sydney', '2026-10-03T16:00:00Z', 660],
      ['Australia/Adelaide', '2026-01-15T00:00:00Z', 630],
      ['Australia/Adelaide', '2026-07-15T00:00:00Z', 570],
      ['Asia/Kolkata', '2026-07-15T00:00:00Z', 330],
      ['Asia/Kathmandu', '2026-07-15T00:00:00Z', 345],
      ['UTC', '2026-07-15T00:00:00Z', 0],
    ];
    for (const [zone, at, offset] of cases) assert.equal(offsetMinutes(new Date(at), zone), offset, `${zone} at ${at}`);
  });

  it('finds the instant of a wall-clock time: skipped times move past the jump, repeated times are their first occurrence', () => {
    const cases: Array<[string, string, string, string, string]> = [
      // zone, day, time, instant, why
      ['Europe/Paris', '2026-01-15', '09:00', '2026-01-15T08:00:00.000Z', 'winter time'],
      ['Europe/Paris', '2026-07-15', '09:00', '2026-07-15T07:00:00.000Z', 'summer time'],
      ['Europe/Paris', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z', 'skipped: read as 03:30 CEST'],
      ['Europe/Paris', '2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', 'first minute after the jump'],
      ['Europe/Paris', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', 'repeated: the first 02:30 (CEST)'],
      ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z', 'skipped: read as 03:30 EDT'],
      ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z', 'repeated: the first 01:30 (EDT)'],
      ['America/New_York', '2026-06-01', '09:00', '2026-06-01T13:00:00.000Z', 'summer time'],
      ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z', 'repeated: the first 02:30 (AEDT)'],
      ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:30:00.000Z', 'skipped: read as 03:30 AEDT'],
      ['Australia/Sydney', '2026-07-01', '09:00', '2026-06-30T23:00:00.000Z', 'the day before in UTC'],
      ['Australia/Adelaide', '2026-10-04', '02:30', '2026-10-03T17:00:00.000Z', 'half-hour zone, skipped time'],
      ['Australia/Adelaide', '2026-12-08', '09:00', '2026-12-07T22:30:00.000Z', 'half-hour zone in summer'],
      ['Asia/Kolkata', '2026-01-15', '09:00', '2026-01-15T03:30:00.000Z', 'half-hour zone, no DST'],
      ['Asia/Kathmandu', '2026-12-08', '09:00', '2026-12-08T03:15:00.000Z', 'quarter-hour zone'],
    ];
    for (const [zone, day, time, instant, why] of cases)
      assert.equal(instantAtLocalTime(day, time, zone).toISOString(), instant, `${zone} ${day} ${time}: ${why}`);
  });

  it('finds the next time of day in a zone, across days that last 23 or 25 hours', () => {
    const cases: Array<[string, string, string, string]> = [
      // zone, from, next 09:00, why
      ['America/New_York', '2026-03-07T15:00:00Z', '2026-03-08T13:00:00.000Z', 'tomorrow, after clocks go forward (23 h day)'],
      ['Europe/Paris', '2026-10-24T08:00:00Z', '2026-10-25T08:00:00.000Z', 'tomorrow, after clocks go back (25 h day)'],
      ['Australia/Sydney', '2026-04-04T00:00:00Z', '2026-04-04T23:00:00.000Z', 'tomorrow in Sydney, after clocks go back'],
      ['Europe/Paris', '2026-01-15T08:00:00Z', '2026-01-15T08:00:00.000Z', 'exactly now'],
      ['Europe/Paris', '2026-01-15T07:59:00Z', '2026-01-15T08:00:00.000Z', 'later today'],
      ['Asia/Kolkata', '2026-01-15T03:31:00Z', '2026-01-16T03:30:00.000Z', 'a minute late: tomorrow'],
    ];
    for (const [zone, from, next, why] of cases) assert.equal(nextLocalTime(new Date(from), '09:00', zone).toISOString(), next, `${zone} from ${from}: ${why}`);
  });

  it('names the local day of an instant and the instant a local day begins', () => {
    const days: Array<[string, string, string]> = [
      ['Europe/Paris', '2026-12-07T23:30:00Z', '2026-12-08'],
      ['America/New_York', '2026-12-07T23:30:00Z', '2026-12-07'],
      ['Australia/Sydney', '2026-12-07T13:00:00Z', '2026-12-08'],
      ['Asia/Kolkata', '2026-12-07T18:29:59Z', '2026-12-07'],
      ['Asia/Kolkata', '2026-12-07T18:30:00Z', '2026-12-08'],
    ];
    for (const [zone, at, day] of days) assert.equal(localDayOf(new Date(at), zone), day, `${zone} at ${at}`);
    const starts: Array<[string, string, string]> = [
      ['Europe/Paris', '2026-03-29', '2026-03-28T23:00:00.000Z'],
      ['Europe/Paris', '2026-03-30', '2026-03-29T22:00:00.000Z'],
      ['Australia/Sydney', '2026-04-05', '2026-04-04T13:00:00.000Z'],
      ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'], // midnight is skipped there: the day begins at 01:00
    ];
    for (const [zone, day, start] of starts) assert.equal(startOfLocalDay(day, zone).toISOString(), start, `${zone} ${day}`);
  });

  it('accepts IANA zone names only, in their canonical spelling', () => {
    const cases: Array<[string, string | undefined]> = [
      ['Europe/Paris', 'Europe/Paris'],
      ['europe/paris', 'Europe/Paris'],
      [' America/New_York ', 'America/New_York'],
      ['UTC', 'UTC'],
      ['Mars/Olympus_Mons', undefined],
      ['+01:00', undefined],
      ['', undefined],
      ['Europe/Paris; DROP TABLE', undefined],
    ];
    for (const [name, canonical] of cases) assert.equal(canonicalTimeZone(name), canonical, JSON.stringify(name));
  });

  it('reads times of day and calendar days, refusing what does not exist', () => {
    assert.deepEqual(parseLocalTime('09:00'), { hour: 9, minute: 0 });
    assert.deepEqual(parseLocalTime('23:59'), { hour: 23, minute: 59 });
    for (const bad of ['24:00', '9:00', '09:60', '0900', '']) assert.equal(parseLocalTime(bad), undefined, bad);
    assert.deepEqual(parseLocalDay('2028-02-29'), { year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-13-01', '26-01-01']) assert.equal(parseLocalDay(bad), undefined, bad);
  });

  it('defaults a zone by country, and leaves countries spread over several zones to the delivery', () => {
    const cases: Array<[string, string | undefined]> = [
      ['FR', 'Europe/Paris'],
      ['fr', 'Europe/Paris'],
      ['JP', 'Asia/Tokyo'],
      ['DE', 'Europe/Berlin'],
      ['ES', 'Europe/Madrid'],
      ['US', undefined],
      ['AU', undefined],
      ['ZZ', undefined],
      ['FRA', undefined],
    ];
    for (const [country, zone] of cases) assert.equal(zoneOfCountry(country), zone, country);
    assert.equal(recipientZone({ timeZone: 'Asia/Tokyo', country: 'FR' }, 'UTC'), 'Asia/Tokyo', 'own zone first');
    assert.equal(recipientZone({ timeZone: null, country: 'FR' }, 'UTC'), 'Europe/Paris', 'then the country');
    assert.equal(recipientZone({ timeZone: null, country: 'US' }, 'America/Chicago'), 'America/Chicago', 'then the delivery');
    assert.equal(recipientZone({ timeZone: 'Nowhere/Else', country: null }, 'Europe/Paris'), 'Europe/Paris', 'an unknown stored zone is ignored');
  });
});
