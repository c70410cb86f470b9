import assert from 'node:assert/strict';
import { createNewDelivery } from '../../server/delivery/actions.js';
import { silentLogger } from '../../server/shared/logger.js';
import { fakeClock, seedRecipients, type FakeClock } from '../workflows/helpers.js';
import { deliveriesOfActivity } from '../workflows/marketing/ab-fixture.js';
import { startSendingStack, type SendingStack } from '../workflows/marketing/sending-stack.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** The one-page A/B test of a delivery: validated, turned into a started workflow that sends A and B through the real MTA. */
describe('console: A/B test wizard of a delivery', function () {
  this.timeout(90_000);
  let h: ConsoleHarness;
  let clock: FakeClock;
  let stack: SendingStack;
  let marketer: ConsoleClient;
  let preparer: ConsoleClient;
  let deliveryId: number;

  before(async () => {
    h = await startConsole('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    clock = fakeClock('2026-03-02T10:00:00Z');
    h.clock.now = clock.now();
    stack = await startSendingStack(h.instance, h.db, clock);
    const ids = await seedRecipients(
      h.db,
      Array.from({ length: 30 }, (_, i) => `p${i}@example.com`),
      clock.now(),
    );
    const service = await h.db.write((transaction) => h.db.models.Service.create({ name: 'promo', label: 'Promotions', doubleOptIn: false }, { transaction }));
    await h.db.write((transaction) =>
      h.db.models.Subscription.bulkCreate(
        ids.slice(0, 20).map((recipientId) => ({ serviceId: service.id, recipientId, status: 'active' as const, confirmedAt: clock.now() })),
        { transaction },
      ),
    );
    const d = await createNewDelivery(
      { db: h.db, config: stack.config, log: silentLogger(), dkim: [] },
      {
        internalName: 'spring.sale',
        label: 'Spring <sale>',
        kind: 'marketing',
        subject: 'Spring sale',
        fromName: 'Shop',
        fromAddress: 'shop@example.org',
        replyTo: null,
        html: '<p>Sale! <a href="https://shop.example.org/">Shop</a></p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>',
        text: 'Sale! https://shop.example.org/\nUnsubscribe: <%= links.unsubscribe %>\n',
        headers: {},
        target: { kind: 'service', serviceId: service.id },
        exclusions: { duplicates: true, denylisted: true, quarantined: true, limit: null },
        serviceId: service.id,
        trackingEnabled: true,
        openTracking: true,
        scheduledAt: null,
        validityEnd: null,
      },
    );
    deliveryId = d.id;
    const m = await addOperator(h.db, 'marketer', ['prepare_deliveries', 'workflow']);
    marketer = new ConsoleClient(h.base);
    await marketer.login(m.login, m.password);
    const p = await addOperator(h.db, 'preparer', ['prepare_deliveries']);
    preparer = new ConsoleClient(h.base);
    await preparer.login(p.login, p.password);
  });
  after(async () => {
    await stack?.stop();
    await h?.close();
  });

  const form = { subjectB: 'Spring sale: 20 % off', percentA: '20', percentB: '20', wait: '4h', criterion: 'clicks' };

  it('is linked from the delivery page and offers the defaults, escaping the label', async () => {
    assert.match((await marketer.get(`/deliveries/${deliveryId}`)).text, new RegExp(`href="/deliveries/${deliveryId}/ab-test"`));
    const page = (await marketer.get(`/deliveries/${deliveryId}/ab-test`)).text;
    assert.match(page, /A\/B test of Spring &lt;sale&gt;/);
    assert.match(page, /name="percentA" [^>]*value="10"/);
    assert.match(page, /name="subjectB" [^>]*value="Spring sale"/);
  });

  const refusals: Array<{ case: string; change: Record<string, string>; problem: RegExp }> = [
    { case: 'shares over 90 % together', change: { percentA: '50', percentB: '45' }, problem: /at most 90 %/ },
    { case: 'a share that is not a whole percentage', change: { percentA: '2.5' }, problem: /percentA: a whole percentage from 1 to 50/ },
    { case: 'a wait shorter than an hour', change: { wait: '10m' }, problem: /wait: a duration from 1h to 30d/ },
    { case: 'an unknown criterion', change: { criterion: 'revenue' }, problem: /criterion: one of opens, clicks, ctr/ },
    { case: 'an empty subject for B', change: { subjectB: '' }, problem: /subjectB: a subject/ },
  ];
  for (const r of refusals) {
    it(`refuses ${r.case}, saying why, and creates nothing`, async () => {
      await marketer.get(`/deliveries/${deliveryId}/ab-test`);
      const reply = await marketer.post(`/deliveries/${deliveryId}/ab-test`, { ...form, ...r.change });
      assert.equal(reply.status, 400);
      assert.match(reply.text, r.problem);
      assert.equal(await h.db.models.Workflow.count({ where: { kind: 'marketing' } }), 0);
    });
  }

  it('refuses an operator without the workflow right, and a post without the CSRF token', async () => {
    await preparer.get(`/deliveries/${deliveryId}`);
    assert.equal((await preparer.post(`/deliveries/${deliveryId}/ab-test`, form)).status, 403);
    assert.equal((await marketer.post(`/deliveries/${deliveryId}/ab-test`, { ...form, _csrf: 'x' })).status, 403);
  });

  it('sets up and starts the workflow; the workflow server sends A and B to 20 % of the service each', async () => {
    await marketer.get(`/deliveries/${deliveryId}/ab-test`);
    const reply = await marketer.post(`/deliveries/${deliveryId}/ab-test`, { ...form, confirm: 'on' });
    assert.equal(reply.status, 303, reply.text.slice(0, 500));
    const wf = (await h.db.models.Workflow.findOne({ where: { name: 'ab-spring-sale' } }))!;
    assert.equal(reply.location, `/workflows/${wf.id}?notice=ab_test_created`);
    assert.equal(wf.state, 'started');
    const activities = (wf.definition as { activities: Array<Record<string, unknown>> }).activities;
    assert.deepEqual(activities.find((a) => a.id === 'target')!.where, { subscribed: 'promo' });
    assert.deepEqual(
      activities.find((a) => a.id === 'pick'),
      { id: 'pick', type: 'abWinner', a: 'sendA', b: 'sendB', criterion: 'clicks', confirm: true, next: 'done' },
    );
    const templates = await h.db.models.Delivery.findAll({
      where: { internalName: ['spring-sale-ab-a', 'spring-sale-ab-b'] },
      order: [['internalName', 'ASC']],
    });
    assert.deepEqual(
      templates.map((t) => [t.isTemplate, t.subject]),
      [
        [true, 'Spring sale'],
        [true, 'Spring sale: 20 % off'],
      ],
    );
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'ab_test_created' } }), 1);
    await stack.engine.poll();
    const [a] = await deliveriesOfActivity(h.db, 'ab-spring-sale', 'sendA');
    const [b] = await deliveriesOfActivity(h.db, 'ab-spring-sale', 'sendB');
    assert.ok((await stack.waitCaptured(a!.id, 4)).every((m) => m.subject === 'Spring sale' && /@example\.com$/.test(m.to)));
    assert.ok((await stack.waitCaptured(b!.id, 4)).every((m) => m.subject === 'Spring sale: 20 % off'));
    const twice = await marketer.post(`/deliveries/${deliveryId}/ab-test`, form);
    assert.equal(twice.status, 409);
    assert.match(twice.text, /exists already/);
  });
});
