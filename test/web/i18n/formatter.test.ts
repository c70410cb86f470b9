import assert from 'node:assert/strict';
import { formatter } from '../../../server/web/i18n/translate.js';

describe('numbers and dates per language', () => {
  const at = new Date('2026-12-07T17:52:00Z');
  const cases: Array<[string, string, string, string, string, string]> = [
    // language, zone, instant, number, percent, calendar day
    ['en', 'UTC', '2026-12-07 17:52', '1,234,567', '12.5 %', '2026-03-01'],
    ['en', 'America/Mexico_City', '2026-12-07 11:52', '1,234,567', '12.5 %', '2026-03-01'],
    ['es', 'America/Mexico_City', '07/12/2026 11:52', '1.234.567', '12,5 %', '01/03/2026'],
    ['es', 'Europe/Madrid', '07/12/2026 18:52', '1.234.567', '12,5 %', '01/03/2026'],
    ['de', 'Europe/Berlin', '07.12.2026 18:52', '1.234.567', '12,5 %', '01.03.2026'],
    ['fr', 'Europe/Paris', '07/12/2026 18:52', '1 234 567', '12,5 %', '01/03/2026'],
  ];
  for (const [language, zone, instant, number, percent, day] of cases)
    it(`writes ${language} in ${zone} as ${instant}, ${number}, ${percent}`, () => {
      const fmt = formatter(language, zone);
      assert.equal(fmt.date(at), instant);
      assert.equal(fmt.int(1_234_567).replace(/\u202f|\u00a0/g, ' '), number);
      assert.equal(fmt.percent(1, 8).replace(/\u202f|\u00a0/g, ' '), percent);
      assert.equal(fmt.pct(12.5).replace(/\u202f|\u00a0/g, ' '), percent);
      assert.equal(fmt.day(new Date('2026-03-01T00:00:00Z')), day);
    });

  it('leaves nothing for no value and a dash for no base', () => {
    const fmt = formatter('es', 'UTC');
    assert.deepEqual([fmt.date(null), fmt.date('not a date'), fmt.int(undefined), fmt.day(null), fmt.percent(1, 0), fmt.pct(null)], ['', '', '', '', '–', '–']);
  });
});
