import assert from 'node:assert/strict';
import { upsertRecipients } from '../../../server/db/repos/recipients.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from '../helpers/console.js';
import { deliveryForm } from '../helpers/delivery-form.js';

const GALLERY = ['newsletter', 'announcement', 'welcome', 're-engagement', 'receipt', 'event-invitation', 'double-opt-in', 'plain-text-first'];
const idFrom = (location: string | null) => Number(/\/(?:deliveries|blocks)\/(\d+)/.exec(location ?? '')?.[1]);
/** The value of a form field as the page shows it (HTML-escaped). */
const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const textareaOf = (page: string, name: string) => unescape(new RegExp(`<textarea name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page)?.[1] ?? '');

describe('console content: template gallery, content blocks by reference, field picker', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let viewer: ConsoleClient;
  let deliveryId = 0;
  let footerId = 0;

  before(async () => {
    h = await startConsole('');
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    const reader = await addOperator(h.db, 'reader', []);
    viewer = new ConsoleClient(h.base);
    await viewer.login(reader.login, reader.password);
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }], new Set(['email', 'firstName', 'lastName']));
    footerId = (await h.db.models.ContentBlockRow.findOne({ where: { name: 'footer' } }))!.id;
  });
  after(async () => h.close());

  it('shows the gallery: at least the eight responsive templates, each a start for a new delivery', async () => {
    const page = await admin.get('/content');
    assert.equal(page.status, 200);
    for (const name of GALLERY) assert.match(page.text, new RegExp(`href="/deliveries/new\\?gallery=${name}"`), name);
  });

  it('starts a delivery from the newsletter template: MJML, its subject and blocks by reference, with the field picker', async () => {
    const page = await admin.get('/deliveries/new?gallery=newsletter');
    assert.equal(page.status, 200);
    assert.match(page.text, /<option value="mjml" selected>/);
    const source = textareaOf(page.text, 'html');
    assert.match(source, /^<mjml lang="en">/);
    assert.match(source, /<herald-block name="footer"><\/herald-block>/);
    assert.match(page.text, /data-insert="&lt;%= recipient.firstName %&gt;"/);
    assert.match(page.text, /data-insert="&lt;herald-block name=&quot;footer&quot;&gt;&lt;\/herald-block&gt;"/);
    const reply = await admin.post('/deliveries', deliveryForm({ internalName: 'monthly', format: 'mjml', html: source, text: '', gallery: 'newsletter' }));
    assert.equal(reply.status, 303, reply.text);
    deliveryId = idFrom(reply.location);
    const d = (await h.db.models.Delivery.findByPk(deliveryId))!;
    assert.equal(d.contentFormat, 'mjml');
    const audit = await h.db.models.AuditEntry.findOne({ where: { action: 'delivery_created', targetId: String(deliveryId) } });
    assert.match(audit!.detail ?? '', /"gallery":"newsletter"/);
  });

  it('compiles the MJML once at analysis, with the blocks as they are then, and generates the text part', async () => {
    const reply = await admin.post(`/deliveries/${deliveryId}/analyse`);
    assert.match(reply.location ?? '', /notice=analysed/, reply.text);
    const d = (await h.db.models.Delivery.findByPk(deliveryId))!;
    assert.equal(d.state, 'ready');
    assert.match(d.compiledHtml ?? '', /<!doctype html>/i);
    assert.doesNotMatch(d.compiledHtml ?? '', /<mj-|herald-block/);
    assert.match(d.compiledHtml ?? '', /1 Example Street/);
    assert.match(d.compiledText ?? '', /Unsubscribe <<%= links.unsubscribe %>>/);
    assert.equal(d.html?.startsWith('<mjml'), true, 'the source stays as written');
    const issues = JSON.stringify(d.analysis);
    assert.match(issues, /footer\.address/, 'the example address of the default footer is named');
  });

  it('edits the footer block: its page lists the delivery, a content analysed keeps its version until analysed again', async () => {
    const page = await admin.get(`/content/blocks/${footerId}`);
    const source = textareaOf(page.text, 'source');
    assert.match(page.text, new RegExp(`href="/deliveries/${deliveryId}"`));
    const changed = source.replace('1 Example Street · 00000 Example City', '12 Harbour Road · 75001 Paris');
    const saved = await admin.post(`/content/blocks/${footerId}`, { label: 'Footer', format: 'mjml', source: changed });
    assert.equal(saved.status, 303, saved.text);
    assert.match((await h.db.models.Delivery.findByPk(deliveryId))!.compiledHtml ?? '', /1 Example Street/);
    await admin.post(`/deliveries/${deliveryId}/analyse`);
    const d = (await h.db.models.Delivery.findByPk(deliveryId))!;
    assert.match(d.compiledHtml ?? '', /12 Harbour Road/);
    assert.doesNotMatch(JSON.stringify(d.analysis), /footer\.address/);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'content_block_saved', targetId: String(footerId) } }), 1);
  });

  it('refuses a block whose MJML does not compile, naming the line, and changes nothing', async () => {
    const before = (await h.db.models.ContentBlockRow.findByPk(footerId))!.source;
    const reply = await admin.post(`/content/blocks/${footerId}`, {
      label: 'Footer',
      format: 'mjml',
      source: '<mj-section>\n<mj-column>\n<mj-txt>x</mj-txt>\n</mj-column>\n</mj-section>',
    });
    assert.equal(reply.status, 400);
    assert.match(reply.text, /line 3 of block &quot;footer&quot;: /);
    assert.equal((await h.db.models.ContentBlockRow.findByPk(footerId))!.source, before);
  });

  it('creates a new HTML block and refuses a second one of the same name', async () => {
    const first = await admin.post('/content/blocks', { name: 'legal', label: 'Legal notice', format: 'html', source: '<p>Terms apply.</p>' });
    assert.equal(first.status, 303, first.text);
    const again = await admin.post('/content/blocks', { name: 'legal', label: 'Again', format: 'html', source: '<p>x</p>' });
    assert.equal(again.status, 400);
    assert.match(again.text, /already exists/);
    assert.match((await admin.get('/content/blocks')).text, /&lt;herald-block name=&quot;legal&quot;&gt;/);
  });

  it('adds a template to the gallery (stored as data), which then starts deliveries like Herald’s own', async () => {
    const reply = await admin.post('/content/templates', {
      name: 'summer-sale',
      label: 'Summer sale',
      description: 'Our seasonal sale',
      format: 'mjml',
      subject: 'Summer sale',
      source:
        '<mjml><mj-body><mj-section><mj-column><mj-text>Sale!</mj-text></mj-column></mj-section><herald-block name="footer"></herald-block></mj-body></mjml>',
      text: '',
    });
    assert.equal(reply.status, 303, reply.text);
    assert.equal(await h.db.models.ContentTemplateRow.count({ where: { name: 'summer-sale' } }), 1);
    assert.match((await admin.get('/content')).text, /href="\/deliveries\/new\?gallery=summer-sale"/);
    const start = await admin.get('/deliveries/new?gallery=summer-sale');
    assert.match(textareaOf(start.text, 'html'), /Sale!/);
    const bad = await admin.post('/content/templates', { name: 'Bad Name', label: '', format: 'mjml', source: '<mjml><mj-body><mj-nope/></mj-body></mjml>' });
    assert.equal(bad.status, 400);
  });

  it('lets an operator without prepare_deliveries look, not change', async () => {
    assert.equal((await viewer.get('/content')).status, 200);
    assert.equal((await viewer.get(`/content/blocks/${footerId}`)).status, 200);
    assert.equal((await viewer.post(`/content/blocks/${footerId}`, { label: 'x', format: 'html', source: '<p>x</p>' })).status, 403);
    assert.equal((await viewer.get('/content/templates/new')).status, 403);
  });
});
