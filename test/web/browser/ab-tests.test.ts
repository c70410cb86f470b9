import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requireWorkflow } from '../../../server/workflows/lifecycle.js';
import { fakeClock, type FakeClock } from '../../workflows/helpers.js';
import { decideAbTest, deliveriesOfActivity, seedAbAudience } from '../../workflows/marketing/ab-fixture.js';
import { startSendingStack, type SendingStack } from '../../workflows/marketing/sending-stack.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';
import { horizontalOverflow } from './axe.js';

/** An A/B test the workflow server decided, read and confirmed by a marketer on a phone-sized screen; the winner is then sent. */
describe('A/B test report and confirmation in a browser (chromium, 390 px)', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let clock: FakeClock;
  let stack: SendingStack;
  let browser: TestBrowser | undefined;
  let page: Page;
  let workflowId: number;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    clock = fakeClock('2026-03-02T10:00:00Z');
    h.clock.now = clock.now();
    stack = await startSendingStack(h.instance, h.db, clock);
    await seedAbAudience(h.db, 'summer', clock.now());
    await decideAbTest(h.db, stack, clock, 'summer', { confirm: true });
    workflowId = (await requireWorkflow(h.db, 'summer')).id;
    await addOperator(h.db, 'marketer', ['workflow'], { password: 'marketer-password-long-enough' });
    browser = await openBrowser({ width: 390, height: 844 });
    page = browser.page;
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    await h?.close();
  });

  it('shows A and B side by side without overflowing the screen, confirms the winner and then shows it sent', async () => {
    await page.goto(`${h.base}/login?next=${encodeURIComponent(`/workflows/${workflowId}`)}`);
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'marketer-password-long-enough');
    await page.click('main button[type=submit]');
    await page.waitForURL(new RegExp(`/workflows/${workflowId}$`));
    const report = (await page.textContent('.ab-test')) ?? '';
    assert.match(report, /waiting for confirmation/);
    assert.match(report, /Variant A[\s\S]*Variant B\s*winner/);
    // the report fits the screen: its table scrolls in its own box if it must, the page never sideways
    const box = (await page.locator('.ab-test .table-wrap').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the A/B table's box spans ${box.x}–${box.x + box.width} px on a 390 px screen`);
    assert.equal(await horizontalOverflow(page), 0, 'the page scrolls sideways');
    assert.ok(await page.locator('.ab-test button[type=submit]').isVisible());
    await browser!.shot('ab-test-awaiting-390');
    await page.click('.ab-test button[type=submit]');
    await page.waitForURL(/notice=ab_test_confirmed/);
    assert.match((await page.textContent('main')) ?? '', /The winner is confirmed/);
    await stack.engine.poll();
    const [winner] = await deliveriesOfActivity(h.db, 'summer', 'pick');
    await stack.waitCaptured(winner!.id, 10);
    await page.goto(`${h.base}/workflows/${workflowId}`);
    assert.match((await page.textContent('.ab-test')) ?? '', /winner sent[\s\S]*Winner sent to the rest \(10 recipients\)/);
    await browser!.shot('ab-test-sent-390');
    assert.deepEqual(browser!.problems, []);
  });
});
