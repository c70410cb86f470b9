import assert from 'node:assert/strict';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

describe('console rights, services and lists', () => {
  let h: ConsoleHarness;
  let reader: ConsoleClient;
  let marketer: ConsoleClient;
  let admin: ConsoleClient;
  before(async () => {
    h = await startConsole();
    await upsertRecipients(h.db, [{ email: 'ann@example.com' }], new Set(['email']));
    const clients: ConsoleClient[] = [];
    for (const [login, rights] of [
      ['reader', ['view_reports']],
      ['marketer', ['prepare_deliveries', 'import']],
      ['boss', ['admin']],
    ] as const) {
      const op = await addOperator(h.db, login, [...rights]);
      const client = new ConsoleClient(h.base);
      await client.login(op.login, op.password);
      await client.get('/recipients');
      clients.push(client);
    }
    [reader, marketer, admin] = clients as [ConsoleClient, ConsoleClient, ConsoleClient];
  });
  after(async () => h.close());

  const refused: Array<[string, string, (c: ConsoleClient) => Promise<number>]> = [
    ['import', 'GET /recipients/import', async (c) => (await c.get('/recipients/import')).status],
    [
      'import',
      'POST /recipients/import',
      async (c) => {
        const form = new FormData();
        form.append('_csrf', c.csrf);
        form.append('file', new Blob(['email\nx@example.com\n']), 'a.csv');
        return (await c.request('POST', '/recipients/import', { body: form })).status;
      },
    ],
    ['import', 'POST /recipients/1', async (c) => (await c.post('/recipients/1', { email: 'x@example.com' })).status],
    ['export', 'POST /recipients/export', async (c) => (await c.post('/recipients/export')).status],
    ['prepare_deliveries', 'POST /services', async (c) => (await c.post('/services', { name: 'n', label: 'N' })).status],
    ['prepare_deliveries', 'POST /lists', async (c) => (await c.post('/lists', { name: 'n', label: 'N' })).status],
    ['admin', 'GET /operators', async (c) => (await c.get('/operators')).status],
    ['admin', 'POST /operators', async (c) => (await c.post('/operators', { login: 'x', rights: 'admin' })).status],
    ['admin', 'GET /audit', async (c) => (await c.get('/audit')).status],
  ];
  for (const [right, route, call] of refused) {
    it(`refuses ${route} to an operator without the "${right}" right (403)`, async () => assert.equal(await call(reader), 403));
  }

  it('shows each operator only the menu entries their rights open', async () => {
    const menu = async (c: ConsoleClient) => [...(await c.get('/')).text.matchAll(/<nav [^>]*class="menu"[\s\S]*?<\/nav>/g)][0]![0];
    assert.doesNotMatch(await menu(reader), /Operators|Audit log/);
    assert.match(await menu(admin), /href="\/operators"[\s\S]*href="\/audit"/);
  });

  it('creates and edits a service, counts its subscribers and shows its history', async () => {
    await marketer.get('/services/new');
    assert.match((await marketer.post('/services', { name: 'bad name!', label: '' })).text, /Letters, digits/);
    const created = await marketer.post('/services', { name: 'news', label: 'Newsletter', doubleOptIn: 'on', validityDays: '365' });
    assert.equal(created.status, 303);
    const service = (await h.db.models.Service.findOne({ where: { name: 'news' } }))!;
    assert.deepEqual([service.label, service.doubleOptIn, service.validityDays], ['Newsletter', true, 365]);
    assert.match((await marketer.post('/services', { name: 'news', label: 'Again' })).text, /already used/);
    await marketer.get(`/services/${service.id}/edit`);
    assert.equal((await marketer.post(`/services/${service.id}`, { name: 'news', label: 'Weekly news' })).status, 303);

    await marketer.get('/recipients/1');
    assert.match(
      (await marketer.post('/recipients/1/subscriptions', { service: String(service.id), change: 'subscribe' })).location ?? '',
      /notice=subscribed/,
    );
    assert.match(
      (await marketer.post('/recipients/1/subscriptions', { service: String(service.id), change: 'subscribe' })).location ?? '',
      /notice=nothing_changed/,
    );
    assert.equal((await h.db.models.Subscription.findOne({ where: { serviceId: service.id } }))!.status, 'active');
    const list = await marketer.get('/services');
    assert.match(list.text, /Weekly news<\/a><\/td><td><code>news<\/code><\/td><td class="num">1<\/td>/);
    await marketer.post('/recipients/1/subscriptions', { service: String(service.id), change: 'unsubscribe' });
    const page = await marketer.get(`/services/${service.id}`);
    assert.match(page.text, /ann@example\.com/);
    assert.deepEqual(
      (await h.db.models.SubscriptionHistory.findAll({ order: [['id', 'ASC']] })).map((r) => r.action),
      ['subscribe', 'unsubscribe'],
    );
  });

  it('creates a list, adds a member and counts it', async () => {
    await marketer.get('/lists/new');
    assert.equal((await marketer.post('/lists', { name: 'vip', label: 'VIP', expiresAt: '2031-01-31' })).status, 303);
    const list = (await h.db.models.List.findOne({ where: { name: 'vip' } }))!;
    assert.equal(list.expiresAt?.toISOString(), '2031-01-31T00:00:00.000Z');
    await marketer.get('/recipients/1');
    await marketer.post('/recipients/1/lists', { list: String(list.id), change: 'add' });
    assert.match((await marketer.get('/lists')).text, /VIP<\/a><\/td><td><code>vip<\/code><\/td><td class="num">1<\/td>/);
    assert.match((await marketer.get(`/lists/${list.id}`)).text, /ann@example\.com/);
  });

  it('lets an administrator create an operator with a one-time password, shown once, and records it', async () => {
    await admin.get('/operators/new');
    const reply = await admin.post('/operators', { login: 'New.Person', name: 'New Person', rights: ['import', 'bogus'] });
    assert.equal(reply.status, 200);
    const password = /id="one-time-password">([^<]+)</.exec(reply.text)?.[1];
    assert.ok(password && password.length >= 20);
    const fresh = new ConsoleClient(h.base);
    assert.equal((await fresh.login('new.person', password)).location, '/password');
    const audit = (await h.db.models.AuditEntry.findOne({ where: { action: 'operator_created' } }))!;
    assert.equal(audit.operatorLogin, 'boss');
    assert.doesNotMatch(audit.detail ?? '', new RegExp(password), 'the password is not in the audit log');
    assert.match((await admin.get('/audit?action=operator_created')).text, /created an operator/);
  });
});
