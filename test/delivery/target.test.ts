import assert from 'node:assert/strict';
import { AddressSet } from '../../server/delivery/address-set.js';
import { decide, type Candidate, type ExclusionState } from '../../server/delivery/exclusions.js';
import { DEFAULT_EXCLUSIONS, parseExclusions, parseTargetSpec, type ExclusionSettings } from '../../server/delivery/target-spec.js';
import type { QuarantineStatus } from '../../server/shared/glossary.js';

describe('target definitions', () => {
  const valid: unknown[] = [
    { kind: 'all' },
    { kind: 'service', serviceId: 3 },
    { kind: 'list', listId: 2, filter: { field: 'fields.city', op: 'in', value: ['Paris', 'Lyon'] } },
    {
      kind: 'all',
      filter: {
        all: [{ field: 'email', op: 'endsWith', value: '@example.com' }, { not: { field: 'lastName', op: 'isEmpty' } }, { subscribed: 'news', since: '-30d' }],
      },
    },
    { type: 'list', listId: 4, list: 'population' },
    { kind: 'addresses', addresses: ['a@example.com'], recipientId: null, sourceDeliveryId: 4, sourceKind: 'marketing' },
  ];
  for (const spec of valid) it(`accepts ${JSON.stringify(spec)}`, () => assert.doesNotThrow(() => parseTargetSpec(spec)));

  const invalid: Array<[string, unknown, RegExp]> = [
    ['no target', null, /no target set/],
    ['an unknown kind', { kind: 'sql', query: 'SELECT 1' }, /unknown target kind/],
    ['a service without id', { kind: 'service' }, /serviceId/],
    ['an unknown field', { kind: 'all', filter: { field: 'password_hash', op: 'eq', value: 'x' } }, /filter\.field: expected one of/],
    [
      'a custom field name that is not an identifier',
      { kind: 'all', filter: { field: "fields.a') OR 1=1 --", op: 'eq', value: 'x' } },
      /filter\.field: expected one of/,
    ],
    ['an operator the field does not take', { kind: 'all', filter: { field: 'fields.city', op: 'gt', value: '1' } }, /takes one of/],
    ['an operator object smuggled as a value', { kind: 'all', filter: { field: 'email', op: 'eq', value: { $ne: null } } }, /expected a string/],
    ['raw SQL', { kind: 'all', filter: { sql: '1=1' } }, /expected one of all, any, not, field, subscribed, inList/],
    ['conditions nested too deep', { kind: 'all', filter: JSON.parse('{"not":'.repeat(9) + '{"inList":"x"}' + '}'.repeat(9)) }, /nested more than 8/],
  ];
  for (const [title, spec, message] of invalid) it(`refuses ${title}`, () => assert.throws(() => parseTargetSpec(spec), message));

  it('fills exclusion settings with the defaults and checks the limit', () => {
    assert.deepEqual(parseExclusions(null), DEFAULT_EXCLUSIONS);
    assert.deepEqual(parseExclusions({ limit: 10 }), { ...DEFAULT_EXCLUSIONS, limit: 10 });
    assert.throws(() => parseExclusions({ limit: 0 }), /positive integer/);
  });
});

describe('exclusion rules', () => {
  const candidate = (email: string | null, extra: Partial<Candidate> = {}): Candidate => ({
    recipientId: 1,
    email,
    emailFormat: 'html',
    denylisted: false,
    denylistedEmail: false,
    ...extra,
  });
  const run = (rows: Array<[Candidate, QuarantineStatus?]>, settings: Partial<ExclusionSettings> = {}) => {
    const state: ExclusionState = { settings: { ...DEFAULT_EXCLUSIONS, ...settings }, seen: new AddressSet(), accepted: 0 };
    return rows.map(([c, q]) => {
      const d = decide(c, q, state);
      return d.deliver ? 'deliver' : d.reason;
    });
  };

  it('gives the first reason that applies, in Adobe’s order', () => {
    assert.deepEqual(
      run([
        [candidate(' Ann@Example.com ')],
        [candidate(null)],
        [candidate('   ')],
        [candidate('no-at-sign')],
        [candidate('ann@example.com', { denylisted: true })],
        [candidate('bob@example.com', { denylisted: true })],
        [candidate('cid@example.com', { denylistedEmail: true })],
        [candidate('dan@example.com'), 'quarantine'],
        [candidate('eve@example.com'), 'denylisted'],
        [candidate('fay@example.com'), 'with_errors'],
      ]),
      [
        'deliver',
        'address_not_specified',
        'address_not_specified',
        'invalid_address',
        'duplicate',
        'denylisted',
        'denylisted',
        'quarantined',
        'denylisted',
        'deliver',
      ],
    );
  });

  it('honours switched-off exclusions and the limit', () => {
    const rows: Array<[Candidate, QuarantineStatus?]> = [
      [candidate('a@example.com')],
      [candidate('a@example.com')],
      [candidate('b@example.com'), 'quarantine'],
      [candidate('c@example.com')],
    ];
    assert.deepEqual(run(rows, { duplicates: false, quarantined: false }), ['deliver', 'deliver', 'deliver', 'deliver']);
    assert.deepEqual(run(rows, { limit: 1 }), ['deliver', 'duplicate', 'quarantined', 'target_limited']);
  });

  it('remembers a million addresses in a compact set without false duplicates', () => {
    const set = new AddressSet();
    let seen = 0;
    for (let i = 0; i < 1_000_000; i++) if (set.addSeen(`user${i}@example${i % 50}.com`)) seen++;
    assert.equal(seen, 0);
    assert.equal(set.size, 1_000_000);
    assert.equal(set.addSeen('user123456@example6.com'), true);
  });
});
