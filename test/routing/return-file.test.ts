import assert from 'node:assert/strict';
import type { RoutedMessage } from '../../server/db/repos/routing.js';
import { readReturnFile } from '../../server/routing/return-file.js';
import { planReturns } from '../../server/routing/return-plan.js';

describe('provider return files', () => {
  const lines: Array<[string, string]> = [
    ['H3-12,delivered,2026-12-01', 'delivered 2026-12-01T00:00:00.000Z'],
    ['H3-12 , Bad-Address , 2026-12-01T08:30:00+01:00', 'bad_address 2026-12-01T07:30:00.000Z'],
    ['"H3-12","RETURNED","2026-12-01 08:30"', 'returned'],
    ['H3-12,delivered', 'expected 3 values (document id, status, date), got 2'],
    ['H3-0,delivered,2026-12-01', 'is not a document id Herald wrote'],
    ['12,delivered,2026-12-01', 'is not a document id Herald wrote'],
    ['H3-12,opened,2026-12-01', '"opened" is not a return status'],
    ['H3-12,delivered,01/12/2026', '"01/12/2026" is not a date'],
    ['H3-12,delivered,2026-13-45', '"2026-13-45" is not a date'],
    ['"H3-12,delivered,2026-12-01', 'not a CSV line'],
  ];
  for (const [line, expected] of lines)
    it(`reads "${line}" as ${expected}`, () => {
      const { rows, rejected } = readReturnFile(line, ',');
      if (rows.length) {
        assert.equal(rows[0]!.deliveryId, 3);
        assert.equal(rows[0]!.broadLogId, 12);
        assert.ok(`${rows[0]!.status} ${rows[0]!.at.toISOString()}`.startsWith(expected), `${rows[0]!.status} ${rows[0]!.at.toISOString()}`);
      } else assert.ok(rejected[0]!.reason.includes(expected), rejected[0]!.reason);
    });

  it('skips a header line, blank lines and a byte-order mark, and numbers lines as the file does', () => {
    const { rows, rejected } = readReturnFile('\uFEFFDocument;Status;Date\r\n\r\nH1-2;delivered;2026-12-01\r\nbad\r\n', ';');
    assert.deepEqual(
      rows.map((r) => r.line),
      [3],
    );
    assert.deepEqual(
      rejected.map((r) => r.line),
      [4],
    );
  });

  const message = (over: Partial<RoutedMessage>): RoutedMessage => ({
    broadLogId: 12,
    deliveryId: 3,
    channel: 'direct_mail',
    address: '1 rue x, 75002 paris, fr',
    status: 'sent',
    receiptStatus: null,
    ...over,
  });
  const at = new Date('2026-12-01T00:00:00Z');
  const cases: Array<{
    title: string;
    rows: Array<{ status: 'delivered' | 'returned' | 'bad_address'; deliveryId?: number }>;
    before: Partial<RoutedMessage>;
    updates: string[];
    failures: string[];
    unchanged: number;
    rejected: number;
  }> = [
    {
      title: 'delivered sets the receipt and records no failure',
      rows: [{ status: 'delivered' }],
      before: {},
      updates: ['delivered'],
      failures: [],
      unchanged: 0,
      rejected: 0,
    },
    {
      title: 'a bad address fails hard on the message channel',
      rows: [{ status: 'bad_address' }],
      before: { channel: 'fax' },
      updates: ['bad_address'],
      failures: ['fax hard user_unknown true'],
      unchanged: 0,
      rejected: 0,
    },
    {
      title: 'returned fails soft',
      rows: [{ status: 'returned' }],
      before: {},
      updates: ['returned'],
      failures: ['direct_mail soft unreachable true'],
      unchanged: 0,
      rejected: 0,
    },
    {
      title: 'a status the message has already changes nothing',
      rows: [{ status: 'returned' }],
      before: { receiptStatus: 'returned', status: 'failed' },
      updates: [],
      failures: [],
      unchanged: 1,
      rejected: 0,
    },
    {
      title: 'a failure is final: delivered afterwards changes nothing',
      rows: [{ status: 'returned' }, { status: 'delivered' }],
      before: {},
      updates: ['returned'],
      failures: ['direct_mail soft unreachable true'],
      unchanged: 1,
      rejected: 0,
    },
    {
      title: 'delivered then bad address: the failure wins',
      rows: [{ status: 'delivered' }, { status: 'bad_address' }],
      before: {},
      updates: ['delivered', 'bad_address'],
      failures: ['direct_mail hard user_unknown true'],
      unchanged: 0,
      rejected: 0,
    },
    {
      title: "another delivery's document id is rejected",
      rows: [{ status: 'delivered', deliveryId: 4 }],
      before: {},
      updates: [],
      failures: [],
      unchanged: 0,
      rejected: 1,
    },
  ];
  for (const c of cases)
    it(`plans returns: ${c.title}`, () => {
      const m = message(c.before);
      const plan = planReturns(
        c.rows.map((r, i) => ({ line: i + 1, deliveryId: r.deliveryId ?? 3, broadLogId: 12, status: r.status, at })),
        new Map([[12, m]]),
        'printer',
      );
      assert.deepEqual(
        plan.updates.map((u) => u.status),
        c.updates,
      );
      assert.deepEqual(
        [...plan.failures].flatMap(([channel, list]) => list.map((f) => `${channel} ${f.type} ${f.reason} ${f.markFailed}`)),
        c.failures,
      );
      assert.equal(plan.unchanged, c.unchanged);
      assert.equal(plan.rejected.length, c.rejected);
    });
});
