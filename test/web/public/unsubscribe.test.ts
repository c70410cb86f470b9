import assert from 'node:assert/strict';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../../server/db/repos/services.js';
import { buildMessage } from '../../../server/delivery/build-message.js';
import { compileDelivery } from '../../../server/delivery/compile-delivery.js';
import { contentPlan } from '../../../server/delivery/message-content.js';
import { sendingIdentity, trackingRowsFor } from '../../../server/delivery/delivery-content.js';
import { encodeRecipientToken } from '../../../server/shared/tokens.js';
import { content, log, recipient } from '../../helpers/delivery.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

const audit = (action: 'service_created' | 'recipient_subscribed') => ({ at: new Date(), operatorId: null, operatorLogin: 'test', action });

describe('unsubscribe links and RFC 8058 one-click', () => {
  let h: PublicHarness;
  let annId: number;
  const services: Record<string, number> = {};
  const token = (recipientId: number, serviceId: number) =>
    encodeRecipientToken(h.instance.config.secrets.trackingKey, { recipientId, purpose: 'unsubscribe', serviceId, expiresAt: 0 });
  const status = async (serviceId: number) => (await h.db.models.Subscription.findOne({ where: { recipientId: annId, serviceId } }))?.status;
  const oneClick = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${h.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  before(async () => {
    h = await startPublic();
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann' }], new Set(['email', 'firstName']));
    annId = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!.id;
    for (const name of ['news', 'offers', 'events', 'tips']) {
      services[name] = (
        await createService(h.db, { name, label: name, description: null, doubleOptIn: false, validityDays: null }, audit('service_created'))
      ).id;
      await changeSubscription(h.db, { serviceId: services[name]!, recipientId: annId, change: 'subscribe', origin: 'test' }, audit('recipient_subscribed'));
    }
  });
  after(async () => h.close());

  it('never unsubscribes on GET (mail scanners fetch links): ten GETs show the confirmation page', async () => {
    for (let i = 0; i < 10; i++) {
      const reply = await fetch(`${h.base}/u/${token(annId, services.news!)}`, { redirect: 'manual' });
      assert.equal(reply.status, 200);
      assert.match(await reply.text(), /Unsubscribe from this newsletter/);
    }
    assert.equal(await status(services.news!), 'active');
  });

  it('says "already unsubscribed" to a second submit of the same page (two tabs, a double click), changing nothing more', async () => {
    const path = `/u/${token(annId, services.tips!)}`;
    const [first, second] = [new FormClient(h.base), new FormClient(h.base)];
    await first.get(path);
    await second.get(path);
    h.clock.now = new Date(h.clock.now.getTime() + 5000);
    const done = await first.submit(path, { scope: 'service' });
    assert.match(done.text, /<h1>You are unsubscribed<\/h1>/);
    const history = await h.db.models.SubscriptionHistory.count();
    const again = await second.submit(path, { scope: 'service' });
    assert.equal(again.status, 200);
    assert.match(again.text, /<h1>You are already unsubscribed<\/h1>/);
    assert.equal(await h.db.models.SubscriptionHistory.count(), history);
    assert.equal(await status(services.tips!), 'unsubscribed');
  });

  it('unsubscribes at once on the one-click POST of the List-Unsubscribe URL a message carries: 200, no redirect, no cookie needed', async () => {
    const c = content({ serviceId: services.news!, id: 1 });
    const compiled = compileDelivery({
      delivery: c,
      urls: trackingRowsFor(contentPlan(c, 'tracked')).map((u, i) => ({ ...u, id: i + 1 })),
      identity: sendingIdentity(h.instance.config),
      dkim: [],
      list: { name: 'news', label: 'news' },
    });
    const built = buildMessage(compiled, recipient({ id: annId, email: 'ann@example.com' }), log(1, 'ann@example.com'), new Date());
    assert.ok(built.ok);
    const header = /^List-Unsubscribe: <([^>]+)>/m.exec(built.raw.toString())![1]!;
    const path = new URL(header).pathname;
    const reply = await oneClick(path, { origin: 'https://mail.provider.example' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('location'), null);
    assert.equal(await status(services.news!), 'unsubscribed');
    assert.equal(
      (await h.db.models.SubscriptionHistory.findOne({ where: { recipientId: annId, serviceId: services.news!, action: 'unsubscribe' } }))?.origin,
      'one-click',
    );
    assert.equal((await oneClick(path)).status, 200, 'a repeat is answered the same (idempotent)');
    assert.equal(await h.db.models.SubscriptionHistory.count({ where: { recipientId: annId, serviceId: services.news!, action: 'unsubscribe' } }), 1);
  });

  it('takes the one-click body as multipart/form-data too', async () => {
    const form = new FormData();
    form.append('List-Unsubscribe', 'One-Click');
    const reply = await fetch(`${h.base}/u/${token(annId, services.offers!)}`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(reply.status, 200);
    assert.equal(await status(services.offers!), 'unsubscribed');
  });

  it('treats recipient 0 (proofs) as a no-op and refuses forged tokens', async () => {
    assert.equal((await oneClick(`/u/${token(0, services.events!)}`)).status, 200);
    assert.equal(await status(services.events!), 'active');
    const forged = token(annId, services.events!).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await oneClick(`/u/${forged}`)).status, 404);
    assert.equal((await fetch(`${h.base}/u/${forged}`)).status, 404);
    assert.equal(await status(services.events!), 'active');
  });

  it('unsubscribes from all email through the page form, which needs its form token and this site', async () => {
    const client = new FormClient(h.base);
    const path = `/u/${token(annId, services.events!)}`;
    await client.get(path);
    assert.equal((await client.submit(path, { scope: 'all', _form: 'forged.x' })).status, 403);
    assert.equal((await client.submit(path, { scope: 'all' }, { origin: 'http://evil.test' })).status, 403);
    assert.equal((await h.db.models.Recipient.findByPk(annId))?.denylistedEmail, false);
    const done = await client.submit(path, { scope: 'all' });
    assert.equal(done.status, 200);
    assert.match(done.text, /will not receive our emails/);
    assert.equal((await h.db.models.Recipient.findByPk(annId))?.denylistedEmail, true);
    assert.equal(
      await h.db.models.SubscriptionHistory.count({ where: { recipientId: annId, serviceId: 0, action: 'unsubscribe' } }),
      1,
      'leaving all email is history on service 0',
    );
  });

  it('limits form submits per client address (429 with Retry-After) but never the one-click POSTs', async () => {
    await upsertRecipients(h.db, [{ email: 'bob@example.com' }], new Set(['email']));
    const bobId = (await h.db.models.Recipient.findOne({ where: { email: 'bob@example.com' } }))!.id;
    const client = new FormClient(h.base);
    const path = `/u/${token(bobId, services.events!)}`;
    await client.get(path);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client.submit(path, { scope: 'service' })).status);
    assert.ok(statuses.includes(429), `a 429 among ${statuses.join(',')}`);
    const limited = await client.submit(path, { scope: 'service' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    for (let i = 0; i < 15; i++) assert.equal((await oneClick(path)).status, 200);
  });
});
