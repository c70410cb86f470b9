import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createService } from '../../../server/db/repos/services.js';
import { encodeRecipientToken } from '../../../server/shared/tokens.js';
import { pendingMessages } from '../../helpers/outbox.js';
import { startPublic, type PublicHarness } from '../helpers/public.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/** The public pages in Debian's chromium: subscribe → confirmation mail → confirm, unsubscribe, preference centre. */

describe('public pages in a browser (chromium)', function () {
  this.timeout(120_000);
  let h: PublicHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  const services: Record<string, number> = {};
  const shot = (name: string) => browser!.shot(`public-${name}`);
  const url = (path: string) => `${h.base}${path}`;
  /** A visitor who takes their time: the form's minimum fill time passes on the app's clock. */
  const think = () => (h.clock.now = new Date(h.clock.now.getTime() + 5_000));

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startPublic();
    for (const [name, label] of [
      ['news', 'Weekly news'],
      ['offers', 'Special offers'],
    ] as const) {
      services[name] = (
        await createService(
          h.db,
          { name, label, description: null, doubleOptIn: true, validityDays: null },
          { at: new Date(), operatorId: null, operatorLogin: 't', action: 'service_created' },
        )
      ).id;
    }
    browser = await openBrowser({ width: 900, height: 800 });
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('subscribes: form, confirmation mail captured, confirm link, subscribed', async () => {
    await page.goto(url('/subscribe'));
    await page.fill('input[name=email]', 'zoe@example.com');
    await page.fill('input[name=firstName]', 'Zoé');
    await page.check(`input[name=services][value="${services.news}"]`);
    const trap = await page.locator('input[name=website]').boundingBox();
    assert.ok(trap && trap.x + trap.width <= 0, 'the honeypot is out of sight');
    await shot('01-subscribe');
    think();
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Check your inbox');
    await shot('02-check-inbox');
    const [mail] = await pendingMessages(h.db, h.instance.config, { address: 'zoe@example.com' });
    const link = /http:\/\/localhost:8080(\/confirm\?t=[^\s"<]+)/.exec(mail!.mail.text ?? '')![1]!;
    await page.goto(url(link));
    await shot('03-confirm');
    assert.equal(await h.db.models.Subscription.count(), 0, 'opening the link subscribes nobody');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Subscription confirmed');
    await shot('04-confirmed');
    const zoe = await h.db.models.Recipient.findOne({ where: { email: 'zoe@example.com' } });
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: zoe!.id, serviceId: services.news! } }))?.status, 'active');
  });

  it('unsubscribes from a newsletter through the link of a message', async () => {
    const zoe = (await h.db.models.Recipient.findOne({ where: { email: 'zoe@example.com' } }))!;
    const token = encodeRecipientToken(h.instance.config.secrets.trackingKey, {
      recipientId: zoe.id,
      purpose: 'unsubscribe',
      serviceId: services.news!,
      expiresAt: 0,
    });
    await page.goto(url(`/u/${token}`));
    await page.waitForSelector('text=Weekly news');
    await shot('05-unsubscribe');
    await page.click('button[value=service]');
    await page.waitForSelector('text=You are unsubscribed');
    await shot('06-unsubscribed');
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: zoe.id, serviceId: services.news! } }))?.status, 'unsubscribed');
  });

  it('changes name and subscriptions in the preference centre reached from the unsubscribe page', async () => {
    const zoe = (await h.db.models.Recipient.findOne({ where: { email: 'zoe@example.com' } }))!;
    const token = encodeRecipientToken(h.instance.config.secrets.trackingKey, {
      recipientId: zoe.id,
      purpose: 'unsubscribe',
      serviceId: services.news!,
      expiresAt: 0,
    });
    await page.goto(url(`/u/${token}`));
    await page.click('text=Or choose what you receive in your preferences');
    await page.waitForURL(/\/p\//);
    await page.fill('input[name=firstName]', 'Zoe');
    await page.check(`input[name=services][value="${services.offers}"]`);
    await page.selectOption('select[name=emailFormat]', 'text');
    await shot('07-preferences');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Your preferences are saved');
    await shot('08-preferences-saved');
    await zoe.reload();
    assert.equal(zoe.firstName, 'Zoe');
    assert.equal(zoe.emailFormat, 'text');
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: zoe.id, serviceId: services.offers! } }))?.status, 'active');
    assert.deepEqual(browser!.problems, []);
  });
});
