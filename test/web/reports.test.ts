import assert from 'node:assert/strict';
import { changeSubscription, createService } from '../../server/db/repos/services.js';
import { silentLogger } from '../../server/shared/logger.js';
import { consolidateDelivery } from '../../server/tracking-data/ingest/consolidate.js';
import { runReportStats } from '../../server/workflows/technical/report-stats.js';
import { seedDelivery, type SeededDelivery } from '../helpers/tracking-seed.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const NOW = new Date('2026-03-03T12:30:00Z');
const HOUR = 3_600_000;

/**
 * Reports over a seeded delivery: 10 messages (7 sent, 3 failed at two domains), opens and clicks
 * in two hours, consolidated by the tracking job and the report aggregates workflow. The raw
 * tracking logs are deleted before the pages are read: reports come from aggregates only.
 */
describe('console reports', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let viewer: ConsoleClient;
  let seeded: SeededDelivery;

  before(async () => {
    h = await startConsole();
    h.clock.now = NOW;
    const op = await addOperator(h.db, 'analyst', ['view_reports']);
    viewer = new ConsoleClient(h.base);
    await viewer.login(op.login, op.password);
    seeded = await seedDelivery(h.db, {
      urls: [
        { label: 'open', type: 'open', url: '' },
        { label: 'Spring sale', type: 'click', url: 'https://shop.example.com/spring' },
        { label: '=HYPERLINK("http://evil.example")', type: 'click', url: 'https://shop.example.com/x' },
      ],
      messages: Array.from({ length: 10 }, (_, i) => ({ format: 'html' as const, status: i < 7 ? ('sent' as const) : ('failed' as const) })),
    });
    await seedOutcomes(h, seeded);
    await consolidateDelivery(h.db, seeded.deliveryId, NOW, { openDedupSeconds: 60 });
    const ctx = { db: h.db, config: h.instance.config, paths: h.instance.paths, log: silentLogger(), now: NOW, signal: new AbortController().signal };
    assert.deepEqual(await runReportStats(ctx), { deliveries: 1, serviceSlots: 1 });
    await h.db.write((transaction) => h.db.models.TrackingLog.destroy({ where: {}, transaction }));
  });
  after(async () => h.close());

  const page = async (path: string) => {
    const reply = await viewer.get(path);
    assert.equal(reply.status, 200, `${path}: ${reply.status}`);
    return reply.text;
  };
  const cells = (html: string, table: string) => {
    const body = new RegExp(`data-table="${table}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()))
      .filter((r) => r.length > 0);
  };

  it('lists the started deliveries to report on', async () => {
    assert.match(await page('/reports'), new RegExp(`href="/reports/deliveries/${seeded.deliveryId}"`));
  });

  it('summarises a delivery: messages by outcome as a chart, indicators with rates', async () => {
    const html = await page(`/reports/deliveries/${seeded.deliveryId}`);
    assert.match(html, /<svg class="chart parts"[^>]*role="img"/);
    const rows = Object.fromEntries(cells(html, `delivery-${seeded.deliveryId}-summary`).map((r) => [r[0], r.slice(1)]));
    assert.deepEqual(rows['Sent'], ['7', '70.0 %']);
    assert.deepEqual(rows['Failed'], ['3', '30.0 %']);
    assert.deepEqual(rows['New quarantines'], ['2', '20.0 %']);
    assert.deepEqual(rows['Spam complaints'], ['1', '14.3 %'], 'complaints have their own counter, as a rate of the messages sent');
    assert.match(html, /<p class="error" data-note="complaints">[^<]*0\.3 %/, "a rate at or above Gmail's 0.3 % is flagged");
    assert.deepEqual(rows['Opens (recipients)'], ['3', '42.9 %']);
    assert.deepEqual(rows['Clicks (all)'], ['3', '–']);
    assert.match(html, /<td><a href="\/reports\/definitions#recipient_opens">Opens \(recipients\)<\/a><\/td>/, 'each indicator links to its definition');
    const definitions = await page('/reports/definitions');
    for (const anchor of [...html.matchAll(/href="\/reports\/definitions#([^"]+)"/g)].map((m) => m[1]))
      assert.match(definitions, new RegExp(`<dt id="${anchor}">`), `the definitions page explains #${anchor}`);
    assert.match(definitions, /A click counts as an open/);
    assert.match(
      await page('/reports/throughput'),
      /<th class="num"><a href="\/reports\/definitions#soft_errors">Soft errors<\/a><\/th>/,
      'operations reports too',
    );
  });

  it('draws opens and clicks per hour from the consolidated slots', async () => {
    const html = await page(`/reports/deliveries/${seeded.deliveryId}/tracking`);
    assert.match(html, /<svg class="chart bars"/);
    assert.deepEqual(cells(html, `delivery-${seeded.deliveryId}-tracking`), [
      ['03-03 09:00', '2', '2', '1', '1'],
      ['03-03 10:00', '1', '0', '2', '2'],
    ]);
  });

  it('reads the opens and clicks per hour in the time zone chosen, the operator’s by default', async () => {
    const rows = (html: string) => cells(html, `delivery-${seeded.deliveryId}-tracking`);
    const cases: Array<[string, string[][]]> = [
      [
        '?tz=America/New_York',
        [
          ['03-03 04:00', '2', '2', '1', '1'],
          ['03-03 05:00', '1', '0', '2', '2'],
        ],
      ],
      [
        '?tz=Asia/Tokyo',
        [
          ['03-03 18:00', '2', '2', '1', '1'],
          ['03-03 19:00', '1', '0', '2', '2'],
        ],
      ],
    ];
    for (const [query, want] of cases) {
      const html = await page(`/reports/deliveries/${seeded.deliveryId}/tracking${query}`);
      assert.deepEqual(rows(html), want, query);
      assert.match(html, /Opens and clicks per hour \((America\/New_York|Asia\/Tokyo)\)/);
    }
    const bad = await page(`/reports/deliveries/${seeded.deliveryId}/tracking?tz=Not/AZone`);
    assert.match(bad, /is not a time zone/);
    assert.deepEqual(rows(bad)[0]![0], '03-03 09:00', 'an unknown zone: the default (UTC here)');
    const csv = await viewer.get(`/reports/deliveries/${seeded.deliveryId}/tracking.csv?tz=America/New_York`);
    assert.match(csv.text, /^"?Hour \(time zone above\)"?,/);
    assert.match(csv.text, /03-03 04:00/);
    const op = await addOperator(h.db, 'tokyo', ['view_reports']);
    const local = new ConsoleClient(h.base);
    await local.login(op.login, op.password);
    await local.get('/account');
    await local.post('/account/preferences', { timeZone: 'Asia/Tokyo' });
    assert.deepEqual(rows((await local.get(`/reports/deliveries/${seeded.deliveryId}/tracking`)).text)[0]![0], '03-03 18:00', 'the operator’s zone');
  });

  it('counts clicks per link and exports them as formula-safe CSV', async () => {
    const html = await page(`/reports/deliveries/${seeded.deliveryId}/links`);
    assert.deepEqual(
      cells(html, `delivery-${seeded.deliveryId}-links`).map((r) => [r[0], r[3]]),
      [
        ['Spring sale', '2'],
        ['=HYPERLINK(&quot;http://evil.example&quot;)', '1'],
      ],
    );
    const csv = await viewer.get(`/reports/deliveries/${seeded.deliveryId}/links.csv`);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    assert.match(csv.headers.get('content-disposition')!, /attachment; filename="delivery-\d+-links\.csv"/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'Link,URL,Type,Clicks,Clicks (human),Share');
    assert.ok(lines.includes(`"'=HYPERLINK(""http://evil.example"")",https://shop.example.com/x,click,1,1,33.3`), csv.text);
  });

  it('breaks failures down by reason and by domain', async () => {
    const html = await page(`/reports/deliveries/${seeded.deliveryId}/failures`);
    assert.deepEqual(cells(html, `delivery-${seeded.deliveryId}-failures-by-reason`), [
      ['user unknown', '2', '66.7 %'],
      ['mailbox full', '1', '33.3 %'],
    ]);
    assert.deepEqual(cells(html, `delivery-${seeded.deliveryId}-failures-by-domain`), [
      ['a.example', 'hard', 'user unknown', '2'],
      ['b.example', 'soft', 'mailbox full', '1'],
    ]);
    const csv = await viewer.get(`/reports/deliveries/${seeded.deliveryId}/failures.csv?table=delivery-${seeded.deliveryId}-failures-by-domain`);
    assert.equal(csv.text.split('\r\n')[1], 'a.example,hard,user unknown,2');
  });

  it('shows per-domain SMTP statistics and the throughput per hour', async () => {
    const domains = await page('/reports/domains?days=7');
    assert.deepEqual(
      cells(domains, 'domains-7d').map((r) => r.slice(0, 5)),
      [
        ['a.example', '30', '27', '2', '1'],
        ['b.example', '10', '10', '0', '0'],
      ],
    );
    const throughput = await page('/reports/throughput?hours=24');
    const rows = cells(throughput, 'throughput-24h');
    assert.equal(rows.length, 24);
    assert.deepEqual(
      rows.find((r) => r[0] === '03-03 10:00'),
      ['03-03 10:00', '40', '37', '2', '1'],
    );
    assert.match(throughput, /<svg class="chart bars"/);
  });

  it('gives the quarantine overview and the subscriptions per day', async () => {
    const q = await page('/reports/quarantines');
    assert.deepEqual(cells(q, 'quarantines-by-status-and-reason'), [
      ['in quarantine', 'user unknown', '2'],
      ['with errors', 'mailbox full', '1'],
    ]);
    const s = await page('/reports/subscriptions?days=30');
    assert.deepEqual(cells(s, 'subscriptions-news'), [['2026-03-02', '2', '0', '1', '0', '1']]);
    assert.match(s, /<dt>Net<\/dt><dd>1<\/dd>/, 'the totals of the period');
  });

  it('refuses reports to operators without view_reports', async () => {
    const op = await addOperator(h.db, 'clerk', ['import']);
    const clerk = new ConsoleClient(h.base);
    await clerk.login(op.login, op.password);
    for (const path of ['/reports', `/reports/deliveries/${seeded.deliveryId}/links.csv`, '/reports/domains'])
      assert.equal((await clerk.get(path)).status, 403, path);
  });
});

/** Failures, hits, SMTP statistics, quarantines and subscription events of the seeded data. */
async function seedOutcomes(h: ConsoleHarness, seeded: SeededDelivery): Promise<void> {
  const failures: Array<[string, 'hard' | 'soft', 'user_unknown' | 'mailbox_full']> = [
    ['x@a.example', 'hard', 'user_unknown'],
    ['y@A.example', 'hard', 'user_unknown'],
    ['z@b.example', 'soft', 'mailbox_full'],
  ];
  const t0 = Date.parse('2026-03-03T09:10:00Z');
  const hit = (i: number, label: string, type: 'open' | 'click', message: number, minutes: number, bot: string | null = null) => ({
    hitId: `h${i}`,
    deliveryId: seeded.deliveryId,
    broadLogId: seeded.messages[message]!,
    recipientId: null,
    urlId: seeded.urls[label]!,
    urlType: type,
    loggedAt: new Date(t0 + minutes * 60_000),
    sourceId: `s${i}`,
    bot,
    server: 'seed',
    createdAt: NOW,
  });
  const audit = { at: new Date('2026-03-02T08:00:00Z'), operatorId: null, operatorLogin: 'test', action: 'service_created' as const };
  await h.db.write(async (transaction) => {
    for (const [k, [address, type, reason]] of failures.entries())
      await h.db.models.BroadLog.update({ address, failureType: type, failureReason: reason }, { where: { id: seeded.messages[7 + k]! }, transaction });
    await h.db.models.Delivery.update(
      {
        state: 'finished',
        toDeliver: 10,
        processed: 10,
        sent: 7,
        failed: 3,
        newQuarantine: 2,
        complaints: 1,
        totalTarget: 10,
        startedAt: new Date(t0 - HOUR),
        finishedAt: new Date(t0),
      },
      { where: { id: seeded.deliveryId }, transaction },
    );
    await h.db.models.TrackingLog.bulkCreate(
      [
        hit(1, 'open', 'open', 0, 0),
        hit(2, 'open', 'open', 1, 5),
        hit(3, 'Spring sale', 'click', 0, 10),
        hit(4, 'open', 'open', 2, 60, 'privacy_proxy'),
        hit(5, 'Spring sale', 'click', 1, 61),
        hit(6, '=HYPERLINK("http://evil.example")', 'click', 1, 62),
      ],
      { transaction },
    );
    const slot = (domain: string, at: string, messages: number, sent: number, soft: number, hard: number) => ({
      domain,
      slotStart: new Date(at),
      messages,
      sent,
      softErrors: soft,
      hardErrors: hard,
      connections: 1,
      updatedAt: NOW,
    });
    await h.db.models.SmtpStat.bulkCreate(
      [
        slot('a.example', '2026-03-03T10:00:00Z', 20, 17, 2, 1),
        slot('a.example', '2026-03-03T10:05:00Z', 10, 10, 0, 0),
        slot('b.example', '2026-03-03T10:10:00Z', 10, 10, 0, 0),
      ],
      { transaction },
    );
    const q = (address: string, status: 'quarantine' | 'with_errors', failureReason: 'user_unknown' | 'mailbox_full') => ({
      address,
      domain: address.split('@')[1]!,
      status,
      failureType: 'hard' as const,
      failureReason,
      errorCount: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
    await h.db.models.Quarantine.bulkCreate(
      [q('x@a.example', 'quarantine', 'user_unknown'), q('w@a.example', 'quarantine', 'user_unknown'), q('z@b.example', 'with_errors', 'mailbox_full')],
      { transaction },
    );
  });
  const service = await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null }, audit);
  const [first, second] = seeded.messages.slice(0, 2);
  const ids = (await h.db.models.BroadLog.findAll({ where: { id: [first!, second!] } })).map((b) => b.recipientId!);
  for (const recipientId of ids)
    await changeSubscription(h.db, { serviceId: service.id, recipientId, change: 'subscribe', origin: 'test' }, { ...audit, action: 'recipient_subscribed' });
  await changeSubscription(
    h.db,
    { serviceId: service.id, recipientId: ids[0]!, change: 'unsubscribe', origin: 'test' },
    { ...audit, action: 'recipient_unsubscribed' },
  );
}
