import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { deliveryForm } from '../helpers/delivery-form.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * What the marketer sees in the visual editor's canvas is what is sent: an MJML content whose head
 * sets defaults (mj-attributes: a tag's attributes, mj-all, an mj-class) looks the same in the
 * canvas as in the compiled message, text by text; and saving from the editor adds none of the
 * editor's own defaults to the content (an explicit attribute stays, a default is not written).
 */

const HEAD = `<mj-head>
    <mj-title>Styled</mj-title>
    <mj-preview>Text shown by the inbox before the message is opened</mj-preview>
    <mj-attributes>
      <mj-text color="#b00020" font-size="20px" line-height="28px" padding="4px 12px"></mj-text>
      <mj-class name="note" color="#0a7d33" font-size="16px"></mj-class>
      <mj-all font-family="Georgia, serif"></mj-all>
    </mj-attributes>
  </mj-head>`;
const BODY = `<mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Plain text</mj-text>
        <mj-text mj-class="note">Noted text</mj-text>
        <mj-text font-size="13px">Small text</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>`;
const MJML = `<mjml>\n  ${HEAD}\n  ${BODY}\n</mjml>`;
const TEXTS = ['Plain text', 'Noted text', 'Small text'];

/** The look of each text where it is drawn (its colour, size, line height, font and cell padding). */
async function looks(frame: { locator(selector: string, options: { hasText: RegExp }): Locator }): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const text of TEXTS)
    out[text] = await frame
      .locator('div', { hasText: new RegExp(`^${text}$`) })
      .last()
      .evaluate((el) => {
        type Style = { color: string; fontSize: string; lineHeight: string; fontFamily: string; paddingTop: string; paddingLeft: string };
        const view = el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): Style };
        const s = view.getComputedStyle(el);
        const cell = view.getComputedStyle(el.closest('td'));
        return [s.color, s.fontSize, s.lineHeight, s.fontFamily, cell.paddingTop, cell.paddingLeft];
      });
  return out;
}

describe('visual editor in a browser (chromium): the canvas honours the head’s mj-attributes as the sent message does', function () {
  this.timeout(180_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let admin: ConsoleClient;
  let deliveryId = 0;
  let canvasLooks: Record<string, string[]> = {};

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('');
    await addOperator(h.db, 'marketer', ['admin'], { password: 'correct horse battery staple' });
    const now = new Date();
    await h.db.models.Recipient.create({ email: 'ann.lee@example.com', firstName: 'Ann', createdAt: now, updatedAt: now } as never);
    admin = new ConsoleClient(h.base);
    await admin.login('marketer', 'correct horse battery staple');
    await admin.get('/deliveries/new');
    const created = await admin.post('/deliveries', deliveryForm({ internalName: 'styled', format: 'mjml', html: MJML, text: '' }));
    assert.equal(created.status, 303, created.text);
    deliveryId = Number((created.headers.get('location') ?? '').match(/\/deliveries\/(\d+)/)![1]);
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

  it('draws each text in the canvas with the head’s defaults, the class’s and its own attribute', async () => {
    await page.goto(`${h.base}/deliveries/${deliveryId}/visual`);
    await page.waitForSelector('[data-visual-editor][data-mode="mjml"] .gjs-editor');
    const canvas = page.frameLocator('.gjs-frame');
    await canvas
      .locator('div', { hasText: /^Small text$/ })
      .last()
      .waitFor({ timeout: 30_000 });
    canvasLooks = await looks(canvas);
    assert.deepEqual(canvasLooks, {
      'Plain text': ['rgb(176, 0, 32)', '20px', '28px', 'Georgia, serif', '4px', '12px'],
      'Noted text': ['rgb(10, 125, 51)', '16px', '28px', 'Georgia, serif', '4px', '12px'],
      'Small text': ['rgb(176, 0, 32)', '13px', '28px', 'Georgia, serif', '4px', '12px'],
    });
    await browser!.shot('visual-editor-mj-attributes-canvas');
  });

  it('saves the content without adding the editor’s defaults', async () => {
    await page.click('#delivery-form button[type=submit]');
    await page.waitForURL(/notice=saved$/);
    const saved = ((await h.db.models.Delivery.findByPk(deliveryId))!.html ?? '').replace(/\r\n/g, '\n');
    assert.match(saved, /<mj-attributes>[\s\S]*<mj-class name="note"/, 'the head is kept');
    assert.match(saved, /<mj-text>Plain text<\/mj-text>/);
    assert.match(saved, /<mj-text mj-class="note">Noted text<\/mj-text>/);
    assert.match(saved, /<mj-text font-size="13px">Small text<\/mj-text>/);
  });

  it('sends what the canvas showed: the compiled message draws each text the same way', async () => {
    const preview = await admin.get(`/deliveries/${deliveryId}/preview/html`);
    assert.equal(preview.status, 200);
    await page.goto('about:blank');
    await page.setContent(preview.text, { waitUntil: 'domcontentloaded' });
    assert.deepEqual(await looks(page), canvasLooks);
  });
});
