import assert from 'node:assert/strict';
import { addressDomain, addressProblem, normalizeAddress } from '../../server/shared/email-address.js';

describe('email addresses', () => {
  const cases: Array<[address: string, problem: RegExp | undefined]> = [
    ['a@b.co', undefined],
    ["o'hara@example.ie", undefined],
    ['x+tag@sub.example.org', undefined],
    ['first.last@xn--bcher-kva.example', undefined],
    ['', /empty email/],
    [`${'a'.repeat(310)}@example.com`, /longer than 320/],
    ['ann.example.com', /no "@"/],
    ['ann@', /no "@"/],
    ['@example.com', /no "@"/],
    [`${'a'.repeat(65)}@example.com`, /local part longer than 64/],
    ['a nn@example.com', /local part has characters/],
    ['ann..b@example.com', /local part has characters/],
    ['ann@-example.com', /domain is not a valid host name/],
    ['ann@localhost', /domain is not a valid host name/],
    ['ann@10.0.0.1', /domain is not a valid host name/],
    ['ann@example.com\r\nBcc: x@evil.test', /domain|local part/],
  ];
  for (const [address, problem] of cases) {
    it(`${problem ? 'refuses' : 'accepts'} ${JSON.stringify(address.length > 40 ? `${address.slice(0, 20)}…` : address)}`, () => {
      const found = addressProblem(address);
      if (problem) assert.match(found ?? '', problem);
      else assert.equal(found, undefined);
    });
  }

  it('compares addresses trimmed and in lower case, and reads their domain in lower case', () => {
    assert.equal(normalizeAddress('  Ann@Example.COM \n'), 'ann@example.com');
    assert.equal(normalizeAddress(null), '');
    assert.equal(addressDomain('ann@Mail.Example.com'), 'mail.example.com');
    assert.equal(addressDomain('"a@b"@example.org'), 'example.org');
  });
});
