import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { until } from '../../helpers/mta.js';
import { DAY, fakeClock, MINUTE, plus, seedRecipients, seedTemplate, type FakeClock } from '../../workflows/helpers.js';
import { openMail, startSendingStack, type SendingStack } from '../../workflows/marketing/sending-stack.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/**
 * A marketer builds a welcome series in the workflow editor (chromium, no script of ours needed):
 * query on the newsletter's subscribers → welcome delivery → wait 3 days → test on reaction →
 * reminder to those who did not open; starts it; the workflow server sends it through the real MTA
 * (capture transport) and the tracking server; the diagram then shows each transition's count.
 */
describe('workflow editor in a browser (chromium): a welcome series built, run and counted', function () {
  this.timeout(180_000);
  let h: ConsoleHarness;
  let clock: FakeClock;
  let stack: SendingStack;
  let browser: TestBrowser | undefined;
  let page: Page;
  let workflowId: number;

  const tick = (at: Date) => {
    clock.set(at);
    h.clock.now = clock.now();
  };

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    clock = fakeClock('2026-03-02T10:00:00Z');
    h.clock.now = clock.now();
    stack = await startSendingStack(h.instance, h.db, clock);
    const ids = await seedRecipients(h.db, ['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com'], clock.now());
    await seedTemplate(h.db, 'welcome', clock.now());
    await seedTemplate(h.db, 'reminder', clock.now());
    const service = await h.db.write((t) => h.db.models.Service.create({ name: 'newsletter', label: 'Newsletter', doubleOptIn: false }, { transaction: t }));
    const since = plus(clock.now(), -DAY);
    await h.db.write((t) =>
      h.db.models.Subscription.bulkCreate(
        ids
          .slice(0, 3)
          .map((recipientId) => ({ serviceId: service.id, recipientId, status: 'active' as const, confirmedAt: since, createdAt: since, updatedAt: since })),
        { transaction: t },
      ),
    );
    await addOperator(h.db, 'marketer', ['workflow'], { password: 'marketer-password-long-enough' });
    browser = await openBrowser({ width: 1280, height: 900 });
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    await h?.close();
  });

  async function login(next: string) {
    await page.goto(`${h.base}/login?next=${encodeURIComponent(next)}`);
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'marketer-password-long-enough');
    await page.click('main button[type=submit]');
    await page.waitForURL(new RegExp(`${next}$`));
  }

  /** Adds an activity from the editor's form, then fills its own form. */
  async function addActivity(type: string, id: string, after: string, fields: Record<string, string>) {
    await page.goto(`${h.base}/workflows/${workflowId}/edit`);
    await page.selectOption('form[action$="/activities"] select[name=type]', type);
    await page.fill('form[action$="/activities"] input[name=id]', id);
    await page.selectOption('form[action$="/activities"] select[name=after]', after);
    await page.click('form[action$="/activities"] button[type=submit]');
    await page.waitForURL(new RegExp(`/activities/${id}\\?notice=created$`));
    await fillActivity(fields);
  }
  async function fillActivity(fields: Record<string, string>) {
    for (const [name, value] of Object.entries(fields)) {
      const field = page.locator(`main form [name=${name}]`).first();
      const tag = await field.evaluate((el) => el.tagName);
      if (tag === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await page.click('main form button[type=submit] >> nth=0');
    await page.waitForURL(/\/edit\?notice=saved$/);
  }

  it('builds the welcome series activity by activity, with an error named on its field and links reachable by keyboard', async () => {
    await login('/workflows');
    await page.click('a[href="/workflows/new"]');
    await page.fill('input[name=name]', 'welcome');
    await page.fill('input[name=label]', 'Welcome series');
    await page.click('main form button[type=submit]');
    await page.waitForURL(/\/workflows\/\d+\/edit\?notice=created$/);
    workflowId = Number(/\/workflows\/(\d+)\/edit/.exec(page.url())![1]);
    assert.match((await page.textContent('.wf-problems')) ?? '', /start\.next: missing target/);

    await page.goto(`${h.base}/workflows/${workflowId}/edit`);
    await page.selectOption('form[action$="/activities"] select[name=type]', 'query');
    await page.fill('form[action$="/activities"] input[name=id]', 'newSubscribers');
    await page.selectOption('form[action$="/activities"] select[name=after]', 'start:next');
    await page.click('form[action$="/activities"] button[type=submit]');
    await page.waitForURL(/activities\/newSubscribers/);
    await page.fill('textarea[name=where]', '{ "subscribed": "newsletter"');
    await page.click('main form button[type=submit] >> nth=0');
    assert.match((await page.textContent('#where-error')) ?? '', /where: not valid JSON/);
    assert.equal(await page.getAttribute('textarea[name=where]', 'aria-invalid'), 'true');
    // chromium logs the refused form's 422 as a console error: that one was expected
    assert.deepEqual(browser!.problems.splice(0), ['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await fillActivity({ where: '{ "subscribed": "newsletter" }' });

    await addActivity('delivery', 'welcomeMail', 'newSubscribers:next', { template: 'welcome', label: 'Welcome mail' });
    await addActivity('wait', 'threeDays', 'welcomeMail:next', { duration: '3d' });
    await addActivity('reaction', 'opened', 'threeDays:next', { delivery: 'welcomeMail' });
    await addActivity('delivery', 'reminder', 'opened:neither', { template: 'reminder' });
    await addActivity('end', 'done', 'reminder:next', {});
    // the reaction's "opened" branch also ends: link it from its own form, reached by keyboard from the diagram
    await page.goto(`${h.base}/workflows/${workflowId}/edit`);
    await page.locator('svg.wf-diagram a.wf-node[data-activity="opened"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/activities\/opened$/);
    await fillActivity({ opened: 'done' });
    assert.match((await page.textContent('main')) ?? '', /The draft is complete: it can be started/);
    assert.equal(await page.locator('svg.wf-diagram a.wf-node').count(), 7);
    await browser!.shot('workflow-editor-draft');
  });

  it('starts it, sends the welcome mail through the MTA, reminds the one who did not open, and shows the counts on the diagram', async () => {
    await page.goto(`${h.base}/workflows/${workflowId}`);
    await page.click('form[action$="/start"] button');
    await page.waitForURL(/notice=workflow_changed/);
    await stack.engine.poll();
    const welcome = (await h.db.models.Delivery.findOne({
      where: { templateId: (await h.db.models.Delivery.findOne({ where: { internalName: 'welcome' } }))!.id },
    }))!;
    const mails = await stack.waitCaptured(welcome.id, 3);
    assert.deepEqual(mails.map((m) => m.to).sort(), ['ann@example.com', 'bob@example.com', 'cat@example.com']);
    tick(plus(clock.now(), DAY));
    await openMail(mails.find((m) => m.to === 'ann@example.com')!);
    await openMail(mails.find((m) => m.to === 'bob@example.com')!);
    const ingest = await stack.engine.runNow('tracking');
    assert.equal(ingest.kind === 'ran' && ingest.counts.inserted, 2);
    tick(plus(clock.now(), 2 * DAY + MINUTE));
    await stack.engine.poll();
    const reminderTemplate = (await h.db.models.Delivery.findOne({ where: { internalName: 'reminder' } }))!;
    await until(async () => (await h.db.models.Delivery.count({ where: { templateId: reminderTemplate.id } })) === 1, 10_000, 'the reminder delivery');
    const reminder = (await h.db.models.Delivery.findOne({ where: { templateId: reminderTemplate.id } }))!;
    assert.deepEqual(
      (await stack.waitCaptured(reminder.id, 1)).map((m) => m.to),
      ['cat@example.com'],
    );

    // three days went by: the session ended, the marketer logs in again
    await login(`/workflows/${workflowId}`);
    const count = async (edge: string) => (await page.locator(`svg.wf-diagram g.wf-edge[data-edge="${edge}"] text.wf-count`).textContent())?.trim();
    assert.equal(await count('newSubscribers->welcomeMail'), '3');
    assert.equal(await count('welcomeMail->threeDays'), '3');
    assert.equal(await count('threeDays->opened'), '3');
    assert.equal(await count('opened->reminder'), 'neither 1');
    assert.equal(await count('opened->done'), 'opened 2');
    assert.equal(await count('reminder->done'), '1');
    assert.match((await page.getAttribute('svg.wf-diagram', 'aria-label')) ?? '', /Welcome series, version 1/);
    await browser!.shot('workflow-editor-counts');
    assert.deepEqual(browser!.problems, []);
  });
});
