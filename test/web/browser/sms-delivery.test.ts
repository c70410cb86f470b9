import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { until } from '../../helpers/mta.js';
import { startModule, type ModuleProcess } from '../../helpers/module-process.js';
import { startSmsc, type Smsc } from '../../helpers/smsc.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

const TEXT = 'Hi <%= recipient.firstName %>, -20% on everything today at our shops. Reply STOP to 36111 to unsubscribe. Выгодно!';

/**
 * An SMS delivery from end to end in Debian's chromium: create it in the console, preview its
 * encoding and segments, analyse and start it, let the real `herald sms` process send it to an
 * SMSC on 127.0.0.1 that answers with delivery receipts, then read the receipts in its report.
 */
describe('SMS deliveries in a browser (chromium): create, preview segments, send, receipts in the report', function () {
  this.timeout(180_000);
  let h: ConsoleHarness;
  let smsc: Smsc;
  let browser: TestBrowser | undefined;
  let page: Page;
  let sms: ModuleProcess | undefined;
  let deliveryUrl = '';

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    smsc = await startSmsc({ undeliverable: ['+33612345602'] });
    h = await startConsole(
      `[sms]\nidlePollMs = 50\ncommitIntervalMs = 20\n[[sms.connectors]]\nname = "op"\nhost = "127.0.0.1"\nport = ${smsc.port}\nsystemId = "herald"\npassword = "secret"\nsourceAddress = "36111"\n`,
    );
    await addOperator(h.db, 'marketer', ['admin'], { password: 'correct horse battery staple' });
    const now = new Date();
    for (const [email, mobile, firstName] of [
      ['ann@example.com', '+33612345601', 'Ann'],
      ['bob@example.com', '+33612345602', 'Bob'],
      ['cy@example.com', '+33612345603', 'Cy'],
      ['dee@example.com', null, 'Dee'],
    ])
      await h.db.models.Recipient.create({ email, mobile, firstName, createdAt: now, updatedAt: now } as never);
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await sms?.kill();
    await browser?.close();
    await h?.close();
    await smsc?.close();
  });

  const shot = (name: string) => browser!.shot(name);
  const url = (path: string) => `${h.base}${path}`;

  it('logs in and creates a delivery on the SMS channel, with no subject nor sender', async () => {
    await page.goto(url('/login'));
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/$/);
    await page.goto(url('/deliveries/new'));
    await page.fill('input[name=internalName]', 'sms-spring');
    await page.fill('input[name=label]', 'Spring SMS');
    await page.selectOption('select[name=channel]', 'sms');
    await page.fill('input[name=subject]', '');
    await page.fill('input[name=fromName]', '');
    await page.fill('input[name=fromAddress]', '');
    await page.fill('textarea[name=html]', '');
    await page.fill('textarea[name=text]', TEXT);
    await shot('60-sms-delivery-new');
    await page.click('#delivery-form button[type=submit]');
    await page.waitForURL(/\/deliveries\/\d+\?notice=created$/);
    deliveryUrl = page.url().replace(/\?.*$/, '');
  });

  it('previews its encoding and segments, the cost known once analysed', async () => {
    await page.goto(`${deliveryUrl}/preview`);
    assert.match((await page.textContent('#preview-sms-encoding')) ?? '', /^UCS-2 \(a character is outside the GSM alphabet/);
    assert.match((await page.textContent('#preview-sms-segments')) ?? '', /^2 sent as one concatenated message/);
    assert.match((await page.textContent('main')) ?? '', /Hi Ann, -20%/);
    assert.match((await page.textContent('main')) ?? '', /known after the analysis/);
    await shot('61-sms-delivery-preview');
  });

  it('analyses it: the recipient without a mobile number is excluded, the cost shown in segments', async () => {
    await page.goto(deliveryUrl);
    await page.click('form[action$="/analyse"] button');
    await page.waitForURL(/notice=analysed/);
    assert.equal((await page.textContent('#analysis [data-field="toDeliver"]'))?.trim(), '3');
    await page.goto(`${deliveryUrl}/preview`);
    assert.match((await page.textContent('main')) ?? '', /6 segments for the messages to deliver/);
    await shot('62-sms-delivery-analysed');
  });

  it('starts it; the real herald sms sends it to the SMSC and the report shows the receipts', async () => {
    await page.goto(deliveryUrl);
    await page.click('form[action$="/start"] button');
    await page.waitForURL(/notice=started/);
    sms = await startModule('sms', h.instance.env);
    const id = Number(/\/deliveries\/(\d+)$/.exec(deliveryUrl)?.[1]);
    await until(
      async () => (await h.db.models.BroadLog.count({ where: { deliveryId: id, receiptStatus: ['delivered', 'undeliverable'] } })) === 3,
      60_000,
      'the three receipts',
    );
    assert.deepEqual(smsc.submits.map((s) => s.destination).sort(), [
      '+33612345601',
      '+33612345601',
      '+33612345602',
      '+33612345602',
      '+33612345603',
      '+33612345603',
    ]);

    await page.goto(deliveryUrl.replace('/deliveries/', '/reports/deliveries/'));
    const count = async (indicator: string) => (await page.locator(`tr:has(a[href="/reports/definitions#${indicator}"]) td.num`).first().textContent())?.trim();
    assert.deepEqual(await Promise.all(['sms_delivered', 'sms_undeliverable', 'sms_expired', 'sms_segments'].map(count)), ['2', '1', '0', '6']);
    await shot('63-sms-delivery-report');
    assert.deepEqual(browser!.problems, []);
  });
});
