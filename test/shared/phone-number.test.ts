import assert from 'node:assert/strict';
import { checkPhoneNumber, isCountryCode, isE164 } from '../../server/shared/phone-number.js';

describe('phone numbers', () => {
  const cases: Array<{ typed: string; kind?: 'mobile' | 'fax'; country?: string; e164?: string; reason?: RegExp }> = [
    { typed: '+33612345678', e164: '+33612345678' },
    { typed: '+33 6 12 34 56 78', e164: '+33612345678' },
    { typed: '0033 6 12 34 56 78', e164: '+33612345678' },
    { typed: '06 12 34 56 78', country: 'FR', e164: '+33612345678' },
    { typed: '(415) 555-2671', country: 'US', e164: '+14155552671' },
    { typed: '+44 7911 123456', e164: '+447911123456' },
    { typed: '01 45 67 89 01', kind: 'fax', country: 'FR', e164: '+33145678901' },
    { typed: '', reason: /empty mobile number/ },
    { typed: '06 12 34 56 78', reason: /has no country code .*recipients\.defaultCountry/ },
    { typed: '+33 1 45 67 89 01', reason: /is a landline, not a mobile number/ },
    { typed: '+33 800 123 456', reason: /toll-free number, not a mobile number/ },
    { typed: '+1', reason: /is not a valid number/ },
    { typed: '+447700900123', reason: /is not a valid number/ },
    { typed: '+999 123 456', reason: /is not a valid number/ },
    { typed: '12345', country: 'FR', reason: /is not a valid number in FR/ },
    { typed: '+33 6 12 34 56 7a', reason: /holds characters other than digits/ },
    { typed: '=1+2', reason: /holds characters other than digits/ },
    { typed: `+33${'1'.repeat(40)}`, reason: /longer than 40 characters/ },
  ];
  for (const c of cases) {
    const what = `${c.kind ?? 'mobile'} ${JSON.stringify(c.typed.slice(0, 24))}${c.country ? ` in ${c.country}` : ''}`;
    it(c.e164 ? `stores the ${what} as ${c.e164}` : `refuses the ${what} with its reason`, () => {
      const result = checkPhoneNumber(c.typed, c.kind ?? 'mobile', c.country);
      if (c.e164) assert.deepEqual(result, { ok: true, e164: c.e164 });
      else {
        assert.equal(result.ok, false);
        assert.match((result as { reason: string }).reason, c.reason!);
      }
    });
  }

  it('knows which stored values are E.164 and which country codes exist', () => {
    assert.deepEqual(['+33612345678', '33612345678', '+0612345678', '+1234', '+1234567890123456'].map(isE164), [true, false, false, false, false]);
    assert.deepEqual(['FR', 'US', 'fr', 'ZZ', 'FRA', ''].map(isCountryCode), [true, true, false, false, false, false]);
  });
});
