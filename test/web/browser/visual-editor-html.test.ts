import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { startModule, type ModuleProcess } from '../../helpers/module-process.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * The visual editor on an HTML delivery in Debian's chromium: GrapesJS without the MJML plugin, with
 * Herald's email-safe HTML blocks; the head (doctype, styles) kept as written and its styles shown in
 * the canvas; inline styles kept inline; the text toolbar's links (one-click unsubscribe, a published
 * landing page) inserted as the expressions Herald signs and tracks; sent by the real `herald mta`
 * to the capture transport, where those links are the signed unsubscribe URL and a tracked link
 * that leads to the landing page.
 */

const SOURCE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Spring sale</title>
<style>.lead { color: #0a7d33; }</style>
</head>
<body style="margin:0;background-color:#f4f5f7">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;margin:0 auto;background-color:#ffffff">
<tr><td style="padding:24px"><h1 style="margin:0;font-family:Helvetica,Arial,sans-serif">Spring sale</h1><p class="lead">Everything green is half price.</p></td></tr>
</table>
</body>
</html>`;

describe('visual editor in a browser (chromium): an HTML delivery edited with Herald’s blocks and links, saved and sent', function () {
  this.timeout(240_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let mta: ModuleProcess | undefined;
  let deliveryUrl = '';

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n', { tracker: true });
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
  const url = (path: string) => `${h.base}${path}`;
  const canvas = () => page.frameLocator('.gjs-frame');

  it('logs in, imports a recipient and publishes a landing page', async () => {
    await page.goto(url('/login'));
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/$/);
    await page.goto(url('/recipients/import'));
    await page.setInputFiles('input[type=file]', {
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,first_name\nann.lee@example.com,Ann\n'),
    });
    await page.click('main button[type=submit]');
    await page.waitForSelector('[data-status="finished"]', { timeout: 30_000 });
    // The landing page is written and published over HTTP (its own browser test is the editor's).
    const admin = new ConsoleClient(h.base);
    await admin.login('marketer', 'correct horse battery staple');
    await admin.get('/content/pages');
    const saved = await admin.post('/content/pages', { title: 'Spring sale', slug: 'spring-sale', format: 'html', source: '<p>Half price.</p>' });
    assert.equal(saved.status, 303, saved.text);
    const pageId = (saved.headers.get('location') ?? '').match(/\/content\/pages\/(\d+)/)![1];
    assert.equal((await admin.post(`/content/pages/${pageId}/publish`)).status, 303);
  });

  it('opens an HTML content in the visual editor without the MJML plugin, the head’s styles shown in the canvas', async () => {
    await page.goto(url('/deliveries/new/visual'));
    await page.waitForSelector('[data-visual-editor][data-mode="html"] .gjs-editor');
    await page.click('button[data-editor-view="code"]');
    await page.fill('#delivery-html', SOURCE);
    await page.click('button[data-editor-view="visual"]');
    await page.waitForSelector('[data-visual-editor][data-mode="html"] .gjs-editor');
    const lead = canvas().locator('p.lead');
    await lead.waitFor({ timeout: 30_000 });
    assert.equal(
      await lead.evaluate((el) => (el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color),
      'rgb(10, 125, 51)',
      'the head’s style applies in the canvas',
    );
    assert.equal(await canvas().locator('[data-gjs-type^="mj-"]').count(), 0, 'no MJML component');
    for (const label of ['Section', '2 columns', 'Button', 'Image', 'Footer (unsubscribe link and postal address)'])
      await page.locator('.gjs-block', { hasText: label }).first().waitFor();
    await browser!.shot('visual-editor-html-10-opened');
  });

  it('drags Herald’s section block in and writes a text with the unsubscribe and landing page links', async () => {
    const block = page.locator('.gjs-block', { hasText: /^\s*Section\s*$/ }).first();
    const target = canvas().locator('table').first();
    await block.scrollIntoViewIfNeeded();
    const from = (await block.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) {
      await page.mouse.move(from.x + ((to.x + 80 - from.x) * i) / 15, from.y + ((to.y + to.height - 4 - from.y) * i) / 15);
      await page.waitForTimeout(30);
    }
    await page.mouse.up();
    const placed = canvas().locator('p', { hasText: 'Write your text here.' });
    await placed.first().waitFor({ timeout: 10_000 });
    await placed.first().dblclick();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Leave whenever you like: ');
    await page.selectOption('.gjs-rte-toolbar select[data-herald-links]', { label: 'Unsubscribe link' });
    await page.keyboard.type(' or see ');
    await page.selectOption('.gjs-rte-toolbar select[data-herald-links]', { label: 'Landing page: Spring sale' });
    await browser!.shot('visual-editor-html-20-edited');
    await canvas()
      .locator('body')
      .click({ position: { x: 5, y: 5 } });
  });

  it('saves HTML with the head as written, inline styles inline and the links as Herald’s expressions', async () => {
    await page.fill('input[name=internalName]', 'spring-html');
    await page.fill('input[name=label]', 'Spring sale');
    await page.fill('input[name=subject]', 'Spring sale');
    await page.fill('input[name=fromAddress]', 'news@shop.example.com');
    await page.click('#delivery-form button[type=submit]');
    await page.waitForURL(/\/deliveries\/\d+\?notice=created$/);
    deliveryUrl = page.url().replace(/\?.*$/, '');
    const d = (await h.db.models.Delivery.findByPk(Number(deliveryUrl.split('/').pop())))!;
    const html = (d.html ?? '').replace(/\r\n/g, '\n');
    assert.equal(d.contentFormat, 'html');
    assert.ok(html.startsWith(SOURCE.slice(0, SOURCE.indexOf('<table'))), `the doctype, head and body tag as written:\n${html}`);
    assert.ok(html.trimEnd().endsWith('</body>\n</html>'));
    assert.match(html, /<p class="lead">Everything green is half price\.<\/p>/);
    assert.match(html, /<table [^>]*style="max-width:600px;margin:0 auto;background-color:#ffffff;?"/, 'inline styles stay inline');
    assert.match(html, /<a href="<%= links\.unsubscribe %>">Unsubscribe<\/a>/);
    assert.match(html, /<a href="https?:\/\/[^"]+\/l\/spring-sale" data-herald-label="landing spring-sale">Spring sale<\/a>/);
    assert.doesNotMatch(html, /data-gjs|id="i[a-z0-9]{3,}"/, 'no editor markup');
  });

  it('sends it: the body’s unsubscribe link is the signed one-click URL and the landing page link is tracked', async () => {
    await page.goto(deliveryUrl);
    await page.click('form[action$="/analyse"] button');
    await page.waitForURL(/notice=analysed/);
    await page.click('form[action$="/start"] button');
    await page.waitForURL(/notice=started/);
    mta = await startModule('mta', h.instance.env);
    await page.goto(`${deliveryUrl}/dashboard`);
    await page.locator('[data-field="stateLabel"]', { hasText: /^finished$/ }).waitFor({ timeout: 90_000 });
    const folder = join(h.instance.paths.dataDir, 'spool', 'capture', deliveryUrl.split('/').pop()!);
    const files = readdirSync(folder).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await simpleParser(readFileSync(join(folder, files[0]!)));
    const html = String(mail.html);
    const oneClick = (mail.headerLines.find((l) => l.key === 'list-unsubscribe')?.line ?? '').match(/<(https?:[^>]+)>/)?.[1];
    assert.ok(oneClick, 'the message has a one-click List-Unsubscribe URL');
    assert.ok(html.includes(`<a href="${oneClick}">Unsubscribe</a>`), 'the body links to the same signed URL');
    const tracked = html.match(/<a href="([^"]+\/r\/[^"]+)"[^>]*>Spring sale<\/a>/)?.[1];
    assert.ok(tracked, 'the landing page link is a tracked link');
    const trackingBase = h.instance.config.tracking.publicUrl.replace(/\/+$/, '');
    const reply = await fetch(tracked.replace(trackingBase, h.tracker!.base).replace(/&amp;/g, '&'), { redirect: 'manual' });
    assert.equal(reply.status, 302);
    assert.match(reply.headers.get('location') ?? '', /\/l\/spring-sale$/);
    assert.deepEqual(
      browser!.problems.filter((p) => !/^Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|CONNECTION_REFUSED)$/.test(p)),
      [],
      'no script or policy error in the editor',
    );
  });
});
