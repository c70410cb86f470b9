import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FormClient } from '../helpers/public.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * A landing page written in the visual editor in Debian's chromium: the starter page opened in
 * GrapesJS (MJML), a text edited, saved through the page form with its blocks and embedded
 * subscription form kept, published and served at /l/<slug> with the form.
 */
const PAGE = `<mjml lang="en">
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff">
      <mj-column>
        <mj-text font-size="24px" font-weight="700">Stay in touch</mj-text>
        <mj-raw><herald-form name="subscribe"></herald-form></mj-raw>
      </mj-column>
    </mj-section>
    <herald-block name="social"></herald-block>
  </mj-body>
</mjml>`;

describe('visual editor in a browser (chromium): a landing page edited, saved and published', function () {
  this.timeout(180_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('');
    await addOperator(h.db, 'marketer', ['admin'], { password: 'correct horse battery staple' });
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
  const canvas = () => page.frameLocator('.gjs-frame');

  it('opens the new page in the visual editor from the page form, without personalization fields', async () => {
    await page.goto(`${h.base}/content/pages/new`);
    await page.click('a[href="/content/pages/new/visual"]');
    await page.waitForSelector('[data-visual-editor][data-mode="mjml"] .gjs-editor');
    // The starter's header block holds the mirror link, personalization a page cannot have: this page
    // starts from the code view without it, with the social links block.
    await page.click('button[data-editor-view="code"]');
    await page.fill('#page-source', PAGE);
    await page.click('button[data-editor-view="visual"]');
    await canvas().locator('text=Stay in touch').first().waitFor({ timeout: 30_000 });
    assert.ok(await canvas().locator('herald-block[name="social"]').count(), 'the social links block, by reference');
    const text = canvas().locator('[data-gjs-type="mj-text"]', { hasText: 'Stay in touch' }).first();
    await text.dblclick();
    assert.equal(await page.locator('.gjs-rte-toolbar select[data-herald-fields]').count(), 0, 'a page seen by anyone has no personalization');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Spring letters');
    await canvas()
      .locator('body')
      .click({ position: { x: 5, y: 5 } });
    await browser!.shot('visual-editor-landing-10-edited');
  });

  it('saves it through the page form with its blocks and form kept, and publishes it', async () => {
    await page.fill('input[name=title]', 'Spring letters');
    await page.fill('input[name=slug]', 'spring-letters');
    await page.click('form[action="/content/pages"] button[type=submit]');
    await page.waitForURL(/\/content\/pages\/\d+\?notice=saved$/, { timeout: 8000 }).catch(async () => assert.fail(await page.locator('main').innerText()));
    const saved = (await h.db.models.LandingPageRow.findOne({ where: { slug: 'spring-letters' } }))!;
    assert.equal(saved.format, 'mjml');
    assert.match(saved.source, /Spring letters<\/mj-text>/);
    assert.match(saved.source, /<herald-block name="social"><\/herald-block>/);
    assert.match(saved.source, /<herald-form name="subscribe"><\/herald-form>/);
    await page.click('form[action$="/publish"] button');
    await page.waitForLoadState();
    const published = await new FormClient(h.base).get('/l/spring-letters');
    assert.equal(published.status, 200);
    assert.match(published.text, /Spring letters/);
    assert.match(published.text, /<form[^>]+action="\/subscribe\?landing=spring-letters"/);
    assert.deepEqual(
      browser!.problems.filter((p) => !/^Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|CONNECTION_REFUSED)$/.test(p)),
      [],
    );
  });
});
