import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createBulkAction, endBulkAction } from '../../../server/db/repos/bulk-actions.js';
import { createImportJob } from '../../../server/db/repos/import-jobs.js';
import { saveSegment } from '../../../server/db/repos/segments.js';
import { allBlocks } from '../../../server/db/repos/content-blocks.js';
import { publishLandingPage, saveLandingPage } from '../../../server/db/repos/landing-pages.js';
import { createList } from '../../../server/db/repos/lists.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../../server/db/repos/services.js';
import { createNewDelivery, type NewDelivery } from '../../../server/delivery/actions.js';
import { analyseDelivery } from '../../../server/delivery/analyse.js';
import { compileLandingPage } from '../../../server/delivery/source/landing-page.js';
import { DEFAULT_EXCLUSIONS } from '../../../server/delivery/target-spec.js';
import { silentLogger } from '../../../server/shared/logger.js';
import { encodeRecipientToken, encodeTrackingToken } from '../../../server/shared/tokens.js';
import { pendingMessages } from '../../helpers/outbox.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { axeViolations, horizontalOverflow, seriousOnes } from './axe.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * Every console and public page in chromium at 390 px (a phone) and 1280 px, with the browser set
 * to light and to dark: axe-core finds no serious or critical violation, and at 390 px no page
 * scrolls sideways. The console's pages come from the router table, so a new page is tested
 * without being listed here.
 */

/** GET routes that are not pages, with the reason they are left out. */
const NOT_PAGES: Record<string, string> = {
  '/health': 'JSON for load balancers',
  '/static/:name': 'files',
  '/recipients/imports/:id/status': 'JSON polled by the import page',
  '/recipients/imports/:id/rejects.csv': 'a download',
  '/deliveries/:id/progress': 'a server-sent event stream',
  '/deliveries/:id/preview/html': "the marketer's message, framed in its own sandbox by the preview page",
  '/login': 'tested logged out, before the others',
  '/audiences/count': 'JSON read by the audience pages',
};

const audit = { at: new Date(), operatorId: null, operatorLogin: 'test' };

function delivery(name: string, html: string | null, text: string | null): NewDelivery {
  return {
    internalName: name,
    label: `Spring news (${name})`,
    kind: 'marketing',
    subject: 'Hi <%= recipient.firstName %>',
    fromName: 'Herald news',
    fromAddress: 'news@example.com',
    replyTo: null,
    html,
    text,
    headers: {},
    target: { kind: 'all' },
    exclusions: DEFAULT_EXCLUSIONS,
    serviceId: null,
    trackingEnabled: true,
    openTracking: true,
    scheduledAt: null,
    validityEnd: null,
  };
}

/** The draft of the marketing workflow whose editor pages are checked. */
const WEEKLY_DRAFT: object = {
  activities: [
    { id: 'start', type: 'start', next: 'done' },
    { id: 'done', type: 'end' },
  ],
};
describe('accessibility and layout of every page (axe-core in chromium, 390 and 1280 px, light and dark)', function () {
  this.timeout(1_200_000);
  let h: ConsoleHarness;
  const ids: Record<string, number> = {};
  let consolePages: string[] = [];
  let publicPages: Array<[string, string]> = [];
  let annId = 0;
  let newsId = 0;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('[forms]\nmaxSubmitsPerMinute = 1000');
    const admin = await addOperator(h.db, 'admin', ['admin']);
    ids.operators = (await addOperator(h.db, 'editor', ['import', 'prepare_deliveries'])).id;
    await upsertRecipients(
      h.db,
      [
        { email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee', fields: { city: 'Paris' } },
        { email: 'bob.martin@example.com', firstName: 'Bob', lastName: 'Martin', fields: { city: 'Lyon' } },
      ],
      new Set(['email', 'firstName', 'lastName']),
    );
    annId = (await h.db.models.Recipient.findOne({ where: { email: 'ann.lee@example.com' } }))!.id;
    const service = await createService(
      h.db,
      { name: 'news', label: 'Weekly news', description: null, doubleOptIn: true, validityDays: null },
      {
        ...audit,
        action: 'service_created',
      },
    );
    newsId = service.id;
    await changeSubscription(
      h.db,
      { serviceId: newsId, recipientId: annId, change: 'subscribe', origin: 'test' },
      { ...audit, action: 'recipient_subscribed' },
    );
    const list = await createList(h.db, { name: 'vip', label: 'VIP customers', description: null, expiresAt: null }, { ...audit, action: 'list_created' });
    const job = await createImportJob(
      h.db,
      { operatorId: admin.id, fileName: 'people.csv', totalBytes: 10 },
      { ...audit, action: 'recipients_import_started' },
    );
    const deps = { db: h.db, config: h.instance.config, log: silentLogger(), dkim: [] };
    const html = await createNewDelivery(
      deps,
      delivery(
        'spring',
        '<p>Hello <%= recipient.firstName %></p><a href="https://example.com/offer">Offer</a><a href="<%= links.unsubscribe %>">Unsubscribe</a>',
        null,
      ),
    );
    await analyseDelivery(deps, html.id);
    const text = await createNewDelivery(
      deps,
      delivery('notes', null, 'Hello <%= recipient.firstName %>, read it online: <%= links.mirror %>\nUnsubscribe: <%= links.unsubscribe %>'),
    );
    await analyseDelivery(deps, text.id);
    // Figures for the home page: a delivery sent over the last days, with its consolidated indicators.
    const now = h.clock.now.getTime();
    await h.db.write(async (t) => {
      for (const [i, sent] of [1200, 800, 1500, 950].entries()) {
        const d = await h.db.models.Delivery.create(
          {
            internalName: `week-${i}`,
            label: `Weekly news #${i + 1}`,
            state: 'finished',
            startedAt: new Date(now - (i * 6 + 1) * 86_400_000),
            toDeliver: sent + 40,
            processed: sent + 40,
            sent,
            failed: 40,
          },
          { transaction: t },
        );
        await h.db.models.DeliveryIndicator.create(
          {
            deliveryId: d.id,
            recipientOpens: Math.round(sent * (0.3 + i / 20)),
            recipientClicks: Math.round(sent * 0.06),
            optOuts: 3 + i,
            computedAt: new Date(now),
          },
          { transaction: t },
        );
      }
    });
    const workflow = await h.db.write((t) =>
      h.db.models.Workflow.create(
        {
          name: 'weekly',
          label: 'Weekly',
          kind: 'marketing',
          state: 'editing',
          draft: WEEKLY_DRAFT,
        },
        { transaction: t },
      ),
    );
    await h.db.write((t) =>
      h.db.models.BounceText.create(
        {
          textHash: 'h1',
          text: '550 #xxx# unknown',
          firstText: '550 5.1.1 unknown user',
          failureType: 'hard',
          failureReason: 'user_unknown',
          status: 'to_qualify',
        },
        { transaction: t },
      ),
    );
    // A segment and a finished bulk action on it: both reached as /audiences/…/1.
    const segment = await saveSegment(
      h.db,
      { name: 'parisians', label: 'Parisians', description: null, condition: { field: 'fields.city', op: 'eq', value: 'Paris' } },
      { ...audit, action: 'segment_created' },
    );
    const bulk = await createBulkAction(
      h.db,
      {
        operatorId: admin.id,
        action: 'addToList',
        condition: { inSegment: 'parisians' },
        segmentId: segment ? segment.id : null,
        listId: list.id,
        serviceId: null,
        total: 1,
      },
      { ...audit, action: 'recipients_bulk_started' },
    );
    await endBulkAction(h.db, bulk.id, 'finished', null);
    assert.equal(segment && segment.id, bulk.id);
    const footer = await h.db.models.ContentBlockRow.findOne({ where: { name: 'footer' } });
    const landingSource =
      '<mjml lang="en"><mj-body><mj-section><mj-column><mj-text><h1>Stay in touch</h1><p>Our news once a month.</p></mj-text><mj-raw><herald-form name="subscribe"></herald-form></mj-raw></mj-column></mj-section></mj-body></mjml>';
    const landingId = await saveLandingPage(
      h.db,
      undefined,
      { slug: 'stay', title: 'Stay in touch', format: 'mjml', source: landingSource },
      { ...audit, action: 'landing_page_saved' },
    );
    const landing = await compileLandingPage(landingSource, 'mjml', new Map((await allBlocks(h.db)).map((b) => [b.name, b])), 'Stay in touch');
    assert.deepEqual(landing.issues, []);
    await publishLandingPage(h.db, landingId, landing.html, { ...audit, action: 'landing_page_published' });
    Object.assign(ids, {
      audiences: bulk.id,
      pages: landingId,
      content: footer!.id,
      recipients: annId,
      services: newsId,
      lists: list.id,
      imports: job.id,
      deliveries: html.id,
      reports: html.id,
      workflows: workflow.id,
    });

    const concrete = (path: string) => {
      const area = path.startsWith('/recipients/imports/') ? 'imports' : path.startsWith('/content/pages/') ? 'pages' : path.split('/')[1]!;
      return path.replace(':id', String(ids[area])).replace(':activity', 'start');
    };
    // a push delivery with its own fields: its preview draws the notification as a phone shows it, its report push's figures
    const push = await createNewDelivery(deps, {
      ...delivery('push-spring', null, null),
      channel: 'push',
      subject: '',
      fromAddress: '',
      pushContent: {
        title: 'Hi <%= recipient.firstName %>, our spring sale starts today in every shop',
        body: `Spring sale: ${'everything must go, '.repeat(8)}today only`,
        url: 'https://example.com/spring',
        icon: 'https://example.com/icon.png',
        image: 'https://example.com/spring.jpg',
        ttlSeconds: 3600,
        urgency: 'high',
      },
    });
    consolePages = [
      ...h.web.routers
        .flatMap((r) => r.stack.filter((l) => l.methods.includes('GET')).map((l) => l.path as string))
        .filter((p) => !(p in NOT_PAGES) && !p.endsWith('.csv'))
        .map(concrete),
      `/deliveries/${push.id}/preview`,
      `/reports/deliveries/${push.id}`,
    ];

    const key = h.instance.config.secrets.trackingKey;
    const log = (await h.db.models.BroadLog.findOne({ where: { deliveryId: text.id, recipientId: annId } }))!;
    const mirrorUrl = (await h.db.models.TrackingUrl.findOne({ where: { deliveryId: text.id, type: 'mirror' } }))!;
    publicPages = [
      ['subscription form', '/subscribe'],
      ['unsubscribe page', `/u/${encodeRecipientToken(key, { recipientId: annId, purpose: 'unsubscribe', serviceId: newsId, expiresAt: 0 })}`],
      ['preference centre', `/p/${encodeRecipientToken(key, { recipientId: annId, purpose: 'preferences', serviceId: 0, expiresAt: 0 })}`],
      ['mirror page of a text message', `/m/${encodeTrackingToken(key, { deliveryId: text.id, broadLogId: log.id, urlId: mirrorUrl.id })}`],
      ['invalid link', '/u/not-a-token'],
      ['confirmation without a token', '/confirm'],
      ['published landing page', '/l/stay'],
    ];
  });
  after(async () => h?.close());

  /** Visits a page and checks it; returns the problems found. */
  async function check(page: Page, path: string, width: number): Promise<string[]> {
    const reply = await page.goto(`${h.base}${path}`);
    const problems: string[] = [];
    if (!reply || reply.status() >= 500) problems.push(`${path}: answered ${reply?.status()}`);
    problems.push(...seriousOnes(path, await axeViolations(page)));
    if (width <= 390) {
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) problems.push(`${path}: the page scrolls sideways by ${overflow} px at ${width} px`);
    }
    return problems;
  }

  /** The public forms' answers, reached as a visitor does: each form submitted in the browser. */
  async function publicFlow(page: Page, email: string, width: number): Promise<string[]> {
    const think = () => (h.clock.now = new Date(h.clock.now.getTime() + 5_000));
    const problems: string[] = [];
    const here = async (name: string) => {
      problems.push(...seriousOnes(name, await axeViolations(page)));
      if (width <= 390 && (await horizontalOverflow(page)) > 0) problems.push(`${name}: the page scrolls sideways at ${width} px`);
    };
    await page.goto(`${h.base}/subscribe`);
    await page.fill('input[name=email]', email);
    await page.check(`input[name=services][value="${newsId}"]`);
    think();
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Check your inbox');
    await here('subscription sent');
    const [mail] = await pendingMessages(h.db, h.instance.config, { address: email });
    const link = /http:\/\/localhost:8080(\/confirm\?t=[^\s"<]+)/.exec(mail!.mail.text ?? '')![1]!;
    await page.goto(`${h.base}${link}`);
    await here('confirmation page');
    think();
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Subscription confirmed');
    await here('subscription confirmed');
    await page.goto(`${h.base}${link}`);
    await page.waitForSelector('text=Already confirmed');
    await here('confirmation link opened again');
    const recipient = (await h.db.models.Recipient.findOne({ where: { email } }))!;
    const unsubscribe = `${h.base}/u/${encodeRecipientToken(h.instance.config.secrets.trackingKey, { recipientId: recipient.id, purpose: 'unsubscribe', serviceId: newsId, expiresAt: 0 })}`;
    await page.goto(unsubscribe);
    think();
    await page.click('button[value=service]');
    await page.waitForSelector('text=You are unsubscribed');
    await here('unsubscribed');
    await page.goto(unsubscribe);
    await page.waitForSelector('text=You are already unsubscribed');
    await here('unsubscribe link opened again');
    return problems;
  }

  for (const width of [390, 1280])
    for (const scheme of ['light', 'dark'] as const)
      it(`finds no serious or critical violation at ${width} px in ${scheme} mode${width <= 390 ? ', and no page wider than the screen' : ''}`, async () => {
        let browser: TestBrowser | undefined;
        try {
          browser = await openBrowser({ width, height: 900 }, { colorScheme: scheme });
          const { page } = browser;
          // Stylesheets, scripts and images must all load (the invalid-link pages themselves answer 404 by design).
          const missing: string[] = [];
          page.on('response', (r) => r.request().resourceType() !== 'document' && r.status() >= 400 && missing.push(`${r.status()} ${r.url()}`));
          const problems = await check(page, '/login', width);
          await page.fill('input[name=login]', 'admin');
          await page.fill('input[name=password]', 'admin-password-long-enough');
          await page.click('main button[type=submit]');
          await page.waitForURL(`${h.base}/`);
          await browser.shot(`home-${scheme}-${width}`);
          for (const path of consolePages) problems.push(...(await check(page, path, width)));
          if (width <= 390) {
            await page.goto(`${h.base}/recipients`);
            assert.equal(await page.isVisible('#menu'), false, 'the menu is collapsed on a phone');
            await page.click('.menu-toggle');
            assert.equal(await page.isVisible('#menu a[href="/deliveries"]'), true, 'the menu button opens it');
            problems.push(...seriousOnes('/recipients with the menu open', await axeViolations(page)));
          }
          for (const [, path] of publicPages) problems.push(...(await check(page, path, width)));
          problems.push(...(await publicFlow(page, `visitor-${width}-${scheme}@example.com`, width)));
          assert.ok(consolePages.length >= 40, `the router table gave ${consolePages.length} console pages`);
          assert.deepEqual(problems, []);
          assert.deepEqual(missing, [], 'every stylesheet, script and image loads');
          assert.deepEqual(
            browser.problems.filter((p) => !/^Failed to load resource: the server responded with a status of 404/.test(p)),
            [],
            'no script or policy error on any page',
          );
        } finally {
          await browser?.close();
        }
      });

  for (const scheme of ['light', 'dark'] as const)
    it(`reaches the page with the keyboard in ${scheme} mode: the first Tab shows a skip link to the content, and every focused control has a visible outline`, async () => {
      const browser = await openBrowser({ width: 390, height: 900 }, { colorScheme: scheme });
      try {
        const { page } = browser;
        await page.goto(`${h.base}/login`);
        await page.fill('input[name=login]', 'admin');
        await page.fill('input[name=password]', 'admin-password-long-enough');
        await page.click('main button[type=submit]');
        await page.waitForURL(`${h.base}/`);
        await page.goto(`${h.base}/recipients`);
        const focused = () =>
          page.evaluate<{ tag: string; text: string; id: string; top: number; height: number; outline: string; outlineWidth: number }>(`(() => {
            const e = document.activeElement;
            const box = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return { tag: e.tagName, text: (e.textContent || '').trim(), id: e.id, top: box.top, height: box.height,
              outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) };
          })()`);
        await page.keyboard.press('Tab');
        const skip = await focused();
        assert.equal(skip.text, 'Skip to content');
        assert.ok(skip.top >= 0 && skip.height > 0, `the skip link shows on the screen when focused (top ${skip.top}, height ${skip.height})`);
        assert.equal(skip.outline, 'solid');
        assert.ok(skip.outlineWidth >= 2, `the skip link's outline is ${skip.outlineWidth} px`);
        await page.keyboard.press('Enter');
        assert.equal((await focused()).id, 'main', 'the skip link moves the focus to the content');
        const seen: string[] = [];
        for (let i = 0; i < 8; i++) {
          await page.keyboard.press('Tab');
          const f = await focused();
          seen.push(f.tag);
          assert.ok(
            f.outline !== 'none' && f.outlineWidth >= 2,
            `${f.tag} "${f.text.slice(0, 30)}" has a visible focus outline (${f.outline} ${f.outlineWidth} px)`,
          );
        }
        assert.ok(
          seen.some((t) => t === 'A') && seen.some((t) => t === 'INPUT' || t === 'BUTTON' || t === 'SELECT'),
          `links and form controls were focused: ${seen.join(', ')}`,
        );
      } finally {
        await browser.close();
      }
    });

  it('catches what it is meant to catch: text without enough contrast is a serious violation', async () => {
    const browser = await openBrowser({ width: 1280, height: 900 }, { colorScheme: 'dark' });
    try {
      await browser.page.goto(`${h.base}/login`);
      await browser.page.evaluate(`{
        const p = document.createElement('p');
        p.textContent = 'Faint words';
        p.style.color = '#6b6b6b';
        p.style.background = '#5a5a5a';
        document.querySelector('main').append(p);
      }`);
      const found = seriousOnes('/login', await axeViolations(browser.page));
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0]!, /color-contrast \(serious\)/);
    } finally {
      await browser.close();
    }
  });

  it("follows the operator's chosen appearance over the browser's setting, and the browser's when none is chosen", async () => {
    const browser = await openBrowser({ width: 1280, height: 900 }, { colorScheme: 'light' });
    try {
      const { page } = browser;
      await page.goto(`${h.base}/login`);
      await page.fill('input[name=login]', 'admin');
      await page.fill('input[name=password]', 'admin-password-long-enough');
      await page.click('main button[type=submit]');
      await page.waitForURL(`${h.base}/`);
      const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      const light = await background();
      await page.goto(`${h.base}/account`);
      await page.check('input[name=theme][value=dark]');
      await page.click('main button[type=submit]');
      await page.waitForURL(/\/account\?notice=saved$/);
      assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
      const dark = await background();
      assert.notEqual(dark, light);
      assert.deepEqual(seriousOnes('/account (dark chosen)', await axeViolations(page)), []);
      await browser.shot('account-dark-chosen');
      await page.check('input[name=theme][value=auto]');
      await page.click('main button[type=submit]');
      await page.waitForURL(/\/account\?notice=saved$/);
      assert.equal(await page.getAttribute('html', 'data-theme'), null);
      assert.equal(await background(), light);
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.equal(await background(), dark, 'without a choice the console follows the browser');
    } finally {
      await browser.close();
    }
  });
});
