import assert from 'node:assert/strict';
import type { Condition } from '../../../server/db/filters/recipient-condition.js';
import { parseSeeds } from '../../../server/delivery/proof-seeds.js';
import { withoutOpenPixel } from '../../../server/web/routes/delivery-live.js';
import { emptyDeliveryForm, parseDeliveryForm, readDeliveryForm } from '../../../server/web/forms/delivery-form.js';
import { conditionFromRows, rowsFromCondition, type FilterRow } from '../../../server/web/forms/filter-rows.js';

const row = (field: string, op: string, value = ''): FilterRow => ({ field, op, value });

describe('delivery form and filter rows', () => {
  it('turns filter rows into the recipient condition language', () => {
    const cases: Array<[FilterRow[], 'all' | 'any', Condition | undefined]> = [
      [[], 'all', undefined],
      [[row('', 'eq', 'ignored')], 'all', undefined],
      [[row('domain', 'eq', 'example.com')], 'all', { all: [{ field: 'domain', op: 'eq', value: 'example.com' }] }],
      [
        [row('fields.city', 'in', 'Paris, Lyon ,'), row('denylisted', 'eq', 'false')],
        'any',
        {
          any: [
            { field: 'fields.city', op: 'in', value: ['Paris', 'Lyon'] },
            { field: 'denylisted', op: 'eq', value: false },
          ],
        },
      ],
      [
        [row('subscribed', 'eq', 'news'), row('inList', 'ne', 'vip'), row('lastName', 'isEmpty', 'x')],
        'all',
        { all: [{ subscribed: 'news' }, { not: { inList: 'vip' } }, { field: 'lastName', op: 'isEmpty' }] },
      ],
    ];
    for (const [rows, match, expected] of cases) assert.deepEqual(conditionFromRows(match, rows), expected, JSON.stringify(rows));
  });

  it('shows a stored condition as rows again, or asks for JSON when rows cannot show it', () => {
    const shown: Condition[] = [
      { all: [{ field: 'domain', op: 'eq', value: 'example.com' }, { not: { subscribed: 'news' } }] },
      { any: [{ inList: 'vip' }, { field: 'fields.plan', op: 'in', value: ['gold', 'silver'] }] },
      { field: 'email', op: 'endsWith', value: '@example.com' },
    ];
    for (const c of shown) {
      const rows = rowsFromCondition(c)!;
      const again = conditionFromRows(rows.match, rows.rows);
      assert.deepEqual(again, 'all' in c || 'any' in c ? c : { all: [c] });
    }
    const json: Condition[] = [
      { all: [{ any: [{ inList: 'a' }, { inList: 'b' }] }] },
      { subscribed: 'news', since: '-7d' },
      { not: { field: 'domain', op: 'eq', value: 'x' } },
      { all: Array.from({ length: 6 }, () => ({ inList: 'a' })) },
    ];
    for (const c of json) assert.equal(rowsFromCondition(c), undefined, JSON.stringify(c));
  });

  it('reads and checks the form: what is wrong comes back as message keys', () => {
    const body = (over: Record<string, string>) => ({
      ...Object.fromEntries(Object.entries(emptyDeliveryForm()).filter(([, v]) => typeof v === 'string')),
      internalName: 'spring',
      label: 'Spring',
      fromAddress: 'News@Example.com',
      ...over,
    });
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{}, {}],
      [{ internalName: '42' }, { internalName: 'deliveries.error.internal_name' }],
      [
        { label: '', fromAddress: '' },
        { label: 'form.error.required', fromAddress: 'form.error.required' },
      ],
      [{ headers: 'X-Campaign: <%= delivery.label %>\nnot a header' }, { headers: 'deliveries.error.headers' }],
      [{ limit: '0' }, { limit: 'deliveries.error.limit' }],
      [{ validityEnd: '2026-02-30 10:00' }, { validityEnd: 'form.error.datetime' }],
      [{ targetKind: 'service', serviceId: 'x' }, { serviceId: 'deliveries.error.service' }],
      [{ filterJson: '{"all":[]}' }, { filter: 'deliveries.error.filter' }],
      [{ filterJson: '{not json' }, { filter: 'deliveries.error.filter' }],
    ];
    for (const [over, errors] of cases) assert.deepEqual(parseDeliveryForm(readDeliveryForm(body(over), 1000), true).errors, errors, JSON.stringify(over));
    const { input } = parseDeliveryForm(
      readDeliveryForm(
        body({
          headers: 'X-Campaign: spring',
          scheduledAt: '2026-05-01T09:30',
          limit: '500',
          targetKind: 'list',
          listId: '3',
          f0_field: 'domain',
          f0_op: 'ne',
          f0_value: 'spam.example',
        }),
        1000,
      ),
      true,
    );
    assert.deepEqual(
      {
        from: input!.fromAddress,
        headers: input!.headers,
        scheduledAt: input!.scheduledAt!.toISOString(),
        limit: input!.limit,
        target: input!.target,
        tracking: input!.trackingEnabled,
      },
      {
        from: 'news@example.com',
        headers: { 'X-Campaign': 'spring' },
        scheduledAt: '2026-05-01T09:30:00.000Z',
        limit: 500,
        target: { kind: 'list', listId: 3, filter: { all: [{ field: 'domain', op: 'ne', value: 'spam.example' }] } },
        tracking: false,
      },
    );
  });

  it('reads seed addresses separated by commas or new lines, each once, and names every invalid seed as typed', () => {
    const cases: Array<[string, string[], string[]]> = [
      [' A@x.com, b@x.com;\n\na@x.com\r\nc@x.com ', ['a@x.com', 'b@x.com', 'c@x.com'], []],
      ['not an address', [], ['not an address']],
      ['qa@example.com, not an address\nqa2@example.com @x.com', ['qa@example.com'], ['not an address', 'qa2@example.com @x.com']],
      ['a@x.com  b@x.com', [], ['a@x.com  b@x.com']],
      [' , \n ', [], []],
    ];
    for (const [typed, seeds, invalid] of cases) assert.deepEqual(parseSeeds(typed, 10), { seeds, invalid }, JSON.stringify(typed));
    assert.equal(parseSeeds('a@x.com,b@x.com,c@x.com,d@x.com', 2).seeds.length, 3, 'the control rule reports the excess');
  });

  it('leaves the open pixel out of a preview and nothing else', () => {
    const html = '<p>Hi <img src="https://t.example.com/logo.png"></p><img src="https://t.example.com/o/abc.def" width="1" height="1" alt=""></body>';
    assert.equal(withoutOpenPixel(html, 'https://t.example.com/'), '<p>Hi <img src="https://t.example.com/logo.png"></p></body>');
  });
});
