import assert from 'node:assert/strict';
import type { Database } from '../../server/db/connect.js';
import { saveSubscription } from '../../server/db/repos/push.js';
import { createNewDelivery, startDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { startPushService, type PushService } from '../../server/push/push-service.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { silentLogger } from '../../server/shared/logger.js';
import { vapidKeys } from '../../server/shared/vapid.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { until } from '../helpers/mta.js';
import { startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.js';

/** The push module against a push service that really decrypts (RFC 8291) and checks the VAPID JWT (RFC 8292). */

describe('the push module against a real push endpoint', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let db: Database;
  let endpoint: PushEndpoint;
  let config: HeraldConfig;
  let service: PushService | undefined;
  let counter = 0;

  beforeEach(async () => {
    endpoint = await startPushEndpoint();
    instance = createInstance(
      `[push]\nidlePollMs = 50\nttlSeconds = 3600\nurgency = "high"\nvapidSubject = "mailto:ops@example.com"\ncaFile = ${JSON.stringify(endpoint.caFile)}\n`,
    );
    config = instance.config;
    db = await openTestDb(instance);
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await endpoint.close();
    await db.close();
    instance.cleanup();
  });

  const deps = (): DeliveryDeps => ({ db, config, log: silentLogger(), dkim: [] });
  async function push(overrides: Partial<NewDelivery> = {}): Promise<{ id: number; report: Awaited<ReturnType<typeof analyseDelivery>> }> {
    const d = await createNewDelivery(deps(), {
      internalName: `p${++counter}`,
      label: 'Spring',
      kind: 'marketing',
      channel: 'push',
      subject: 'Hello <%= recipient.firstName %>',
      fromName: null,
      fromAddress: '',
      replyTo: null,
      html: null,
      text: 'Spring sale: https://shop.example.com/spring?id=<%= recipient.id %>',
      headers: {},
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      serviceId: null,
      trackingEnabled: true,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
      ...overrides,
    });
    const report = await analyseDelivery(deps(), d.id);
    assert.equal(report.state, 'ready', JSON.stringify(report.issues));
    await startDelivery(deps(), d.id, new Date());
    return { id: d.id, report };
  }
  async function seed(): Promise<Record<string, number>> {
    const now = new Date();
    const people = [
      { email: 'ann@example.com', firstName: 'Ann' },
      { email: 'bob@example.com', firstName: 'Bob' },
      { email: 'cy@example.com', firstName: 'Cy' },
      { email: 'dee@example.com', firstName: 'Dee', denylistedPush: true },
    ];
    const ids: Record<string, number> = {};
    for (const p of people) ids[p.firstName] = (await db.models.Recipient.create({ ...p, createdAt: now, updatedAt: now } as never)).id;
    for (const [who, browser] of [
      ['Ann', 'ann-laptop'],
      ['Ann', 'ann-phone'],
      ['Bob', 'bob-old'],
      ['Dee', 'dee-laptop'],
    ] as const) {
      const b = endpoint.browser(browser);
      assert.ok(await saveSubscription(db, ids[who]!, { endpoint: b.endpoint, ...b.keys }, now));
    }
    return ids;
  }

  it('sends each subscribed browser its personalized notification, encrypted for it, with TTL, urgency and a valid VAPID JWT', async () => {
    await seed();
    endpoint.gone.add('bob-old');
    const { id, report } = await push();
    assert.equal(report.toDeliver, 3, 'two browsers of Ann and one of Bob');
    const excluded = await db.models.ExclusionLog.findAll({ where: { deliveryId: id }, order: [['id', 'ASC']] });
    assert.deepEqual(
      excluded.map((e) => e.reason),
      ['address_not_specified', 'denylisted'],
      'Cy has no subscription; Dee opted out of push',
    );
    service = await startPushService(db, config, silentLogger());
    await until(async () => (await db.models.Delivery.findByPk(id))!.state === 'finished', 20_000, 'the delivery to finish');
    assert.deepEqual(endpoint.refused, []);
    const got = [...endpoint.received].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      got.map((r) => r.name),
      ['ann-laptop', 'ann-phone'],
    );
    for (const r of got) {
      const p = r.payload as { title: string; body: string; url: string };
      assert.equal(p.title, 'Hello Ann');
      assert.match(p.body, /^Spring sale: http:\/\/\S+\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\?p1=\d+$/, 'the link is a tracked one');
      assert.equal(p.url, p.body.slice('Spring sale: '.length));
      assert.equal(r.ttl, '3600');
      assert.equal(r.urgency, 'high');
      assert.equal(r.jwt.aud, endpoint.origin);
      assert.equal(r.jwt.sub, 'mailto:ops@example.com');
      assert.equal(r.vapidKey, vapidKeys(config.secrets.vapidPrivateKey).publicKey);
    }
    const d = (await db.models.Delivery.findByPk(id))!;
    assert.deepEqual([d.sent, d.failed, d.processed], [2, 1, 3]);
    const bob = (await db.models.PushSubscription.findAll({ where: { status: 'expired' } })).map((s) => [s.endpoint.endsWith('/bob-old'), s.failureText]);
    assert.deepEqual(bob, [[true, '410 subscription expired']], 'the 410 expired the subscription');
    const failed = await db.models.BroadLog.findAll({ where: { deliveryId: id, status: 'failed' } });
    assert.deepEqual(
      failed.map((l) => [l.failureType, l.failureReason]),
      [['hard', 'user_unknown']],
    );
    const quarantined = await db.models.Quarantine.findAll({ where: { channel: 'push' } });
    assert.deepEqual(
      quarantined.map((q) => [q.address, q.status]),
      [[failed[0]!.address, 'quarantine']],
      'the subscription is quarantined on push only',
    );
    assert.equal(await db.models.Quarantine.count({ where: { channel: 'email' } }), 0);

    // the next delivery: Bob has no active subscription left
    const next = await push();
    assert.equal(next.report.toDeliver, 2);
  });
  it("sends a delivery's own push fields: personalized title, body and tracked page, icon and image, its TTL and urgency over the site's", async () => {
    await seed();
    const { id } = await push({
      subject: '',
      text: null,
      pushContent: {
        title: 'Hello <%= recipient.firstName %>',
        body: 'Spring sale starts today',
        url: 'https://shop.example.com/spring?id=<%= recipient.id %>',
        icon: 'https://cdn.example.com/icon.png',
        image: 'https://cdn.example.com/spring.jpg',
        ttlSeconds: 600,
        urgency: 'low',
      },
    });
    service = await startPushService(db, config, silentLogger());
    await until(async () => (await db.models.Delivery.findByPk(id))!.state === 'finished', 20_000, 'the delivery to finish');
    assert.deepEqual(endpoint.refused, []);
    const got = [...endpoint.received].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      got.map((r) => r.name),
      ['ann-laptop', 'ann-phone', 'bob-old'],
    );
    for (const r of got) {
      const p = r.payload as Record<string, string>;
      assert.deepEqual(Object.keys(p).sort(), ['body', 'icon', 'image', 'title', 'url']);
      assert.equal(p.title, r.name.startsWith('ann') ? 'Hello Ann' : 'Hello Bob');
      assert.equal(p.body, 'Spring sale starts today');
      assert.match(p.url!, /^http:\/\/\S+\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\?p1=\d+$/, 'the page is a tracked link');
      assert.equal(p.icon, 'https://cdn.example.com/icon.png');
      assert.equal(p.image, 'https://cdn.example.com/spring.jpg');
      assert.equal(r.ttl, '600', "the delivery's TTL, not [push] ttlSeconds = 3600");
      assert.equal(r.urgency, 'low', "the delivery's urgency, not [push] urgency = high");
    }
  });
});
