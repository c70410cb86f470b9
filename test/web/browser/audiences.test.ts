import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createList } from '../../../server/db/repos/lists.js';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { addOperator, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { horizontalOverflow } from './axe.js';
import { chromiumAvailable, openBrowser, type TestBrowser } from './browser.js';

/** A marketer on a phone builds a segment on a custom field, sees its count follow the filter, saves it and runs a bulk action on it. */
describe('audiences in a browser (chromium, 390 px)', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let browser: TestBrowser | undefined;
  let page: Page;
  let listId = 0;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    h = await startConsole();
    await upsertRecipients(
      h.db,
      ['Paris', 'Paris', 'Lyon', 'Paris'].map((city, i) => ({ email: `r${i}@example.com`, fields: { city } })),
      new Set(['email']),
    );
    listId = (
      await createList(
        h.db,
        { name: 'paris', label: 'Paris', description: null, expiresAt: null },
        { at: new Date(), operatorId: null, operatorLogin: 't', action: 'list_created' },
      )
    ).id;
    await addOperator(h.db, 'marketer', ['prepare_deliveries', 'import'], { password: 'marketer-password-long-enough' });
    browser = await openBrowser({ width: 390, height: 844 });
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('updates the count while the filter is typed, saves the segment and adds its recipients to a list in the background', async () => {
    await page.goto(`${h.base}/login?next=${encodeURIComponent('/audiences/new')}`);
    await page.fill('input[name=login]', 'marketer');
    await page.fill('input[name=password]', 'marketer-password-long-enough');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/audiences\/new$/);
    await page.fill('input[name=name]', 'parisians');
    await page.fill('input[name=label]', 'Parisians');
    await page.fill('input[name=f0_field]', 'fields.city');
    await page.fill('input[name=f0_value]', 'Paris');
    const countShows = (n: number) => page.locator('#live-count', { hasText: new RegExp(`^${n} recipients match now$`) }).waitFor();
    await countShows(3);
    await page.fill('input[name=f0_value]', 'Lyon');
    await countShows(1);
    await page.fill('input[name=f0_value]', 'Paris');
    assert.equal(await horizontalOverflow(page), 0, 'the form fits a phone');
    await browser!.shot('segment-form-390');
    await page.click('button[name=intent][value=save]');
    await page.waitForURL(/\/audiences\/\d+\?notice=saved$/);
    assert.match((await page.textContent('#live-count')) ?? '', /3 recipients match now/);

    await page.click('a[href^="/audiences/bulk?segmentId="]');
    await page.check('input[name=action][value=addToList]');
    await page.selectOption('select[name=listId]', String(listId));
    await page.click('button[name=intent][value=start]');
    await page.waitForURL(/\/audiences\/bulk\/\d+$/);
    await page.waitForSelector('#bulk-job strong:text("finished")', { timeout: 30_000 });
    assert.equal(await h.db.models.ListMember.count({ where: { listId } }), 3);
  });
});
