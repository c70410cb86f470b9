import assert from 'node:assert/strict';
import { createService } from '../../../server/db/repos/services.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { pendingMessages } from '../../helpers/outbox.js';
import { FormClient, startPublic, type PublicHarness } from '../helpers/public.js';

const audit = () => ({ at: new Date(), operatorId: null, operatorLogin: 'test', action: 'service_created' as const });
const later = (h: PublicHarness, seconds: number) => (h.clock.now = new Date(h.clock.now.getTime() + seconds * 1000));

describe('public subscription with double opt-in', () => {
  let h: PublicHarness;
  const services: Record<string, number> = {};
  before(async () => {
    h = await startPublic('[forms]\nmaxSubmitsPerMinute = 1000');
    for (const name of ['news', 'offers'])
      services[name] = (
        await createService(
          h.db,
          { name, label: name === 'news' ? 'Weekly news' : 'Special offers', description: null, doubleOptIn: true, validityDays: null },
          audit(),
        )
      ).id;
  });
  after(async () => h.close());

  async function subscribe(client: FormClient, email: string, extra: Record<string, string | string[]> = {}) {
    const form = await client.get('/subscribe');
    assert.equal(form.status, 200);
    later(h, 5);
    return client.submit('/subscribe', { email, firstName: 'Zoé', services: [String(services.news)], ...extra });
  }

  it('queues a confirmation mail through a transactional delivery and subscribes only when its link is used', async () => {
    const client = new FormClient(h.base);
    const reply = await subscribe(client, 'Ann.Lee@Example.com');
    assert.equal(reply.status, 200);
    assert.match(reply.text, /Check your inbox/);
    assert.equal(await h.db.models.Subscription.count(), 0, 'nothing is subscribed before the confirmation');
    assert.equal(await h.db.models.Recipient.count(), 0, 'no profile is created before the confirmation');
    const [mail] = await pendingMessages(h.db, h.instance.config, { address: 'ann.lee@example.com' });
    assert.ok(mail, 'a pending message to the address');
    assert.equal(mail.kind, 'transactional');
    assert.equal(mail.mail.subject, 'Please confirm your subscription');
    assert.match(mail.mail.text ?? '', /Weekly news/);
    assert.equal(mail.mail.headers.get('list-unsubscribe'), undefined, 'a confirmation is not marketing mail');
    const link = /http:\/\/localhost:8080(\/confirm\?t=[^\s"<]+)/.exec(mail.mail.text ?? '')?.[1];
    assert.ok(link, 'the text part has the confirmation link');
    assert.match(mail.mail.html || '', new RegExp(link!.replace(/[?.]/g, '\\$&')), 'the HTML part has it too');

    const page = await client.get(link!);
    assert.equal(page.status, 200);
    assert.equal(await h.db.models.Subscription.count(), 0, 'opening the link (GET) subscribes nobody');
    const done = await client.submit('/confirm', { t: decodeURIComponent(link!.slice('/confirm?t='.length)) });
    assert.equal(done.status, 200);
    assert.match(done.text, /Subscription confirmed/);
    const recipient = await h.db.models.Recipient.findOne({ where: { email: 'ann.lee@example.com' } });
    assert.equal(recipient?.firstName, 'Zoé');
    const subscription = await h.db.models.Subscription.findOne({ where: { recipientId: recipient!.id, serviceId: services.news } });
    assert.equal(subscription?.status, 'active');
    const again = await client.submit('/confirm', { t: decodeURIComponent(link!.slice('/confirm?t='.length)) });
    assert.equal(again.status, 200, 'a second use changes nothing');
    assert.match(again.text, /<h1>Already confirmed<\/h1>/);
    assert.equal(await h.db.models.Subscription.count(), 1);
    const reopened = await client.get(link!);
    assert.equal(reopened.status, 200);
    assert.match(reopened.text, /<h1>Already confirmed<\/h1>/, 'the link opened again says so instead of asking again');
    assert.doesNotMatch(reopened.text, /<form/);
  });

  it('answers known and unknown addresses with the same status and the same page', async () => {
    await upsertRecipients(h.db, [{ email: 'known@example.com', firstName: 'Kim' }], new Set(['email', 'firstName']));
    const known = await subscribe(new FormClient(h.base), 'known@example.com');
    const unknown = await subscribe(new FormClient(h.base), 'nobod@example.com');
    assert.equal(known.status, unknown.status);
    assert.equal(known.text.length, unknown.text.length);
    assert.equal(known.text, unknown.text);
    assert.equal(
      (await h.db.models.Recipient.findOne({ where: { email: 'known@example.com' } }))?.firstName,
      'Kim',
      'an unconfirmed request never changes a profile',
    );
  });

  it('drops bots silently: a filled honeypot or a form sent too fast gets the same page and no mail', async () => {
    const before = await h.db.models.TransactionalEvent.count();
    const bot = new FormClient(h.base);
    const trapped = await subscribe(bot, 'trap@example.com', { website: 'http://spam.example' });
    await bot.get('/subscribe');
    const fast = await bot.submit('/subscribe', { email: 'fast@example.com', services: [String(services.news)] });
    assert.equal(trapped.status, 200);
    assert.equal(fast.status, 200);
    assert.equal(fast.text, trapped.text);
    assert.equal(await h.db.models.TransactionalEvent.count(), before, 'no confirmation mail');
    assert.equal(await h.db.models.Signup.count({ where: { email: ['trap@example.com', 'fast@example.com'] } }), 0);
  });

  it('sends at most three confirmation mails per address a day', async () => {
    const client = new FormClient(h.base);
    for (let i = 0; i < 5; i++) assert.equal((await subscribe(client, 'victim@example.com')).status, 200);
    assert.equal(await h.db.models.TransactionalEvent.count({ where: { email: 'victim@example.com' } }), 3);
    later(h, 86_400);
    await subscribe(client, 'victim@example.com');
    assert.equal(await h.db.models.TransactionalEvent.count({ where: { email: 'victim@example.com' } }), 4, 'the next day counts anew');
  });

  it('refuses invalid input with the form and its errors (role addresses, no newsletter chosen)', async () => {
    const role = await subscribe(new FormClient(h.base), 'postmaster@example.com');
    assert.equal(role.status, 400);
    assert.match(role.text, /cannot subscribe/);
    const none = await subscribe(new FormClient(h.base), 'someone@example.com', { services: [] });
    assert.equal(none.status, 400);
    assert.match(none.text, /Choose at least one/);
    const bad = await subscribe(new FormClient(h.base), 'not-an-address');
    assert.equal(bad.status, 400);
  });

  it('refuses a confirmation link that is forged or expired', async () => {
    const client = new FormClient(h.base);
    assert.equal((await client.get('/confirm?t=AQIDBA.AAAAAAAAAAAAAAAAAAAAAA')).status, 404);
    await subscribe(client, 'late@example.com');
    const [mail] = await pendingMessages(h.db, h.instance.config, { address: 'late@example.com' });
    const link = /(\/confirm\?t=[^\s"<]+)/.exec(mail!.mail.text ?? '')![1]!;
    later(h, 49 * 3600);
    assert.equal((await client.get(link)).status, 404, 'the link expires after forms.confirmHours');
  });
});
