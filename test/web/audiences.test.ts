import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createList } from '../../server/db/repos/lists.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { createService } from '../../server/db/repos/services.js';
import { createNewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery } from '../../server/delivery/analyse.js';
import { DEFAULT_EXCLUSIONS } from '../../server/delivery/target-spec.js';
import { silentLogger } from '../../server/shared/logger.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

const audit = { at: new Date(), operatorId: null, operatorLogin: 'test' };
const filter = (field: string, op: string, value: string) => ({ f0_field: field, f0_op: op, f0_value: value });

/** Saved segments, live counts, custom fields in the filter picker and imports into a list or service, over HTTP on a real SQLite file. */
describe('console: audiences', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let marketer: ConsoleClient;
  let viewer: ConsoleClient;
  let newsId = 0;
  let vipId = 0;

  before(async () => {
    h = await startConsole();
    await upsertRecipients(
      h.db,
      [
        { email: 'ann@example.com', firstName: 'Ann', fields: { city: 'Paris', plan: 'gold' } },
        { email: 'bob@example.com', firstName: 'Bob', fields: { city: 'Lyon' } },
        { email: 'cat@example.com', firstName: 'Cat', fields: { city: 'Paris' } },
        { email: 'dan@other.example', firstName: 'Dan' },
      ],
      new Set(['email', 'firstName']),
    );
    newsId = (
      await createService(
        h.db,
        { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null },
        { ...audit, action: 'service_created' },
      )
    ).id;
    vipId = (await createList(h.db, { name: 'vip', label: 'VIP', description: null, expiresAt: null }, { ...audit, action: 'list_created' })).id;
    const op = await addOperator(h.db, 'marketer', ['prepare_deliveries', 'import']);
    marketer = new ConsoleClient(h.base);
    await marketer.login(op.login, op.password);
    const other = await addOperator(h.db, 'viewer', []);
    viewer = new ConsoleClient(h.base);
    await viewer.login(other.login, other.password);
  });
  after(async () => h?.close());

  it('offers the custom fields recipients have in the filter picker, on segments and deliveries', async () => {
    for (const path of ['/audiences/new', '/deliveries/new']) {
      const page = (await marketer.get(path)).text;
      assert.match(page, /<option value="fields\.city">custom field city<\/option>/, path);
      assert.match(page, /<option value="fields\.plan">custom field plan<\/option>/, path);
      assert.match(page, /<option value="inSegment">matches the segment \(name\)<\/option>/, path);
    }
  });

  it('counts the recipients of a filter while it is edited (JSON for the page script), and says why a filter cannot be counted', async () => {
    const count = async (query: Record<string, string>) => JSON.parse((await marketer.get(`/audiences/count?${new URLSearchParams(query)}`)).text);
    assert.deepEqual(await count(filter('fields.city', 'eq', 'Paris')), { count: 2, text: '2 recipients match now' });
    assert.deepEqual(await count({}), { count: 4, text: '4 recipients match now' });
    assert.match((await count(filter('inSegment', 'eq', 'nobody'))).error, /no segment named "nobody"/);
    assert.match((await count({ filterJson: '{"field":"nope"}' })).error, /filter\.field: expected one of/);
  });

  it('shows the count without JavaScript (the Count button) and saves nothing', async () => {
    await marketer.get('/audiences/new');
    const reply = await marketer.post('/audiences', { intent: 'count', name: 'parisians', label: 'Parisians', ...filter('fields.city', 'eq', 'Paris') });
    assert.equal(reply.status, 200);
    assert.match(reply.text, /<output id="live-count"[^>]*>2 recipients match now<\/output>/);
    assert.equal(await h.db.models.Segment.count(), 0);
  });

  it('saves a segment (audited), refuses a taken name, an unknown segment and a cycle, and needs the right and the CSRF token', async () => {
    await marketer.get('/audiences/new');
    const saved = await marketer.post('/audiences', { intent: 'save', name: 'parisians', label: 'Parisians', ...filter('fields.city', 'eq', 'Paris') });
    assert.equal(saved.status, 303);
    const parisians = (await h.db.models.Segment.findOne({ where: { name: 'parisians' } }))!;
    assert.deepEqual(parisians.condition, { all: [{ field: 'fields.city', op: 'eq', value: 'Paris' }] });
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'segment_created', targetId: String(parisians.id) } }), 1);
    assert.match((await marketer.get(saved.location!)).text, /2 recipients match now/);

    await marketer.get('/audiences/new');
    const gold = {
      intent: 'save',
      name: 'gold-parisians',
      label: 'Gold Parisians',
      match: 'all',
      ...filter('inSegment', 'eq', 'parisians'),
      f1_field: 'fields.plan',
      f1_op: 'eq',
      f1_value: 'gold',
    };
    assert.equal((await marketer.post('/audiences', gold)).status, 303);

    const refused: Array<[string, Record<string, string>, RegExp]> = [
      ['a taken name', { ...gold, label: 'Again' }, /This internal name is already used/],
      ['an unknown segment', { intent: 'save', name: 'ghost', label: 'Ghost', ...filter('inSegment', 'eq', 'nobody') }, /no segment named &quot;nobody&quot;/],
    ];
    for (const [what, form, message] of refused) {
      await marketer.get('/audiences/new');
      const reply = await marketer.post('/audiences', form);
      assert.equal(reply.status, 400, what);
      assert.match(reply.text, message, what);
    }
    await marketer.get(`/audiences/${parisians.id}`);
    const cycle = await marketer.post(`/audiences/${parisians.id}`, {
      intent: 'save',
      name: 'parisians',
      label: 'Parisians',
      ...filter('inSegment', 'eq', 'gold-parisians'),
    });
    assert.equal(cycle.status, 400);
    assert.match(cycle.text, /includes itself \(parisians → gold-parisians → parisians\)/);
    assert.deepEqual((await parisians.reload()).condition, { all: [{ field: 'fields.city', op: 'eq', value: 'Paris' }] }, 'nothing changed');

    assert.equal(
      (await marketer.post('/audiences', { _csrf: 'forged', intent: 'save', name: 'x', label: 'X', ...filter('email', 'eq', 'a@b.c') })).status,
      403,
    );
    await viewer.get('/audiences');
    assert.equal((await viewer.post('/audiences', { intent: 'save', name: 'x', label: 'X', ...filter('email', 'eq', 'a@b.c') })).status, 403);
    assert.match((await viewer.get(`/audiences/${parisians.id}`)).text, /readonly/, 'a viewer sees the segment, read only');
    assert.equal(await h.db.models.Segment.count(), 2);
  });

  it('targets a delivery at a segment: the analysis sends to its recipients only', async () => {
    const deps = { db: h.db, config: h.instance.config, log: silentLogger(), dkim: [] };
    const d = await createNewDelivery(deps, {
      internalName: 'gold',
      label: 'Gold offer',
      kind: 'marketing',
      subject: 'Hi',
      fromName: 'Herald',
      fromAddress: 'news@example.com',
      replyTo: null,
      html: '<p>Hi</p><a href="<%= links.unsubscribe %>">Unsubscribe</a>',
      text: null,
      headers: {},
      target: { kind: 'all', filter: { inSegment: 'gold-parisians' } },
      exclusions: DEFAULT_EXCLUSIONS,
      serviceId: null,
      trackingEnabled: false,
      openTracking: false,
      scheduledAt: null,
      validityEnd: null,
    });
    const report = await analyseDelivery(deps, d.id);
    assert.equal(report.toDeliver, 1);
    const logs = await h.db.models.BroadLog.findAll({ where: { deliveryId: d.id } });
    assert.deepEqual(
      logs.map((l) => l.address),
      ['ann@example.com'],
    );
  });

  it('imports a CSV straight into a list and a service, rejecting bad rows with their reason', async () => {
    await marketer.get('/recipients/import');
    const form = new FormData();
    form.append('_csrf', marketer.csrf);
    form.append('listId', String(vipId));
    form.append('serviceId', String(newsId));
    form.append('file', new Blob(['email,first_name,shoe_size\neve@example.com,Eve,38\nnot-an-address,X,1\nbob@example.com,Bob,44\n']), 'vip.csv');
    const reply = await marketer.request('POST', '/recipients/import', { body: form });
    assert.equal(reply.status, 303);
    await h.web.imports.idle();
    const job = (await h.db.models.ImportJob.findOne({ order: [['id', 'DESC']] }))!;
    assert.deepEqual([job.status, job.inserted, job.updated, job.rejected, job.listId, job.serviceId], ['finished', 1, 1, 1, vipId, newsId]);
    const members = await h.db.models.ListMember.findAll({ where: { listId: vipId } });
    const emails = async (ids: number[]) => (await h.db.models.Recipient.findAll({ where: { id: ids }, order: [['email', 'ASC']] })).map((r) => r.email);
    assert.deepEqual(await emails(members.map((m) => m.recipientId)), ['bob@example.com', 'eve@example.com']);
    const subs = await h.db.models.Subscription.findAll({ where: { serviceId: newsId, status: 'active' } });
    assert.deepEqual(await emails(subs.map((s) => s.recipientId)), ['bob@example.com', 'eve@example.com']);
    assert.deepEqual(
      subs.map((s) => s.origin),
      ['import', 'import'],
    );
    assert.match((await marketer.get(`/recipients/imports/${job.id}/rejects.csv`)).text, /^line,email,reason\r\n3,not-an-address,/);
    const page = (await marketer.get(`/recipients/imports/${job.id}`)).text;
    assert.match(page, /Add the imported recipients to the list: <a href="\/lists\/\d+">VIP<\/a>/);
    assert.match((await marketer.get('/audiences/new')).text, /<option value="fields\.shoe_size">/, 'the new custom field is offered at once');
  });

  it('refuses an import into a list that does not exist, keeping nothing', async () => {
    await marketer.get('/recipients/import');
    const form = new FormData();
    form.append('_csrf', marketer.csrf);
    form.append('listId', '99999');
    form.append('file', new Blob(['email\nzed@example.com\n']), 'zed.csv');
    const reply = await marketer.request('POST', '/recipients/import', { body: form });
    assert.equal(reply.status, 400);
    assert.match(reply.text, /That list no longer exists/);
    await sleep(50);
    assert.equal(await h.db.models.Recipient.count({ where: { email: 'zed@example.com' } }), 0);
  });
});
