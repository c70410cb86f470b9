import assert from 'node:assert/strict';
import { createService } from '../../../server/db/repos/services.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { FormClient } from '../helpers/public.js';

const PAGE = `<mjml lang="en">
  <mj-body>
    <herald-block name="social"></herald-block>
    <mj-section><mj-column>
      <mj-text>Spring offer: 20 % off for our subscribers.</mj-text>
      <mj-raw><herald-form name="subscribe" services="news"></herald-form></mj-raw>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

describe('landing pages: written with the editor’s formats and blocks, published at /l/<slug>, with visits and conversions', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let pageId = 0;
  let newsId = 0;
  const page = async () => (await h.db.models.LandingPageRow.findByPk(pageId))!;
  const later = (seconds: number) => (h.clock.now = new Date(h.clock.now.getTime() + seconds * 1000));

  before(async () => {
    h = await startConsole('[forms]\nmaxSubmitsPerMinute = 1000');
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/content/pages');
    const audit = { at: new Date(), operatorId: null, operatorLogin: 'test', action: 'service_created' as const };
    newsId = (await createService(h.db, { name: 'news', label: 'Weekly news', description: null, doubleOptIn: true, validityDays: null }, audit)).id;
    await createService(h.db, { name: 'offers', label: 'Special offers', description: null, doubleOptIn: true, validityDays: null }, audit);
  });
  after(async () => h.close());

  it('saves a page and publishes it compiled: the form it embeds offers the services named, with its guard', async () => {
    const saved = await admin.post('/content/pages', { title: 'Spring offer', slug: 'spring-offer', format: 'mjml', source: PAGE });
    assert.equal(saved.status, 303, saved.text);
    pageId = Number(/\/content\/pages\/(\d+)/.exec(saved.location ?? '')?.[1]);
    assert.equal((await new FormClient(h.base).get('/l/spring-offer')).status, 404, 'not published yet');
    assert.equal((await admin.post(`/content/pages/${pageId}/publish`)).status, 303);
    const visitor = new FormClient(h.base);
    const reply = await visitor.get('/l/spring-offer');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-security-policy') ?? '', /default-src 'none'.*form-action 'self'/);
    assert.doesNotMatch(reply.headers.get('content-security-policy') ?? '', /script-src/);
    assert.match(reply.text, /Spring offer: 20 % off/);
    assert.match(reply.text, /<title>Spring offer<\/title>/, 'the page title, as the source gave none');
    assert.match(reply.text, /<form method="post" action="\/subscribe\?services=news&amp;landing=spring-offer"/);
    assert.match(reply.text, new RegExp(`name="services" value="${newsId}" checked> Weekly news`));
    assert.doesNotMatch(reply.text, /Special offers|herald-form|herald-block/);
    assert.equal((await page()).visits, 1);
  });

  it('saves the page the new-page form offers as it stands', async () => {
    const form = await admin.get('/content/pages/new');
    assert.equal(form.status, 200);
    const source = /<textarea[^>]*name="source"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)?.[1];
    assert.ok(source, 'the form offers a starting source');
    const unescaped = source
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.match(unescaped, /<herald-form name="subscribe">/);
    const saved = await admin.post('/content/pages', { title: 'Starter', slug: 'starter', format: 'mjml', source: unescaped });
    assert.equal(saved.status, 303, saved.text);
  });

  it('counts a subscription sent from the page’s form as a conversion, and nothing else', async () => {
    const visitor = new FormClient(h.base);
    await visitor.get('/l/spring-offer');
    later(5);
    const sent = await visitor.submit('/subscribe?services=news&landing=spring-offer', { email: 'zoe@example.com', services: [String(newsId)] });
    assert.equal(sent.status, 200);
    assert.match(sent.text, /Check your inbox/);
    assert.equal(await h.db.models.Signup.count({ where: { email: 'zoe@example.com' } }), 1);
    const invalid = await visitor.submit('/subscribe?services=news&landing=spring-offer', { email: 'not an address', services: [String(newsId)] });
    assert.equal(invalid.status, 400);
    assert.match(invalid.text, /action="\/subscribe\?services=news&amp;landing=spring-offer"/, 'the form shown again keeps its page');
    const p = await page();
    assert.deepEqual([p.visits, p.conversions], [2, 1]);
    const list = await admin.get('/content/pages');
    assert.match(list.text, /<td class="num">2<\/td><td class="num">1<\/td><td class="num">50.0 %<\/td>/);
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    [
      'personalization, naming its line',
      { slug: 'p1', source: '<p>Hello\n<%= recipient.firstName %></p>', format: 'html' },
      /line 2: a landing page is the same for every visitor/,
    ],
    [
      'a block with personalization (the footer’s unsubscribe link)',
      { slug: 'p2', source: '<mjml><mj-body><herald-block name="footer"></herald-block></mj-body></mjml>' },
      /of block &quot;footer&quot;: a landing page is the same/,
    ],
    ['an unknown form', { slug: 'p3', source: '<p><herald-form name="login"></herald-form></p>', format: 'html' }, /there is no form &quot;login&quot;/],
    ['MJML that does not compile', { slug: 'p4', source: '<mjml><mj-body>\n<mj-nope></mj-nope></mj-body></mjml>' }, /line 2: /],
    ['an address already used', { slug: 'spring-offer', source: '<p>x</p>', format: 'html' }, /Another landing page has this address/],
    ['an address with other characters', { slug: 'Spring Offer!', source: '<p>x</p>', format: 'html' }, /lower-case letters, digits or -/],
  ];
  for (const [what, form, message] of refused)
    it(`refuses ${what}, saving nothing`, async () => {
      const before = await h.db.models.LandingPageRow.count();
      const reply = await admin.post('/content/pages', { title: 'T', format: 'mjml', ...form });
      assert.equal(reply.status, 400);
      assert.match(reply.text, message);
      assert.equal(await h.db.models.LandingPageRow.count(), before);
    });

  it('serves the version published until published again, and nothing once withdrawn', async () => {
    const changed = await admin.post(`/content/pages/${pageId}`, {
      title: 'Spring offer',
      slug: 'spring-offer',
      format: 'mjml',
      source: PAGE.replace('20 %', '30 %'),
    });
    assert.equal(changed.status, 303);
    assert.match((await new FormClient(h.base).get('/l/spring-offer')).text, /20 % off/);
    await admin.post(`/content/pages/${pageId}/publish`);
    assert.match((await new FormClient(h.base).get('/l/spring-offer')).text, /30 % off/);
    await admin.post(`/content/pages/${pageId}/withdraw`);
    assert.equal((await new FormClient(h.base).get('/l/spring-offer')).status, 404);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'landing_page_published' } }), 3);
  });
});
