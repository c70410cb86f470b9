import assert from 'node:assert/strict';
import { saveSubscription } from '../../server/db/repos/push.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';

/** A push delivery's own fields in the console form (checked, stored, shown again) and its preview as a phone shows it, over HTTP. */
describe('console push deliveries with their own fields', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let ann: number;

  const PUSH = {
    channel: 'push',
    subject: '',
    fromName: '',
    fromAddress: '',
    html: '',
    text: '',
    pushTitle: 'Hello <%= recipient.firstName %>',
    pushBody: `Spring sale: ${'everything must go, '.repeat(8)}today only`,
    pushUrl: 'https://shop.example.com/spring?r=<%= recipient.id %>',
    pushIcon: 'https://cdn.example.com/icon.png',
    pushImage: '',
    pushTtl: '900',
    pushUrgency: 'high',
  };
  const idOf = (location: string | null) => Number(/\/deliveries\/(\d+)/.exec(location ?? '')?.[1]);
  const decoded = (html: string) =>
    html
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const inputValue = (html: string, name: string) => decoded(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');
  const textarea = (html: string, name: string) => decoded(new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');

  before(async () => {
    h = await startConsole();
    const op = await addOperator(h.db, 'root', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/deliveries/new'); // the session's form token
    const now = new Date();
    ann = (await h.db.models.Recipient.create({ email: 'ann@example.com', firstName: 'Ann', createdAt: now, updatedAt: now } as never)).id;
    await saveSubscription(h.db, ann, { endpoint: 'https://push.example.net/ann', p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) }, now);
  });
  after(async () => {
    await h.close();
  });

  it('stores the fields, shows them again, and previews the notification as a phone cuts it, with its tracked page after the analysis', async () => {
    const created = await admin.post('/deliveries', deliveryForm({ internalName: 'push-own', label: 'Push own', ...PUSH }));
    assert.equal(created.status, 303, created.text);
    const id = idOf(created.location);
    const d = (await h.db.models.Delivery.findByPk(id))!;
    assert.deepEqual(d.pushContent, {
      title: PUSH.pushTitle,
      body: PUSH.pushBody,
      url: PUSH.pushUrl,
      icon: PUSH.pushIcon,
      image: null,
      ttlSeconds: 900,
      urgency: 'high',
    });

    const edit = await admin.get(`/deliveries/${id}/edit`);
    assert.equal(inputValue(edit.text, 'pushTitle'), PUSH.pushTitle);
    assert.equal(textarea(edit.text, 'pushBody'), PUSH.pushBody);
    assert.equal(inputValue(edit.text, 'pushUrl'), PUSH.pushUrl);
    assert.equal(inputValue(edit.text, 'pushTtl'), '900');
    assert.match(edit.text, /<option value="high" selected>/);

    const before = await admin.get(`/deliveries/${id}/preview`);
    assert.equal(before.status, 200, before.text);
    assert.equal(decoded(/id="preview-push-title">([^<]*)</.exec(before.text)?.[1] ?? ''), 'Hello Ann');
    const shownBody = decoded(/id="preview-push-body">([^<]*)</.exec(before.text)?.[1] ?? '');
    assert.equal([...shownBody].length, 120, 'a phone shows 120 characters of the body');
    assert.ok(shownBody.endsWith('…') && PUSH.pushBody.startsWith(shownBody.slice(0, -1)));
    assert.match(before.text, /id="preview-push-url"><code class="small">https:\/\/shop\.example\.com\/spring\?r=\d+</, 'as written before the analysis');
    assert.match(before.text, /id="preview-push-ttl">900 s</);
    assert.match(before.text, /https:\/\/cdn\.example\.com\/icon\.png/);

    await admin.post(`/deliveries/${id}/analyse`);
    assert.equal((await h.db.models.Delivery.findByPk(id))!.state, 'ready');
    const after = await admin.get(`/deliveries/${id}/preview`);
    assert.match(after.text, /id="preview-push-url"><code class="small">http:\/\/[^<\s]+\/r\/[^<\s]+\?p1=\d+</, 'a tracked link once analysed');
  });

  const bad: Array<[string, Record<string, string>, string, string]> = [
    ['no title', { pushTitle: '' }, 'pushTitle', 'A push notification needs a title.'],
    ['a title over 100 characters', { pushTitle: 'x'.repeat(101) }, 'pushTitle', 'At most 100 characters.'],
    ['no body', { pushBody: '' }, 'pushBody', 'A push notification needs a body.'],
    ['a relative page', { pushUrl: '/spring' }, 'pushUrl', 'An absolute http:// or https:// link without spaces (personalization tags allowed).'],
    ['an http icon', { pushIcon: 'http://cdn.example.com/i.png' }, 'pushIcon', 'An https:// image URL, without personalization.'],
    ['a TTL over 28 days', { pushTtl: '2419201' }, 'pushTtl', 'A whole number of seconds from 0 to 2419200 (28 days).'],
    ['an unknown urgency', { pushUrgency: 'now' }, 'pushUrgency', 'Choose one of the urgencies offered.'],
  ];
  for (const [name, fields, field, message] of bad)
    it(`refuses a push delivery with ${name}, keeping what was typed`, async () => {
      const internalName = `bad-${name.replace(/\W+/g, '-')}`;
      const reply = await admin.post('/deliveries', deliveryForm({ internalName, label: 'Bad', ...PUSH, ...fields }));
      assert.equal(reply.status, 400);
      assert.equal(decoded(new RegExp(`id="${field}-error">([^<]*)<`).exec(reply.text)?.[1] ?? ''), message);
      assert.equal(inputValue(reply.text, 'internalName'), internalName);
      assert.equal(await h.db.models.Delivery.count({ where: { internalName } }), 0);
    });

  it('does not check the push fields of an email delivery', async () => {
    const reply = await admin.post('/deliveries', deliveryForm({ internalName: 'mail-with-junk', pushTtl: 'junk', pushUrl: 'nope' }));
    assert.equal(reply.status, 303, reply.text);
    assert.equal((await h.db.models.Delivery.findByPk(idOf(reply.location)))!.pushContent, null);
  });

  it('keeps a push delivery written before push fields readable: preview from its subject and text, form filled from them', async () => {
    const now = new Date();
    const older = await h.db.models.Delivery.create({
      internalName: 'push-older',
      label: 'Older push',
      channel: 'push',
      subject: 'Old <%= recipient.firstName %>',
      text: 'Sale: https://shop.example.com/old',
      fromAddress: '',
      target: { kind: 'all' },
      exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
      createdAt: now,
      updatedAt: now,
    } as never);
    const preview = await admin.get(`/deliveries/${older.id}/preview`);
    assert.equal(preview.status, 200, preview.text);
    assert.equal(decoded(/id="preview-push-title">([^<]*)</.exec(preview.text)?.[1] ?? ''), 'Old Ann');
    assert.match(preview.text, /id="preview-push-url"><code class="small">https:\/\/shop\.example\.com\/old</);
    assert.match(preview.text, /before push notifications had their own fields/);
    const edit = await admin.get(`/deliveries/${older.id}/edit`);
    assert.equal(inputValue(edit.text, 'pushTitle'), 'Old <%= recipient.firstName %>');
    assert.equal(textarea(edit.text, 'pushBody'), 'Sale: https://shop.example.com/old');
  });
});
