import assert from 'node:assert/strict';
import { normalizeBounceText } from '../../server/bounce/normalize-text.js';

describe('normalizeBounceText()', () => {
  const cases: Array<[string, string]> = [
    ['550 5.1.1 <ann@example.com>... User Unknown', '550 5.1.1 *... User Unknown'],
    ['550 5.1.1 <bob@example.org>... User Unknown', '550 5.1.1 *... User Unknown'],
    ['Delivery failed 20 attempts: kijitora@example.com', 'Delivery failed #xxx# attempts: *'],
    ['kijitora@example.jp on Thu, 29 Apr 2010 00:00:00 -0000 The recipient name is not recognized', '* on #xxx# The recipient name is not recognized'],
    [
      '451 4.7.650 The mail server [192.0.2.25] has been rate limited [NAM02 2024-05-09T23:34:45.000Z]',
      '451 4.7.650 The mail server [#xxx#] has been rate limited [#xxx#]',
    ],
    ['421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred', '421 4.7.0 [#xxx#] Messages from #xxx# temporarily deferred'],
    ['  550   spaces\n\tcollapsed  ', '550 spaces collapsed'],
  ];
  for (const [input, expected] of cases) {
    it(`normalizes "${input.trim().slice(0, 50)}"`, () => assert.equal(normalizeBounceText(input), expected));
  }

  it('gives the same key to the same reply for different recipients and ids', () => {
    const a = normalizeBounceText('550 5.7.1 Message rejected, id=2222-02-222 for <a@x.example>');
    const b = normalizeBounceText('550 5.7.1 Message rejected, id=9731-11-004 for <b@y.example>');
    assert.equal(a, b);
  });

  it('bounds the stored text', () => assert.ok(normalizeBounceText('word '.repeat(1000)).length <= 1000));
});
