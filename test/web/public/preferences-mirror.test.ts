import assert from 'node:assert/strict';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../../server/db/repos/services.js';
import { createNewDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery } from '../../../server/delivery/analyse.js';
import { DEFAULT_EXCLUSIONS } from '../../../server/delivery/target-spec.js';
import { publishTemplate } from '../../../server/events/publish-template.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { encodeRecipientToken, encodeTrackingToken } from '../../../server/shared/tokens.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

const audit = (action: 'service_created' | 'recipient_subscribed') => ({ at: new Date(), operatorId: null, operatorLogin: 'test', action });

describe('preference centre and mirror page', () => {
  let h: PublicHarness;
  let annId: number;
  const services: Record<string, number> = {};
  const key = () => h.instance.config.secrets.trackingKey;
  const prefs = (recipientId: number) => `/p/${encodeRecipientToken(key(), { recipientId, purpose: 'preferences', serviceId: 0, expiresAt: 0 })}`;
  const deps = () => ({ db: h.db, config: h.instance.config, log: silentLogger(), dkim: [] });

  before(async () => {
    h = await startPublic('[forms]\nmaxSubmitsPerMinute = 1000');
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }], new Set(['email', 'firstName', 'lastName']));
    annId = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!.id;
    for (const name of ['news', 'offers'])
      services[name] = (
        await createService(h.db, { name, label: `Label ${name}`, description: null, doubleOptIn: false, validityDays: null }, audit('service_created'))
      ).id;
    await changeSubscription(h.db, { serviceId: services.news!, recipientId: annId, change: 'subscribe', origin: 'test' }, audit('recipient_subscribed'));
  });
  after(async () => h.close());

  it('shows a recipient their profile and subscriptions through the signed link, and saves changes', async () => {
    const client = new FormClient(h.base);
    const page = await client.get(prefs(annId));
    assert.equal(page.status, 200);
    assert.match(page.text, /ann@example\.com/);
    assert.match(page.text, new RegExp(`value="${services.news}" checked`));
    h.clock.now = new Date(h.clock.now.getTime() + 10_000);
    const saved = await client.submit(prefs(annId), { firstName: 'Anne', lastName: 'Lee', emailFormat: 'text', services: [String(services.offers)] });
    assert.equal(saved.status, 200);
    assert.match(saved.text, /preferences are saved/);
    const r = await h.db.models.Recipient.findByPk(annId);
    assert.equal(r?.firstName, 'Anne');
    assert.equal(r?.emailFormat, 'text');
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: annId, serviceId: services.news! } }))?.status, 'unsubscribed');
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: annId, serviceId: services.offers! } }))?.status, 'active');
  });

  it('shows the same "not valid" page for a forged token, another purpose, an unknown recipient and a proof (recipient 0)', async () => {
    const unsubscribeToken = encodeRecipientToken(key(), { recipientId: annId, purpose: 'unsubscribe', serviceId: 0, expiresAt: 0 });
    const pages = await Promise.all(
      [prefs(annId).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), `/p/${unsubscribeToken}`, prefs(999_999), prefs(0)].map((p) => fetch(`${h.base}${p}`)),
    );
    const bodies = await Promise.all(pages.map((p) => p.text()));
    assert.deepEqual(
      pages.map((p) => p.status),
      [404, 404, 404, 404],
    );
    assert.ok(bodies.every((b) => b === bodies[0]));
    assert.doesNotMatch(bodies[0]!, /ann@example/);
  });

  it('serves the mirror page of a message as its recipient got it, logs the view, and ends with the web validity', async () => {
    // The test above chose text; the message has a text part (generated from its HTML), so HTML is chosen again here.
    await h.db.write((transaction) => h.db.models.Recipient.update({ emailFormat: 'html' }, { where: { id: annId }, transaction }));
    const d = await createNewDelivery(deps(), {
      internalName: 'spring',
      label: 'Spring',
      kind: 'marketing',
      subject: 'Hi <%= recipient.firstName %>',
      fromName: null,
      fromAddress: 'news@example.com',
      replyTo: null,
      html: '<html><body><p>Hello <%= recipient.firstName %></p><a href="<%= links.mirror %>">View online</a><a href="<%= links.unsubscribe %>">Unsubscribe</a></body></html>',
      text: null,
      headers: {},
      target: { kind: 'all' },
      exclusions: DEFAULT_EXCLUSIONS,
      serviceId: null,
      trackingEnabled: true,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    await analyseDelivery(deps(), d.id);
    const log = (await h.db.models.BroadLog.findOne({ where: { deliveryId: d.id, recipientId: annId } }))!;
    const mirrorUrl = (await h.db.models.TrackingUrl.findOne({ where: { deliveryId: d.id, type: 'mirror' } }))!;
    const path = `/m/${encodeTrackingToken(key(), { deliveryId: d.id, broadLogId: log.id, urlId: mirrorUrl.id })}`;
    const reply = await fetch(`${h.base}${path}`);
    assert.equal(reply.status, 200);
    assert.match(await reply.text(), /Hello Anne/);
    assert.match(reply.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.match(reply.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const views = await h.db.models.TrackingLog.findAll({ where: { deliveryId: d.id, urlType: 'mirror' } });
    assert.equal(views.length, 1);
    assert.equal(views[0]!.broadLogId, log.id);
    const otherUrl = (await h.db.models.TrackingUrl.findOne({ where: { deliveryId: d.id, type: 'click' } })) ?? { id: mirrorUrl.id + 1000 };
    assert.equal(
      (await fetch(`${h.base}/m/${encodeTrackingToken(key(), { deliveryId: d.id, broadLogId: log.id, urlId: otherUrl.id })}`)).status,
      404,
      'only the mirror URL row opens it',
    );
    await h.db.models.Delivery.update({ webValidityEnd: new Date(h.clock.now.getTime() - 1000) }, { where: { id: d.id } });
    assert.equal((await fetch(`${h.base}${path}`)).status, 410);
  });

  it('rebuilds a transactional message with its event context', async () => {
    await publishTemplate(
      { db: h.db, config: h.instance.config, log: silentLogger() },
      'order-shipped',
      {
        label: 'Order shipped',
        subject: 'Order <%= event.orderId %>',
        fromName: null,
        fromAddress: 'shop@example.com',
        replyTo: null,
        html: '<html><body><p>Order <%= event.orderId %>: <% for (const item of event.items) { %><%= item.name %> <% } %></p><a href="<%= links.mirror %>">online</a></body></html>',
        text: null,
        headers: {},
        trackingEnabled: true,
        openTracking: false,
      },
      h.clock.now,
    );
    const stored = await h.web.events.intake.accept({
      type: 'order-shipped',
      email: 'bob@example.com',
      ctx: { orderId: 'A-17', items: [{ name: 'Kettle <b>' }, { name: 'Mug' }] },
      emailFormat: 'html',
      origin: 'api',
      apiKeyId: null,
    });
    const mirrorUrl = (await h.db.models.TrackingUrl.findOne({ where: { deliveryId: stored.deliveryId!, type: 'mirror' } }))!;
    const reply = await fetch(
      `${h.base}/m/${encodeTrackingToken(key(), { deliveryId: stored.deliveryId!, broadLogId: stored.broadLogId!, urlId: mirrorUrl.id })}`,
    );
    assert.equal(reply.status, 200);
    const html = await reply.text();
    assert.match(html, /Order A-17: Kettle &lt;b&gt; Mug/);
    assert.deepEqual(h.published, [stored.deliveryId], "the delivery's tracking URLs were pushed when it opened");
  });
});
