import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

describe('console in a browser (chromium)', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole();
    await addOperator(h.db, 'admin', ['admin'], { password: 'one-time-pass-7k2', mustChange: true });
    browser = await openBrowser({ width: 1280, height: 860 });
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const shot = (name: string) => browser!.shot(name);
  const url = (path: string) => `${h.base}${path}`;

  it('logs in with the one-time password and is made to choose a new one', async () => {
    await page.goto(url('/recipients'));
    assert.match(page.url(), /\/login\?next=%2Frecipients/);
    await shot('01-login');
    await page.fill('input[name=login]', 'admin');
    await page.fill('input[name=password]', 'one-time-pass-7k2');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/password$/);
    await shot('02-forced-password-change');
    await page.fill('input[name=current]', 'one-time-pass-7k2');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.fill('input[name=confirm]', 'correct horse battery staple');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/\?notice=password_changed$/);
    assert.match((await page.textContent('main')) ?? '', /Your password has been changed/);
    await shot('03-home');
  });

  it('imports a small CSV through the browser and sees the result and the reject report', async () => {
    await page.goto(url('/recipients/import'));
    const csv =
      'email,first_name,last_name,city\nann.lee@example.com,Ann,Lee,Paris\nbob.martin@example.com,Bob,Martin,Lyon\nnot-an-email,Bad,Row,Nowhere\ncarla.lewis@example.com,Carla,Lewis,Nice\n';
    await page.setInputFiles('input[type=file]', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await shot('04-import-form');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/recipients\/imports\/\d+$/);
    await page.waitForSelector('[data-status="finished"]', { timeout: 30_000 });
    const text = (await page.textContent('#import-job')) ?? '';
    assert.match(text, /finished/);
    assert.match(text, /Rejected\s*1/);
    assert.ok(await page.isVisible('a[href$="rejects.csv"]'));
    await shot('05-import-finished');
  });

  it('searches recipients and opens one', async () => {
    await page.goto(url('/recipients'));
    await page.selectOption('select[name=by]', 'last_name');
    await page.fill('input[name=q]', 'le');
    await page.click('form[role=search] button');
    await page.waitForURL(/by=last_name&q=le/);
    assert.match((await page.textContent('.head')) ?? '', /3 in total/, 'the total follows the import');
    const rows = await page.locator('tbody tr').allTextContents();
    assert.deepEqual(
      rows.map((r) => r.trim().split(/\s+/)[0]),
      ['ann.lee@example.com', 'carla.lewis@example.com'],
    );
    await shot('06-recipients-search');
    await page.click('text=ann.lee@example.com');
    await page.waitForURL(/\/recipients\/\d+$/);
    assert.match((await page.textContent('main')) ?? '', /Paris/);
    await shot('07-recipient');
  });

  it('creates a service and a list, and subscribes the recipient', async () => {
    const recipientUrl = page.url();
    await page.goto(url('/services/new'));
    await page.fill('input[name=name]', 'weekly');
    await page.fill('input[name=label]', 'Weekly news');
    await page.fill('input[name=validityDays]', '365');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/services\/\d+\?notice=created$/);
    await shot('08-service');
    await page.goto(url('/lists/new'));
    await page.fill('input[name=name]', 'vip');
    await page.fill('input[name=label]', 'VIP customers');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/lists\/\d+\?notice=created$/);
    await shot('09-list');
    await page.goto(recipientUrl);
    await page.click('form[action$="/subscriptions"] button.secondary');
    await page.waitForURL(/notice=subscribed/);
    await page.click('form[action$="/lists"] button.secondary');
    await page.waitForURL(/notice=member_added/);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /Weekly news/);
    assert.match(main, /VIP customers/);
    await page.goto(url('/services'));
    await shot('10-services');
  });

  it('shows the operators and the audit log, with no script or policy errors on any page', async () => {
    await page.goto(url('/operators'));
    await shot('11-operators');
    await page.goto(url('/audit'));
    assert.match((await page.textContent('main')) ?? '', /admin subscribed ann.lee@example.com to the service weekly/);
    await shot('12-audit');
    assert.deepEqual(browser!.problems, []);
  });
});
