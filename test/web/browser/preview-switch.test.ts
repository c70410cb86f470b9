import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { deliveryForm } from '../helpers/delivery-form.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * The delivery preview's switch in Debian's chromium: desktop or a phone's 375 px, light or dark
 * mode (the content's own `prefers-color-scheme: dark` styles applied), chosen with plain links
 * (no script: the page keeps the console's policy, the message's frame its sandbox).
 */

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dark ready</title>
<style>
.card { background-color: #ffffff; color: #1d2733; width: 100%; max-width: 600px; }
@media (prefers-color-scheme: dark) { .card { background-color: #111111 !important; color: #eeeeee !important; } }
</style>
</head>
<body><div class="card"><p>Hello <%= recipient.firstName %></p><a href="<%= links.unsubscribe %>">Unsubscribe</a></div></body>
</html>`;

type Look = { background: string; color: string; width: number; scroll: number; scheme: string | null };

describe('delivery preview in a browser (chromium): desktop, mobile (375 px) and dark mode', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let previewUrl = '';

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('');
    await addOperator(h.db, 'marketer', ['admin'], { password: 'correct horse battery staple' });
    const now = new Date();
    await h.db.models.Recipient.create({ email: 'ann.lee@example.com', firstName: 'Ann', createdAt: now, updatedAt: now } as never);
    const admin = new ConsoleClient(h.base);
    await admin.login('marketer', 'correct horse battery staple');
    await admin.get('/deliveries/new');
    const created = await admin.post('/deliveries', deliveryForm({ internalName: 'dark-ready', html: HTML }));
    assert.equal(created.status, 303, created.text);
    previewUrl = `${h.base}${created.headers.get('location')!.replace(/\?.*$/, '')}/preview`;
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    await page.goto(`${h.base}/login`);
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/$/);
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  /** How the message's card is drawn in the preview frame. */
  const look = async (): Promise<Look> => {
    const card = page.frameLocator('iframe.preview').locator('.card');
    await card.waitFor();
    return card.evaluate((el) => {
      type Style = { backgroundColor: string; color: string };
      const doc = el.ownerDocument;
      const s = (doc.defaultView as unknown as { getComputedStyle(e: unknown): Style }).getComputedStyle(el);
      const root = doc.documentElement;
      return {
        background: s.backgroundColor,
        color: s.color,
        width: root.clientWidth,
        scroll: root.scrollWidth,
        scheme: root.getAttribute('data-color-scheme'),
      };
    });
  };
  const choose = async (label: string, url: RegExp) => {
    await page.click(`nav.preview-switch a:text-is("${label}")`);
    await page.waitForURL(url);
    assert.equal(await page.locator(`nav.preview-switch a[aria-current]:text-is("${label}")`).count(), 1, `${label} is marked as chosen`);
  };

  it('shows the message at desktop width in light mode first', async () => {
    const reply = await page.goto(`${previewUrl}?recipient=ann.lee@example.com`);
    assert.doesNotMatch(reply!.headers()['content-security-policy'] ?? '', /unsafe-inline/, 'the preview page keeps the console’s policy');
    await page.frameLocator('iframe.preview').locator('text=Hello Ann').waitFor();
    const light = await look();
    assert.equal(light.background, 'rgb(255, 255, 255)');
    assert.equal(light.scheme, null);
    assert.ok(light.width > 600, `desktop width: ${light.width} px`);
  });

  it('switches to a phone’s 375 px, without sideways scrolling', async () => {
    await choose('Mobile (375 px)', /view=mobile/);
    const mobile = await look();
    assert.equal(mobile.width, 375);
    assert.ok(mobile.scroll <= mobile.width, `the message is ${mobile.scroll} px wide at 375 px`);
    await browser!.shot('preview-switch-mobile-light');
  });

  it('switches to dark mode, keeping the phone width: the content’s dark styles apply', async () => {
    await choose('Dark mode', /view=mobile&scheme=dark|scheme=dark.*view=mobile/);
    assert.match((await page.getAttribute('iframe.preview', 'src')) ?? '', /scheme=dark/);
    const dark = await look();
    assert.deepEqual(dark, { background: 'rgb(17, 17, 17)', color: 'rgb(238, 238, 238)', width: 375, scroll: dark.scroll, scheme: 'dark' });
    await browser!.shot('preview-switch-mobile-dark');
  });

  it('switches back to light mode and desktop', async () => {
    await choose('Light', /scheme=light/);
    assert.equal((await look()).background, 'rgb(255, 255, 255)');
    await choose('Desktop', /view=desktop/);
    assert.ok((await look()).width > 600);
    assert.deepEqual(browser!.problems, [], 'no script or policy error');
  });
});
