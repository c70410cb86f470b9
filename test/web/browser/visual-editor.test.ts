import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate, type ConfigData } from 'html-validate';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { APP_ROOT } from '../../../server/shared/app-root.js';
import { startModule, type ModuleProcess } from '../../helpers/module-process.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * The visual editor from end to end in Debian's chromium: a delivery made from the gallery's MJML
 * newsletter in GrapesJS (a block dragged in, a text edited with a personalization field), saved
 * through the delivery form, previewed at phone width, sent by the real `herald mta` to the capture
 * transport; the captured HTML passes html-validate's checks chosen for email (below) and renders at
 * 375 px without sideways scrolling.
 */

/**
 * html-validate's rules for email HTML: the document's structure and every element and attribute
 * valid (standard preset), pictures with alt text, no duplicated id, no unclosed or stray tags. Left
 * out, with the reason: the presentational attributes email clients still need (align, bgcolor,
 * cellpadding… on tables), inline styles (the only styling every client honours), and rules about
 * the look of the source (attribute quotes, boolean attribute style, void-element style).
 */
const EMAIL_RULES: ConfigData = {
  extends: ['html-validate:standard'],
  rules: {
    'wcag/h37': 'error',
    'no-dup-id': 'error',
    'close-order': 'error',
    'no-deprecated-attr': 'off',
    'no-inline-style': 'off',
    'attribute-boolean-style': 'off',
    'attribute-empty-style': 'off',
    'void-style': 'off',
    'no-trailing-whitespace': 'off',
    'prefer-native-element': 'off',
    'element-permitted-content': 'error',
  },
};

/**
 * The one finding accepted: MJML writes height="auto" on every responsive picture (HTML wants a
 * number there) so that clients reading the attribute keep the picture's proportions; browsers
 * treat it as no height.
 */
const ALLOWED_IN_EMAIL = /^attribute-allowed-values at \d+:\d+: Attribute "height" has invalid value "auto"$/;

describe('visual editor in a browser (chromium): a gallery template edited, saved, previewed on a phone and sent', function () {
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

  it('logs in and imports two recipients', async () => {
    await page.goto(url('/login'));
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'correct horse battery staple');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/$/);
    await page.goto(url('/recipients/import'));
    const csv = 'email,first_name,last_name\nann.lee@example.com,Ann,Lee\nbob.martin@example.com,Bob,Martin\n';
    await page.setInputFiles('input[type=file]', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('main button[type=submit]');
    await page.waitForSelector('[data-status="finished"]', { timeout: 30_000 });
  });

  it('opens the gallery newsletter in the visual editor, with Herald’s blocks in the block manager and in the email', async () => {
    await page.goto(url('/content'));
    await page.click('a[href="/deliveries/new/visual?gallery=newsletter"]');
    await page.waitForSelector('.gjs-editor');
    await canvas().locator('text=spring is here').first().waitFor({ timeout: 30_000 });
    assert.ok(await canvas().locator('herald-block[name="footer"]').count(), 'the footer block is in the email, by reference');
    await page.locator('.gjs-block', { hasText: 'Footer (unsubscribe link and postal address)' }).waitFor();
    await browser!.shot('visual-editor-10-opened');
  });

  it('drags a section block into the email and edits a text with a personalization field', async () => {
    const before = await canvas().locator('[data-gjs-type="mj-section"]').count();
    const block = page.locator('.gjs-block', { hasText: /^\s*1 Column\s*$/ }).first();
    const target = canvas().locator('[data-gjs-type="mj-section"]').nth(2);
    await block.scrollIntoViewIfNeeded();
    const from = (await block.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 15; i++) {
      await page.mouse.move(from.x + ((to.x + 60 - from.x) * i) / 15, from.y + ((to.y + 6 - from.y) * i) / 15);
      await page.waitForTimeout(30);
    }
    await page.mouse.up();
    await browser!.shot('visual-editor-15-dragged');
    for (let i = 0; (await canvas().locator('[data-gjs-type="mj-section"]').count()) <= before; i++) {
      assert.ok(i < 50, 'the dragged section appears in the email');
      await page.waitForTimeout(100);
    }

    const text = canvas().locator('[data-gjs-type="mj-text"]', { hasText: 'spring is here' }).first();
    await text.dblclick();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Summer is coming, ');
    await page.selectOption('.gjs-rte-toolbar select[data-herald-fields]', { label: 'First name' });
    await browser!.shot('visual-editor-20-edited');
  });

  it('saves the delivery through its form: MJML with the blocks by reference and the field as a tag', async () => {
    await canvas()
      .locator('body')
      .click({ position: { x: 5, y: 5 } });
    await page.fill('input[name=internalName]', 'newsletter-visual');
    await page.fill('input[name=fromAddress]', 'news@shop.example.com');
    await page.click('#delivery-form button[type=submit]');
    await page.waitForURL(/\/deliveries\/\d+\?notice=created$/);
    deliveryUrl = page.url().replace(/\?.*$/, '');
    const id = Number(deliveryUrl.split('/').pop());
    const d = (await h.db.models.Delivery.findByPk(id))!;
    assert.equal(d.contentFormat, 'mjml');
    assert.match(d.html ?? '', /<mj-head>[\s\S]*<mj-preview>/, 'the head is kept');
    assert.match(d.html ?? '', /<herald-block name="header"><\/herald-block>/);
    assert.match(d.html ?? '', /<herald-block name="footer"><\/herald-block>/);
    assert.match(d.html ?? '', /Summer is coming,(?: |&nbsp;|\u00a0)<%= recipient\.firstName %><\/mj-text>/);
    const templateSections = readFileSync(join(APP_ROOT, 'config', 'gallery', 'newsletter.mjml'), 'utf8').match(/<mj-section/g)!.length;
    assert.equal((d.html ?? '').match(/<mj-section/g)!.length, templateSections + 1, 'the sections of the template and the one dragged in');
  });

  it('previews it at phone width (375 px), with a screenshot kept under test-output/', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${deliveryUrl}/preview?recipient=bob.martin@example.com`);
    await page.frameLocator('iframe.preview').locator('text=Summer is coming, Bob').waitFor();
    await browser!.shot('visual-editor-30-preview-375');
    assert.ok(existsSync(join(APP_ROOT, 'test-output', 'screenshots', 'visual-editor-30-preview-375.png')));
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('sends it to the capture transport; the captured HTML passes the email checks and fits 375 px', async () => {
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
    assert.equal(files.length, 2);
    const mail = await simpleParser(readFileSync(join(folder, files[0]!)));
    const html = String(mail.html);
    assert.match(html, /Summer is coming,(?: |&nbsp;|\u00a0)(Ann|Bob)</);
    const out = join(APP_ROOT, 'test-output', 'visual-editor');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'captured.html'), html);

    const report = await new HtmlValidate(EMAIL_RULES).validateString(html);
    const problems = report.results
      .flatMap((r) => r.messages.map((m) => `${m.ruleId} at ${m.line}:${m.column}: ${m.message}`))
      .filter((p) => !ALLOWED_IN_EMAIL.test(p));
    assert.deepEqual(problems, []);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('about:blank');
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    const widths = await page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    assert.ok(widths.scroll <= widths.client, `the message is ${widths.scroll} px wide at 375 px`);
    await browser!.shot('visual-editor-40-captured-375');
    // The email's pictures are on www.example.com, which this machine cannot reach: those loads fail;
    // anything else (a script error, a policy violation) fails the test.
    assert.deepEqual(
      browser!.problems.filter((p) => !/^Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|CONNECTION_REFUSED)$/.test(p)),
      [],
      'no script or policy error in the editor',
    );
  });
});
