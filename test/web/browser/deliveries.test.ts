import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startModule, type ModuleProcess } from '../../helpers/module-process.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

const HTML =
  '<html><body><h1>Spring news</h1><p>Hello <%= recipient.firstName %>,</p><p><a href="https://shop.example.com/spring?src=mail">Spring sale</a></p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p></body></html>';
const TEXT = 'Hello <%= recipient.firstName %>,\nSpring sale: https://shop.example.com/spring?src=mail\nUnsubscribe: <%= links.unsubscribe %>\n';

/**
 * A delivery from end to end in Debian's chromium: import recipients, create the delivery, preview
 * it, analyse it, start it, and follow the dashboard until the real `herald mta` (capture
 * transport, the default: nothing leaves the machine) has sent everything; then its report.
 */
describe('deliveries and reports in a browser (chromium)', function () {
  this.timeout(180_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let mta: ModuleProcess | undefined;
  let deliveryUrl = '';

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('', { tracker: true });
    await addOperator(h.db, 'marketer', ['admin'], { password: 'correct horse battery staple' });
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await mta?.kill();
    await browser?.close();
    await h?.close();
  });

  const shot = (name: string) => browser!.shot(name);
  const url = (path: string) => `${h.base}${path}`;

  it('logs in and imports a small CSV of recipients', async () => {
    await page.goto(url('/login'));
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/$/);
    await page.goto(url('/recipients/import'));
    const csv = 'email,first_name,last_name\nann.lee@example.com,Ann,Lee\nbob.martin@example.com,Bob,Martin\ncarla.lewis@example.org,Carla,Lewis\n';
    await page.setInputFiles('input[type=file]', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('main button[type=submit]');
    await page.waitForSelector('[data-status="finished"]', { timeout: 30_000 });
  });

  it('creates a delivery with a filtered target', async () => {
    await page.goto(url('/deliveries/new'));
    await page.fill('input[name=internalName]', 'spring-2026');
    await page.fill('input[name=label]', 'Spring 2026');
    await page.fill('input[name=fromName]', 'Example Shop');
    await page.fill('input[name=fromAddress]', 'news@shop.example.com');
    await page.fill('input[name=subject]', 'Spring offers for <%= recipient.firstName %>');
    await page.fill('textarea[name=html]', HTML);
    await page.fill('textarea[name=text]', TEXT);
    await page.fill('input[name=f0_field]', 'domain');
    await page.fill('input[name=f0_value]', 'example.com');
    await shot('20-delivery-new');
    await page.click('#delivery-form button[type=submit]');
    await page.waitForURL(/\/deliveries\/\d+\?notice=created$/);
    deliveryUrl = page.url().replace(/\?.*$/, '');
    assert.match((await page.textContent('main')) ?? '', /being edited/);
  });

  it('previews it as a recipient, the HTML in a sandboxed frame', async () => {
    await page.goto(`${deliveryUrl}/preview?recipient=bob.martin@example.com`);
    assert.equal(await page.textContent('#preview-subject'), 'Spring offers for Bob');
    const frame = page.frameLocator('iframe.preview');
    await frame.locator('text=Hello Bob,').waitFor();
    assert.equal(await page.getAttribute('iframe.preview', 'sandbox'), '');
    await shot('21-delivery-preview');
  });

  it('analyses it and shows the counters and control-rule messages', async () => {
    await page.goto(deliveryUrl);
    await page.click('form[action$="/analyse"] button');
    await page.waitForURL(/notice=analysed/);
    assert.equal((await page.textContent('#analysis [data-field="toDeliver"]'))?.trim(), '2');
    assert.match((await page.textContent('#analysis')) ?? '', /from\.dkim/);
    await shot('22-delivery-analysed');
  });

  it('starts it and follows it on the dashboard', async () => {
    await page.click('form[action$="/start"] button');
    await page.waitForURL(/notice=started/);
    await page.goto(`${deliveryUrl}/dashboard`);
    assert.match((await page.textContent('[data-field="stateLabel"]')) ?? '', /start pending|in progress|finished/);
    await shot('23-delivery-dashboard-started');
  });

  it('sees the dashboard reach Finished once the MTA has sent every message (capture transport)', async () => {
    mta = await startModule('mta', h.instance.env);
    await page.goto(`${deliveryUrl}/dashboard`);
    await page.locator('[data-field="stateLabel"]', { hasText: /^finished$/ }).waitFor({ timeout: 90_000 });
    assert.equal((await page.textContent('[data-field="sent"]'))?.trim(), '2');
    assert.equal((await page.textContent('[data-field="pending"]'))?.trim(), '0');
    await shot('24-delivery-dashboard-finished');
  });

  it('shows a report with its chart, and the other new pages, with no script or policy errors', async () => {
    await page.goto(deliveryUrl.replace('/deliveries/', '/reports/deliveries/'));
    assert.ok(await page.isVisible('svg.chart'), 'the summary chart is drawn');
    assert.ok(await page.isVisible('a[href$="summary.csv"]'));
    await shot('25-report-summary');
    const pages: Array<[string, string]> = [
      ['/deliveries', '26-deliveries'],
      ['/reports/throughput', '27-report-throughput'],
      ['/reports/quarantines', '28-report-quarantines'],
      ['/monitoring', '29-monitoring'],
      ['/workflows', '30-workflows'],
    ];
    for (const [path, name] of pages) {
      await page.goto(url(path));
      await shot(name);
    }
    assert.ok(await page.isVisible('main h1'));
    assert.deepEqual(browser!.problems, []);
  });
});
