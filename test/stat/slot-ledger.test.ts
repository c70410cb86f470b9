import assert from 'node:assert/strict';
import { SlotLedger, type LedgerOptions } from '../../server/stat/slot-ledger.js';
import type { GrantRequest } from '../../server/shared/stat-protocol.js';

const OPTIONS: LedgerOptions = { burstMs: 1000, registrationTtlMs: 10_000, maxMtas: 3, maxKeys: 2 };
const T0 = 1_700_000_000_000;
/** 36,000 an hour: one message every 100 ms, ten in the one-second burst. */
const INTERVAL = 100;

function ledgerWith(mtas: Array<[string, string]>, options = OPTIONS): SlotLedger {
  const ledger = new SlotLedger(options);
  for (const [mta, ip] of mtas) ledger.register({ mta, ip, connections: {} }, T0);
  return ledger;
}

const ask = (mta: string, wanted: number, extra: Partial<GrantRequest> = {}): GrantRequest => ({
  mta,
  ip: '192.0.2.1',
  key: 'domain:example.org',
  wanted,
  intervalMs: INTERVAL,
  ...extra,
});

describe('stat server slot ledger (pure)', () => {
  describe('grants of one key, several MTAs of one sending IP', () => {
    // [what, requests in order as [mta, wanted, ms after T0], granted per request]
    const cases: Array<[string, Array<[string, number, number]>, number[]]> = [
      [
        'one MTA takes the burst, then one slot per interval',
        [
          ['a', 10, 0],
          ['a', 5, 0],
          ['a', 5, 300],
        ],
        [10, 0, 3],
      ],
      [
        'two MTAs share one burst: the second gets what the first left',
        [
          ['a', 6, 0],
          ['b', 10, 0],
          ['a', 1, 0],
        ],
        [6, 4, 0],
      ],
      [
        'two MTAs alternating every 500 ms share ten a second between them',
        [
          ['a', 10, 0],
          ['b', 10, 500],
          ['a', 10, 1000],
          ['b', 10, 1500],
        ],
        [10, 5, 5, 5],
      ],
      [
        'a request larger than what fits is granted in part',
        [
          ['a', 3, 0],
          ['b', 100, 0],
        ],
        [3, 7],
      ],
    ];
    for (const [what, requests, granted] of cases) {
      it(what, () => {
        const ledger = ledgerWith([
          ['a', '192.0.2.1'],
          ['b', '192.0.2.1'],
        ]);
        const got = requests.map(([mta, wanted, at]) => {
          const answer = ledger.grant(ask(mta, wanted), T0 + at);
          assert.ok(!('refused' in answer));
          return answer.granted;
        });
        assert.deepEqual(got, granted);
      });
    }
  });

  it('keeps the combined rate of two MTAs to the limit over a simulated minute', () => {
    const ledger = ledgerWith([
      ['a', '192.0.2.1'],
      ['b', '192.0.2.1'],
    ]);
    let total = 0;
    for (let ms = 0; ms < 60_000; ms += 50) {
      for (const mta of ['a', 'b']) {
        const answer = ledger.grant(ask(mta, 4), T0 + ms);
        if (!('refused' in answer)) total += answer.granted;
      }
      if (ms % 5000 === 0) for (const mta of ['a', 'b']) ledger.register({ mta, ip: '192.0.2.1', connections: {} }, T0 + ms);
    }
    // 600 a minute at one every 100 ms, plus the one-second burst at the start
    assert.ok(total >= 600 && total <= 610, `granted ${total}`);
  });

  const refusals: Array<[string, (l: SlotLedger) => unknown, string]> = [
    ['an MTA that never registered', (l) => l.grant(ask('stranger', 1), T0), 'unregistered'],
    ['an MTA asking for another sending IP than its own', (l) => l.grant(ask('a', 1, { ip: '198.51.100.7' }), T0), 'unregistered'],
    ['an MTA whose registration lapsed', (l) => l.grant(ask('a', 1), T0 + 10_001), 'unregistered'],
    [
      'a key beyond maxKeys',
      (l) => [l.grant(ask('a', 1, { key: 'k1' }), T0), l.grant(ask('a', 1, { key: 'k2' }), T0), l.grant(ask('a', 1, { key: 'k3' }), T0)][2],
      'full',
    ],
    [
      'an MTA beyond maxMtas',
      (l) => [l.register({ mta: 'c', ip: 'x', connections: {} }, T0), l.register({ mta: 'd', ip: 'x', connections: {} }, T0)][1],
      'full',
    ],
  ];
  for (const [what, act, refused] of refusals) {
    it(`refuses ${what} (${refused})`, () => {
      const ledger = ledgerWith([
        ['a', '192.0.2.1'],
        ['b', '192.0.2.1'],
      ]);
      assert.equal((act(ledger) as { refused?: string }).refused, refused);
    });
  }

  it('waits until the next slot when nothing fits, and says when', () => {
    const ledger = ledgerWith([['a', '192.0.2.1']]);
    ledger.grant(ask('a', 10), T0);
    assert.deepEqual(ledger.grant(ask('a', 1), T0 + 20), { granted: 0, retryAtMs: T0 + 100 });
  });

  it('keeps separate limits per sending IP and per key', () => {
    const ledger = ledgerWith(
      [
        ['a', '192.0.2.1'],
        ['b', '192.0.2.2'],
      ],
      { ...OPTIONS, maxKeys: 10 },
    );
    const granted = [ask('a', 10), ask('b', 10, { ip: '192.0.2.2' }), ask('a', 10, { key: 'rule:*.google.com' })].map((r) => ledger.grant(r, T0));
    assert.deepEqual(
      granted.map((g) => ('refused' in g ? g.refused : g.granted)),
      [10, 10, 10],
    );
  });

  it('paces a key by the strictest interval of the MTAs that use it', () => {
    const ledger = ledgerWith([
      ['a', '192.0.2.1'],
      ['b', '192.0.2.1'],
    ]);
    ledger.grant(ask('a', 1, { intervalMs: 500 }), T0);
    const answer = ledger.grant(ask('b', 10, { intervalMs: 100 }), T0);
    assert.deepEqual(answer, { granted: 1, retryAtMs: 0 }, 'two at 500 ms fit in the second of burst');
  });

  it('forgets a key idle for two minutes, and makes room for another', () => {
    const ledger = ledgerWith([['a', '192.0.2.1']], { ...OPTIONS, maxKeys: 1 });
    ledger.grant(ask('a', 1, { key: 'k1' }), T0);
    ledger.register({ mta: 'a', ip: '192.0.2.1', connections: {} }, T0 + 115_000);
    assert.deepEqual(ledger.grant(ask('a', 1, { key: 'k2' }), T0 + 119_000), { refused: 'full', reason: '1 keys are in use already' });
    assert.deepEqual(
      ledger.view(T0 + 119_000).slots.map((s) => s.key),
      ['k1'],
    );
    assert.deepEqual(ledger.grant(ask('a', 1, { key: 'k2' }), T0 + 121_000), { granted: 1, retryAtMs: 0 });
  });

  it('grants every message of a key without a rate', () => {
    const ledger = ledgerWith([['a', '192.0.2.1']]);
    assert.deepEqual(ledger.grant(ask('a', 500, { intervalMs: 0 }), T0), { granted: 500, retryAtMs: 0 });
  });

  it('counts the peers of a sending IP, forgetting MTAs that stopped registering', () => {
    const ledger = ledgerWith([
      ['a', '192.0.2.1'],
      ['b', '192.0.2.1'],
    ]);
    assert.deepEqual(ledger.register({ mta: 'c', ip: '192.0.2.9', connections: {} }, T0), { peers: 1, ttlMs: 10_000 });
    assert.deepEqual(ledger.register({ mta: 'a', ip: '192.0.2.1', connections: {} }, T0 + 8000), { peers: 2, ttlMs: 10_000 });
    assert.deepEqual(ledger.register({ mta: 'a', ip: '192.0.2.1', connections: {} }, T0 + 12_000), { peers: 1, ttlMs: 10_000 }, 'b lapsed');
  });

  it('shows per key the connections and the messages of the last minute of every MTA', () => {
    const ledger = ledgerWith(
      [
        ['a', '192.0.2.1'],
        ['b', '192.0.2.1'],
      ],
      { ...OPTIONS, registrationTtlMs: 120_000 },
    );
    ledger.grant(ask('a', 6), T0);
    ledger.grant(ask('b', 4), T0);
    const later = T0 + 60_000;
    ledger.register({ mta: 'a', ip: '192.0.2.1', connections: { 'domain:example.org': 2 } }, later);
    ledger.register({ mta: 'b', ip: '192.0.2.1', connections: { 'domain:example.org': 1 } }, later);
    ledger.grant(ask('a', 1), later);
    const view = ledger.view(later);
    assert.equal(view.mtas, 2);
    assert.deepEqual(view.slots, [
      {
        ip: '192.0.2.1',
        key: 'domain:example.org',
        messagesPerHour: 36_000,
        connections: 3,
        messagesLastMinute: 10,
        mtas: [
          { mta: 'a', connections: 2, messagesLastMinute: 6 },
          { mta: 'b', connections: 1, messagesLastMinute: 4 },
        ],
      },
    ]);
  });
});
