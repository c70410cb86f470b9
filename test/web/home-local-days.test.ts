import assert from 'node:assert/strict';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** The last 30 days' sparkline of sent messages, read back from its path: day (`YYYY-MM-DD`) → messages, days with none left out. */
function sentPerDay(html: string): Record<string, number> {
  const period = /Last 30 days \((\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d), ([^)]+)\)/.exec(html);
  assert.ok(period, 'the period is named with its zone');
  const svg = /Sent<\/a><\/span>\s*<span class="value">([^<]*)<\/span>\s*(<svg class="spark"[\s\S]*?<\/svg>)/.exec(html);
  assert.ok(svg, 'the sent tile');
  const total = Number(svg[1]!.replace(/\D/g, ''));
  const points = [...(/<path class="line" d="M([^"]+)"/.exec(svg[2]!)?.[1] ?? '').split('L')].map((p) => p.split(' ').map(Number) as [number, number]);
  const heights = points.map(([x, y]) => ({ day: Math.round(((x - 2) * 29) / 116), height: 30 - y }));
  // the line is scaled to its highest day: each day's height over the heights' sum is its share of the period's total
  const drawn = heights.filter((p) => p.height > 0.01);
  const sum = drawn.reduce((s, p) => s + p.height, 0);
  const first = Date.parse(`${period[1]}T00:00:00Z`);
  return Object.fromEntries(drawn.map((p) => [new Date(first + p.day * 86_400_000).toISOString().slice(0, 10), Math.round((p.height * total) / sum)]));
}

describe('console home: the last 30 days read in the operator’s time zone', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;

  before(async () => {
    h = await startConsole();
    // 12:00 UTC on the day New York moves its clocks forward (a 23-hour day there)
    h.clock.now = new Date('2026-03-08T12:00:00Z');
    const started: Array<[string, string, number]> = [
      ['a', '2026-03-08T04:30:00Z', 1], // New York 03-07 23:30 EST, Tokyo 03-08 13:30, UTC 03-08
      ['b', '2026-03-08T07:30:00Z', 2], // New York 03-08 03:30 EDT (after the jump), Tokyo 03-08 16:30, UTC 03-08
      ['c', '2026-03-07T15:30:00Z', 4], // New York 03-07 10:30, Tokyo 03-08 00:30, UTC 03-07
      ['e', '2026-02-07T03:00:00Z', 8], // New York 02-06 22:00 (before its 30 days), Tokyo 02-07 12:00, UTC 02-07
      ['old', '2026-02-06T14:30:00Z', 16], // before every zone's 30 days (Tokyo 02-06 23:30)
    ];
    for (const [name, at, processed] of started)
      await h.db.write((transaction) =>
        h.db.models.Delivery.create(
          { internalName: name, label: name, kind: 'marketing', state: 'finished', startedAt: new Date(at), processed, sent: processed, failed: 0 },
          { transaction },
        ),
      );
  });
  after(async () => h.close());

  it('counts each delivery on the day it started in the operator’s zone, over that zone’s last 30 days', async () => {
    const cases: Array<[string, string, Record<string, number>]> = [
      ['UTC', '', { '2026-02-07': 8, '2026-03-07': 4, '2026-03-08': 3 }],
      ['Tokyo', 'Asia/Tokyo', { '2026-02-07': 8, '2026-03-08': 7 }],
      ['New York (23-hour 03-08)', 'America/New_York', { '2026-03-07': 5, '2026-03-08': 2 }],
    ];
    for (const [i, [why, zone, want]] of cases.entries()) {
      const op = await addOperator(h.db, `reader${i}`, ['view_reports']);
      const client = new ConsoleClient(h.base);
      await client.login(op.login, op.password);
      if (zone) {
        await client.get('/account');
        await client.post('/account/preferences', { timeZone: zone });
      }
      const html = (await client.get('/')).text;
      assert.match(html, new RegExp(`Last 30 days \\(2026-02-07 to 2026-03-08, ${zone || 'UTC'}\\)`), why);
      assert.deepEqual(sentPerDay(html), want, why);
    }
  });
});
