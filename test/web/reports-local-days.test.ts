import assert from 'node:assert/strict';
import { createService } from '../../server/db/repos/services.js';
import { silentLogger } from '../../server/shared/logger.js';
import { runReportStats } from '../../server/workflows/technical/report-stats.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const cells = (html: string, table: string) => {
  const body = new RegExp(`data-table="${table}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()))
    .filter((r) => r.length > 0);
};

/**
 * The throughput and subscription reports read in a time zone (`?tz=`, else the operator's):
 * events a few minutes either side of midnight in New York and Kolkata (a half-hour zone), and
 * New York's 23-hour day when its clocks go forward (2026-03-08).
 */
describe('console reports per local day and hour: throughput and subscriptions in a time zone', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let viewer: ConsoleClient;

  before(async () => {
    h = await startConsole();
    h.clock.now = new Date('2026-03-09T12:00:00Z');
    const op = await addOperator(h.db, 'analyst', ['view_reports']);
    viewer = new ConsoleClient(h.base);
    await viewer.login(op.login, op.password);
    const audit = { at: h.clock.now, operatorId: null, operatorLogin: 'test', action: 'service_created' as const };
    const service = await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null }, audit);
    const event = (action: 'subscribe' | 'confirm' | 'unsubscribe', at: string) => ({
      serviceId: service.id,
      recipientId: 1,
      action,
      origin: 'test',
      at: new Date(at),
    });
    await h.db.write((transaction) =>
      h.db.models.SubscriptionHistory.bulkCreate(
        [
          event('subscribe', '2026-03-08T04:30:00Z'), // New York 03-07 23:30 EST, Kolkata 03-08 10:00
          event('subscribe', '2026-03-08T07:30:00Z'), // New York 03-08 03:30 EDT (after the jump)
          event('confirm', '2026-03-08T18:20:00Z'), // Kolkata 03-08 23:50
          event('unsubscribe', '2026-03-08T18:40:00Z'), // Kolkata 03-09 00:10
          event('subscribe', '2026-03-09T03:50:00Z'), // New York 03-08 23:50 EDT, UTC 03-09
        ],
        { transaction },
      ),
    );
    const ctx = { db: h.db, config: h.instance.config, paths: h.instance.paths, log: silentLogger(), now: h.clock.now, signal: new AbortController().signal };
    await runReportStats(ctx);
    const slot = (at: string, messages: number) => ({
      domain: 'a.example',
      slotStart: new Date(at),
      messages,
      sent: messages,
      connections: 1,
      updatedAt: h.clock.now,
    });
    await h.db.write((transaction) =>
      h.db.models.SmtpStat.bulkCreate(
        [
          slot('2026-03-08T06:55:00Z', 1), // New York 01:55 EST
          slot('2026-03-08T07:00:00Z', 2), // New York 03:00 EDT: 02:00 never happens
          slot('2026-03-08T06:25:00Z', 4), // Kolkata 11:55
          slot('2026-03-08T06:35:00Z', 8), // Kolkata 12:05
        ],
        { transaction },
      ),
    );
  });
  after(async () => h.close());

  it('dates the latest quarantined addresses on the clock of the zone chosen', async () => {
    const at = new Date('2026-03-08T23:30:00Z');
    await h.db.write((transaction) =>
      h.db.models.Quarantine.create(
        {
          address: 'x@a.example',
          domain: 'a.example',
          status: 'quarantine',
          failureType: 'hard',
          failureReason: 'user_unknown',
          errorCount: 1,
          createdAt: at,
          updatedAt: at,
        },
        { transaction, silent: true },
      ),
    );
    for (const [zone, shown] of [
      ['UTC', '2026-03-08 23:30'],
      ['Asia/Tokyo', '2026-03-09 08:30'],
      ['America/New_York', '2026-03-08 19:30'],
    ])
      assert.equal(cells((await viewer.get(`/reports/quarantines?tz=${zone}`)).text, 'quarantines-recent')[0]![4], shown, zone);
  });

  it('counts subscription events on the days of the zone chosen, a quarter hour either side of its midnight', async () => {
    const cases: Array<[string, string[][]]> = [
      [
        'UTC',
        [
          ['2026-03-08', '2', '1', '1', '0', '1'],
          ['2026-03-09', '1', '0', '0', '0', '1'],
        ],
      ],
      [
        'America/New_York',
        [
          ['2026-03-07', '1', '0', '0', '0', '1'],
          ['2026-03-08', '2', '1', '1', '0', '1'],
        ],
      ],
      [
        'Asia/Kolkata',
        [
          ['2026-03-08', '2', '1', '0', '0', '2'],
          ['2026-03-09', '1', '0', '1', '0', '0'],
        ],
      ],
    ];
    for (const [zone, want] of cases) {
      const html = (await viewer.get(`/reports/subscriptions?days=30&tz=${encodeURIComponent(zone)}`)).text;
      assert.deepEqual(cells(html, 'subscriptions-news'), want, zone);
      // the runtime's canonical spelling of Asia/Kolkata may be its older name, Asia/Calcutta
      assert.match(html, new RegExp(`per day \\((${zone}|Asia/Calcutta)\\)`), `${zone}: the chart names its zone`);
      const csv = await viewer.get(`/reports/subscriptions.csv?days=30&tz=${encodeURIComponent(zone)}`);
      assert.equal(csv.text.trim().split('\r\n').length, want.length + 1, `${zone}: the CSV follows the zone`);
      assert.match(csv.text, new RegExp(want[0]![0]!));
      assert.match(csv.text, /^"?Day \(time zone above\)"?,/, `${zone}: the CSV's day column says whose days`);
    }
  });

  it('reads the throughput per hour of the zone chosen, the operator’s by default, without the hour a spring-forward night skips', async () => {
    const rows = async (client: ConsoleClient, query: string) => cells((await client.get(`/reports/throughput?hours=96${query}`)).text, 'throughput-96h');
    const ny = await rows(viewer, '&tz=America/New_York');
    assert.equal(ny.length, 96);
    assert.deepEqual(
      ny.filter((r) => r[0]!.startsWith('03-08 0')).map((r) => r.slice(0, 2)),
      [
        ['03-08 00:00', '0'],
        ['03-08 01:00', '13'],
        ['03-08 03:00', '2'],
        ['03-08 04:00', '0'],
        ['03-08 05:00', '0'],
        ['03-08 06:00', '0'],
        ['03-08 07:00', '0'],
        ['03-08 08:00', '0'],
        ['03-08 09:00', '0'],
      ],
      'New York has no 02:00 that night; 06:25 and 06:35 UTC are 01:25 and 01:35 EST',
    );
    const op = await addOperator(h.db, 'kolkata', ['view_reports']);
    const local = new ConsoleClient(h.base);
    await local.login(op.login, op.password);
    await local.get('/account');
    await local.post('/account/preferences', { timeZone: 'Asia/Kolkata' });
    const kolkata = (await rows(local, '')).filter((r) => r[1] !== '0');
    assert.deepEqual(kolkata, [
      ['03-08 11:00', '4', '4', '0', '0'],
      ['03-08 12:00', '11', '11', '0', '0'],
    ]);
    const utc = (await rows(viewer, '&tz=UTC')).filter((r) => r[1] !== '0');
    assert.deepEqual(utc, [
      ['03-08 06:00', '13', '13', '0', '0'],
      ['03-08 07:00', '2', '2', '0', '0'],
    ]);
    const bad = await viewer.get('/reports/throughput?hours=24&tz=Nowhere/Land');
    assert.match(bad.text, /is not a time zone/);
  });
});
