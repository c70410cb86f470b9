import assert from 'node:assert/strict';
import { createService } from '../../server/db/repos/services.js';
import { api, startPublic, type PublicHarness } from '../web/helpers/public.js';

describe('REST API resources: recipients, subscriptions, lists, deliveries, quarantine', () => {
  let h: PublicHarness;
  let auth: string;
  let newsId: number;
  before(async () => {
    h = await startPublic();
    auth = await h.apiKey(['recipients:write', 'lists:write', 'deliveries:write', 'quarantine:write', 'events:write'], 'integration');
    newsId = (
      await createService(
        h.db,
        { name: 'news', label: 'News', description: null, doubleOptIn: true, validityDays: null },
        { at: new Date(), operatorId: null, operatorLogin: 't', action: 'service_created' },
      )
    ).id;
  });
  after(async () => h.close());

  it('creates, reads, updates and upserts recipients by address, with an audit line per change', async () => {
    const created = await api(h.base, auth, 'POST', '/recipients', { email: 'Ann@Example.com', firstName: 'Ann', fields: { City: 'Paris' } });
    assert.equal(created.status, 201);
    assert.equal(created.json.email, 'ann@example.com');
    assert.deepEqual(created.json.fields, { city: 'Paris' });
    assert.equal((await api(h.base, auth, 'POST', '/recipients', { email: 'ann@example.com' })).json.error.code, 'RECIPIENT_EXISTS');
    const patched = await api(h.base, auth, 'PATCH', `/recipients/${created.json.id}`, { lastName: 'Lee', fields: { city: null, plan: 'gold' } });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.json.fields, { plan: 'gold' });
    const upserted = await api(h.base, auth, 'PUT', '/recipients/by-email/bob%40example.com', { firstName: 'Bob' });
    assert.equal(upserted.status, 201);
    assert.equal((await api(h.base, auth, 'PUT', '/recipients/by-email/bob%40example.com', { firstName: 'Robert' })).status, 200);
    assert.equal((await api(h.base, auth, 'GET', '/recipients/by-email/bob%40example.com')).json.firstName, 'Robert');
    assert.equal((await api(h.base, auth, 'GET', '/recipients/424242')).status, 404);
    const audit = await h.db.models.AuditEntry.findAll({ where: { operatorLogin: 'api:integration' } });
    assert.deepEqual(
      audit.map((a) => a.action),
      ['recipient_created', 'recipient_updated', 'recipient_created', 'recipient_updated'],
    );
  });

  it('takes a recipient’s time zone (IANA, stored canonical) and country, and refuses what is neither', async () => {
    const created = await api(h.base, auth, 'POST', '/recipients', { email: 'zed@tokyo.example', timeZone: 'asia/tokyo', country: 'jp' });
    assert.equal(created.status, 201);
    assert.deepEqual([created.json.timeZone, created.json.country], ['Asia/Tokyo', 'JP']);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ timeZone: 'Mars/Base' }, 'timeZone'],
      [{ timeZone: '+09:00' }, 'timeZone'],
      [{ country: 'JPN' }, 'country'],
      [{ country: '1A' }, 'country'],
    ];
    for (const [body, path] of cases) {
      const refused = await api(h.base, auth, 'PATCH', `/recipients/${created.json.id}`, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.ok(JSON.stringify(refused.json.error).includes(path), JSON.stringify(refused.json));
    }
    const cleared = await api(h.base, auth, 'PATCH', `/recipients/${created.json.id}`, { timeZone: null, country: 'FR' });
    assert.deepEqual([cleared.json.timeZone, cleared.json.country], [null, 'FR']);
  });

  it('subscribes and unsubscribes through the API, or sends a confirmation mail first (doubleOptIn)', async () => {
    const ann = (await api(h.base, auth, 'GET', '/recipients/by-email/ann%40example.com')).json;
    const on = await api(h.base, auth, 'PUT', `/recipients/${ann.id}/subscriptions/news`, {});
    assert.equal(on.json.status, 'active');
    assert.equal((await api(h.base, auth, 'GET', `/recipients/${ann.id}/subscriptions`)).json.subscriptions[0].status, 'active');
    assert.equal((await api(h.base, auth, 'DELETE', `/recipients/${ann.id}/subscriptions/${newsId}`)).json.status, 'unsubscribed');
    const pending = await api(h.base, auth, 'PUT', `/recipients/${ann.id}/subscriptions/news`, { doubleOptIn: true });
    assert.equal(pending.status, 202);
    assert.equal(await h.db.models.TransactionalEvent.count({ where: { email: 'ann@example.com', type: 'herald-subscription-confirm' } }), 1);
    assert.equal(
      (await h.db.models.Subscription.findOne({ where: { recipientId: ann.id, serviceId: newsId } }))?.status,
      'unsubscribed',
      'active only after the link',
    );
    const services = (await api(h.base, auth, 'GET', '/services')).json.services;
    assert.equal(services[0].name, 'news');
  });

  it('creates lists and manages their members', async () => {
    const list = await api(h.base, auth, 'POST', '/lists', { name: 'vip', label: 'VIP' });
    assert.equal(list.status, 201);
    const ann = (await api(h.base, auth, 'GET', '/recipients/by-email/ann%40example.com')).json;
    assert.equal((await api(h.base, auth, 'PUT', `/lists/${list.json.id}/members/${ann.id}`)).json.changed, true);
    const members = await api(h.base, auth, 'GET', `/lists/${list.json.id}/members?limit=10`);
    assert.deepEqual(
      members.json.members.map((m: { email: string }) => m.email),
      ['ann@example.com'],
    );
    assert.equal((await api(h.base, auth, 'GET', '/lists')).json.lists[0].members, 1);
    assert.equal((await api(h.base, auth, 'POST', '/lists', { name: 'vip', label: 'again' })).status, 409);
    assert.equal((await api(h.base, auth, 'DELETE', `/lists/${list.json.id}/members/${ann.id}`)).json.member, false);
  });

  it('runs a delivery: create, analyse, start (tracking URLs pushed first), pause, status with counters', async () => {
    const created = await api(h.base, auth, 'POST', '/deliveries', {
      internalName: 'spring-api',
      label: 'Spring',
      subject: 'Hello <%= recipient.firstName %>',
      fromAddress: 'news@example.com',
      html: '<p>Hi <a href="https://shop.example.com/">shop</a> <a href="<%= links.unsubscribe %>">unsubscribe</a></p>',
      target: { kind: 'all', filter: { field: 'email', op: 'endsWith', value: '@example.com' } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id;
    const analysed = await api(h.base, auth, 'POST', `/deliveries/${id}/analyse`);
    assert.equal(analysed.json.state, 'ready');
    assert.equal(analysed.json.counters.toDeliver, 2);
    const started = await api(h.base, auth, 'POST', `/deliveries/${id}/start`);
    assert.equal(started.json.state, 'start_pending');
    assert.ok(h.published.includes(id), 'publishDeliveryUrls ran before the start');
    assert.equal((await api(h.base, auth, 'POST', `/deliveries/${id}/pause`)).json.state, 'paused');
    assert.equal((await api(h.base, auth, 'POST', `/deliveries/${id}/analyse`)).status, 409);
    const status = await api(h.base, auth, 'GET', `/deliveries/${id}`);
    assert.equal(status.json.messages.pending, 2);
    assert.deepEqual([status.json.counters.complaints, status.json.counters.complaintRate], [0, 0]);
    await h.db.write((transaction) => h.db.models.Delivery.update({ sent: 400, complaints: 2 }, { where: { id }, transaction }));
    const counted = (await api(h.base, auth, 'GET', `/deliveries/${id}`)).json.counters;
    assert.deepEqual(
      [counted.sent, counted.failed, counted.complaints, counted.complaintRate],
      [400, 0, 2, 0.005],
      'complaints: their own counter and rate, not failures',
    );
    assert.equal((await api(h.base, auth, 'GET', '/deliveries?state=paused')).json.deliveries[0].id, id);
  });

  it('lists quarantined addresses and releases one', async () => {
    const now = new Date();
    await h.db.write((t) =>
      h.db.models.Quarantine.bulkCreate(
        [
          { address: 'gone@example.com', domain: 'example.com', status: 'quarantine', errorCount: 3, createdAt: now, updatedAt: now },
          { address: 'ok@example.com', domain: 'example.com', status: 'valid', createdAt: now, updatedAt: now },
        ],
        { transaction: t },
      ),
    );
    const page = await api(h.base, auth, 'GET', '/quarantines');
    assert.deepEqual(
      page.json.addresses.map((a: { address: string }) => a.address),
      ['gone@example.com'],
    );
    assert.equal((await api(h.base, auth, 'DELETE', '/quarantines/gone%40example.com')).json.status, 'valid');
    assert.equal((await api(h.base, auth, 'DELETE', '/quarantines/gone%40example.com')).status, 404);
  });

  it('erases a recipient (GDPR): personal data gone everywhere, the anonymous row and the counts kept', async () => {
    const bob = (await api(h.base, auth, 'GET', '/recipients/by-email/bob%40example.com')).json;
    await api(h.base, auth, 'PUT', `/recipients/${bob.id}/subscriptions/news`, {});
    const before = await h.db.models.Recipient.count();
    const erased = await api(h.base, auth, 'DELETE', `/recipients/${bob.id}`);
    assert.deepEqual(erased.json, { id: bob.id, erased: true });
    assert.equal(await h.db.models.Recipient.count(), before, 'the row stays for the counts');
    const row = await h.db.models.Recipient.findByPk(bob.id);
    assert.ok(row?.erasedAt);
    assert.equal(row?.firstName, null);
    assert.match(row!.email, /^erased-\d+@erased\.invalid$/);
    assert.equal(await h.db.models.BroadLog.count({ where: { address: 'bob@example.com' } }), 0, 'its messages no longer name the address');
    assert.equal((await api(h.base, auth, 'GET', `/recipients/${bob.id}`)).status, 404);
    assert.equal((await api(h.base, auth, 'DELETE', `/recipients/${bob.id}`)).status, 404);
    assert.equal((await h.db.models.Subscription.findOne({ where: { recipientId: bob.id } }))?.status, 'unsubscribed');
  });
});
