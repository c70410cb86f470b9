import assert from 'node:assert/strict';
import { saveSubscription } from '../../server/db/repos/push.js';
import { startPushService, type PushService } from '../../server/push/push-service.js';
import { silentLogger } from '../../server/shared/logger.js';
import { runTrackingIngest } from '../../server/tracking-data/ingest/run-ingest.js';
import { until } from '../helpers/mta.js';
import { startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';

/**
 * A push delivery's report shows what push has: sent, failed by reason, the subscriptions a 404/410
 * expired, and clicks, from a real `herald push` service sending to a push endpoint that decrypts,
 * a click on the received notification's page through the real tracking server, and the
 * tracking job's consolidation; none of the email figures.
 */
describe('the push delivery report', function () {
  this.timeout(60_000);
  let endpoint: PushEndpoint;
  let h: ConsoleHarness;
  let push: PushService | undefined;
  let admin: ConsoleClient;

  before(async () => {
    endpoint = await startPushEndpoint();
    h = await startConsole(`[push]\nidlePollMs = 50\nvapidSubject = "mailto:ops@example.com"\ncaFile = ${JSON.stringify(endpoint.caFile)}\n`, {
      tracker: true,
    });
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/deliveries/new');
    const now = new Date();
    for (const [firstName, browsers] of [
      ['Ann', ['ann-laptop', 'ann-phone']],
      ['Bob', ['bob-old']],
    ] as const) {
      const r = await h.db.models.Recipient.create({ email: `${firstName.toLowerCase()}@example.com`, firstName, createdAt: now, updatedAt: now } as never);
      for (const name of browsers) {
        const b = endpoint.browser(name);
        await saveSubscription(h.db, r.id, { endpoint: b.endpoint, ...b.keys }, now);
      }
    }
    endpoint.gone.add('bob-old');
  });
  after(async () => {
    await push?.stop();
    await h.close();
    await endpoint.close();
  });

  it('reports sent, failed by reason, expired subscriptions removed and clicks, and no email figure', async () => {
    const created = await admin.post(
      '/deliveries',
      deliveryForm({
        internalName: 'push-report',
        label: 'Push report',
        channel: 'push',
        subject: '',
        fromAddress: '',
        html: '',
        text: '',
        pushTitle: 'Hello <%= recipient.firstName %>',
        pushBody: 'Spring sale starts today',
        pushUrl: 'https://shop.example.com/spring',
      }),
    );
    assert.equal(created.status, 303, created.text);
    const id = Number(/\/deliveries\/(\d+)/.exec(created.location ?? '')?.[1]);
    await admin.post(`/deliveries/${id}/analyse`);
    assert.equal((await admin.post(`/deliveries/${id}/start`)).status, 303);
    push = await startPushService(h.db, h.instance.config, silentLogger());
    await until(async () => (await h.db.models.Delivery.findByPk(id))!.state === 'finished', 20_000, 'the delivery to finish');
    assert.deepEqual(endpoint.refused, []);

    // Ann opens the page from her phone's notification: the tracked link through the tracking server
    const phone = endpoint.received.find((r) => r.name === 'ann-phone')!.payload as { url: string };
    const link = new URL(phone.url);
    const click = await fetch(`${h.tracker!.base}${link.pathname}${link.search}`, { redirect: 'manual' });
    assert.equal(click.status, 302);
    assert.equal(click.headers.get('location'), 'https://shop.example.com/spring');
    const config = { ...h.instance.config, tracking: { ...h.instance.config.tracking, servers: [h.tracker!.base] } };
    await until(async () => (await runTrackingIngest(h.db, config, new Date())).inserted > 0, 10_000, 'the click to be ingested');

    const report = await admin.get(`/reports/deliveries/${id}`);
    assert.equal(report.status, 200);
    const cell = (id: string) => new RegExp(`href="/reports/definitions#${id}">[^<]+</a></td><td class="num">(\\d+)</td>`).exec(report.text)?.[1];
    assert.deepEqual(['to_deliver', 'sent', 'failed', 'push_expired', 'recipient_clicks', 'total_clicks'].map(cell), ['3', '2', '1', '1', '1', '1']);
    const failedBecause = [...report.text.matchAll(/<td>Failed: ([^<]+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(failedBecause, [['user unknown', '1']]);
    for (const emailOnly of ['recipient_opens', 'estimated_opens', 'total_opens', 'complaints', 'mirror_views', 'forwards', 'reactivity', 'sms_segments'])
      assert.doesNotMatch(report.text, new RegExp(`definitions#${emailOnly}"`), `a push report has no ${emailOnly}`);
    assert.doesNotMatch(report.text, /data-note="complaints"/);
    assert.equal(await h.db.models.PushSubscription.count({ where: { status: 'expired' } }), 1);
  });
});
