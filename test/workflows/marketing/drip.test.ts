import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { Database } from '../../../server/db/connect.js';
import { SENDING_STATES } from '../../../server/shared/glossary.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../../server/workflows/lifecycle.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { until } from '../../helpers/mta.js';
import { at, DAY, deliveryTargets, fakeClock, HOUR, journal, MINUTE, plus, seedRecipients, seedTemplate, type FakeClock } from '../helpers.js';
import { DRIP } from './drip-definition.js';
import { clickMail, openMail, startSendingStack, type SendingStack } from './sending-stack.js';

/**
 * The welcome / drip series end to end, on a clock moved by hand, through the real parts: subscribe
 * → the workflow analyses and starts the welcome delivery → the MTA sends it (capture transport) →
 * a recipient opens the captured mail (its pixel, over HTTP, on the tracking server) and another
 * clicks its link → the tracking workflow ingests the hit log → 3 days later the reminder goes only
 * to those who did neither, and is captured too.
 */
describe('drip series (marketing workflow), end to end', function () {
  this.timeout(90_000);
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let stack: SendingStack;
  let ann: number, bob: number, cat: number, dan: number;
  let serviceId: number;
  const welcomeAt = at('2026-03-02T10:00:00Z');

  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    db = await openTestDb(instance);
    clock = fakeClock('2026-03-02T09:30:00Z');
    stack = await startSendingStack(instance, db, clock);
    const ids = await seedRecipients(db, ['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com', 'eve@example.com'], clock.now());
    [ann, bob, cat, dan] = ids as [number, number, number, number];
    await seedTemplate(db, 'welcome', clock.now());
    await seedTemplate(db, 'reminder', clock.now());
    serviceId = (await db.write((transaction) => db.models.Service.create({ name: 'newsletter', label: 'Newsletter', doubleOptIn: false }, { transaction })))
      .id;
    await subscribe([ann!, bob!, cat!], plus(clock.now(), -HOUR));
  });
  after(async () => {
    await stack.stop();
    await db.close();
    instance.cleanup();
  });

  const subscribe = (ids: number[], when: Date) =>
    db.write((transaction) =>
      db.models.Subscription.bulkCreate(
        ids.map((recipientId) => ({ serviceId, recipientId, status: 'active' as const, confirmedAt: when, createdAt: when, updatedAt: when })),
        { transaction },
      ),
    );
  const deliveriesFrom = async (template: string) => {
    const t = await db.models.Delivery.findOne({ where: { internalName: template } });
    return db.models.Delivery.findAll({ where: { templateId: t!.id }, order: [['id', 'ASC']] });
  };
  const targetsOf = async (template: string) => Promise.all((await deliveriesFrom(template)).map((d) => deliveryTargets(db, d.id)));
  const addressesOf = async (deliveryId: number, count: number) => (await stack.waitCaptured(deliveryId, count)).map((m) => m.to).sort();
  const lastRun = async () => (await journal(db, 'drip')).at(-1)!;
  const fire = (iso: string) => {
    clock.set(iso);
    return stack.engine.fire('drip', at(iso), 'schedule');
  };

  it('is saved in state editing and started by an operator', async () => {
    assert.deepEqual(await saveWorkflow(db, { name: 'drip', label: 'Welcome series', definition: { activities: DRIP } }), { name: 'drip', result: 'created' });
    const saved = await requireWorkflow(db, 'drip');
    assert.deepEqual([saved.kind, saved.state, saved.schedule], ['marketing', 'editing', '0 * * * *']);
    assert.deepEqual(await changeState(db, saved, 'start', clock.now()), { from: 'editing', to: 'started' });
  });

  it('welcomes the subscribers at the next hourly slot: the delivery is analysed, started and sent by the MTA', async () => {
    const outcome = await fire('2026-03-02T10:00:00Z');
    assert.equal(outcome?.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat]]);
    const [welcome] = await deliveriesFrom('welcome');
    assert.ok(SENDING_STATES.includes(welcome!.state) || welcome!.state === 'finished', `started, not ${welcome!.state}`);
    assert.deepEqual([welcome!.totalTarget, welcome!.toDeliver, welcome!.startedAt?.toISOString()], [3, 3, welcomeAt.toISOString()]);
    assert.deepEqual(await addressesOf(welcome!.id, 3), ['ann@example.com', 'bob@example.com', 'cat@example.com']);
    const mails = await stack.captured(welcome!.id);
    assert.ok(mails.every((m) => m.subject === 'welcome subject' && m.pixel && m.links.length > 0));
    assert.deepEqual((await lastRun()).counts, { 'hourly->newSubscribers': 0, 'newSubscribers->welcome': 3, 'welcome->threeDays': 3, 'threeDays.waiting': 3 });
    const [task] = await db.models.WorkflowTask.findAll();
    assert.equal(task!.dueAt.toISOString(), plus(welcomeAt, 3 * DAY).toISOString());
  });

  it('welcomes each subscriber once: only the new one at the next slot, nobody when none is new', async () => {
    await subscribe([dan!], at('2026-03-02T10:30:00Z'));
    await fire('2026-03-02T11:00:00Z');
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat], [dan]]);
    const [, second] = await deliveriesFrom('welcome');
    assert.deepEqual(await addressesOf(second!.id, 1), ['dan@example.com']);
    await fire('2026-03-02T12:00:00Z');
    assert.equal((await deliveriesFrom('welcome')).length, 2, 'no delivery for an empty population');
    assert.equal((await lastRun()).counts!['newSubscribers->welcome'], 0);
    assert.equal(await db.models.WorkflowTask.count(), 2);
  });

  it('records the opens and clicks that reach the tracking server, once the tracking workflow ingested them', async () => {
    const [welcome] = await deliveriesFrom('welcome');
    const mails = new Map((await stack.captured(welcome!.id)).map((m) => [m.to, m]));
    clock.set(plus(welcomeAt, DAY));
    await openMail(mails.get('ann@example.com')!);
    assert.equal(await clickMail(mails.get('bob@example.com')!), 'https://www.example.org/welcome');
    assert.equal(await db.models.TrackingLog.count(), 0, 'a hit is only in the tracking server log until ingested');
    const ingest = await stack.engine.runNow('tracking');
    assert.equal(ingest.kind === 'ran' && ingest.status, 'succeeded', JSON.stringify(ingest));
    assert.equal(ingest.kind === 'ran' && ingest.counts.inserted, 2);
    const hits = await db.models.TrackingLog.findAll({ order: [['urlType', 'ASC']] });
    const logs = new Map((await db.models.BroadLog.findAll({ where: { deliveryId: welcome!.id } })).map((b) => [b.id, b.address]));
    assert.deepEqual(
      hits.map((h) => [h.urlType, logs.get(h.broadLogId!)]),
      [
        ['click', 'bob@example.com'],
        ['open', 'ann@example.com'],
      ],
    );
  });

  it('after 3 days, reminds only those who neither opened nor clicked the welcome mail', async () => {
    clock.set(plus(welcomeAt, 3 * DAY - MINUTE));
    await stack.engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [], 'not before the 3 days are over');
    clock.set(plus(welcomeAt, 3 * DAY + MINUTE));
    await stack.engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [[cat]]);
    const [reminder] = await deliveriesFrom('reminder');
    assert.deepEqual(await addressesOf(reminder!.id, 1), ['cat@example.com']);
    const resumed = (await journal(db, 'drip')).filter((r) => r.trigger === 'resume');
    assert.equal(resumed.length, 1);
    assert.deepEqual(resumed[0]!.counts, { 'threeDays->opened': 3, 'opened->reminder': 1, 'opened->done': 2, 'reminder->done': 1 });
  });

  it('reminds the later subscriber on their own schedule, and sends nothing twice', async () => {
    clock.set(plus(at('2026-03-02T11:00:00Z'), 3 * DAY + MINUTE));
    await stack.engine.poll();
    await stack.engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [[cat], [dan]]);
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat], [dan]]);
    const [, second] = await deliveriesFrom('reminder');
    assert.deepEqual(await addressesOf(second!.id, 1), ['dan@example.com']);
    // the MTA records a send in its next group commit, just after the message was captured
    await until(async () => (await db.models.BroadLog.count({ where: { status: 'sent' } })) >= 6, 10_000, 'six messages recorded as sent');
    assert.equal(await db.models.BroadLog.count({ where: { status: 'sent' } }), 6, 'four welcome mails and two reminders, each sent once');
    assert.equal(await db.models.BroadLog.count(), 6);
    assert.equal(await db.models.WorkflowTask.count({ where: { status: { [Op.ne]: 'done' } } }), 0);
    assert.equal((await db.models.Workflow.findOne({ where: { name: 'drip' } }))!.state, 'started', 'a scheduled workflow keeps running');
  });

  it('ran the hourly slots node-cron never fired here once per poll, not once per missed slot', async () => {
    const catchups = (await journal(db, 'drip')).filter((r) => r.trigger === 'catchup');
    assert.equal(catchups.length, 3, 'three polls found missed slots (the fourth none), while 3 days of hourly slots went by');
    assert.ok(catchups.every((run) => run.counts!['newSubscribers->welcome'] === 0));
  });
});

describe('a workflow delivery blocked by a control rule', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let stack: SendingStack;

  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    db = await openTestDb(instance);
    clock = fakeClock('2026-03-02T09:30:00Z');
    stack = await startSendingStack(instance, db, clock);
    await seedRecipients(db, ['ann@example.com', 'bob@example.com'], clock.now());
    await seedTemplate(db, 'announce', clock.now());
    // an operator removed the unsubscribe link of the HTML part: the control rule unsubscribe.html blocks the start
    await db.models.Delivery.update({ html: '<p>Big news</p>' }, { where: { internalName: 'announce' } });
  });
  after(async () => {
    await stack.stop();
    await db.close();
    instance.cleanup();
  });

  const definition = {
    activities: [
      { id: 'begin', type: 'start', next: 'everyone' },
      { id: 'everyone', type: 'query', next: 'announce' },
      { id: 'announce', type: 'delivery', template: 'announce', next: 'done' },
      { id: 'done', type: 'end' },
    ],
  };

  it('fails the activity and the run with the rule that blocked it, and the workflow is failed; nothing is sent', async () => {
    await saveWorkflow(db, { name: 'announce', label: 'Announcement', definition });
    await changeState(db, await requireWorkflow(db, 'announce'), 'start', clock.now());
    const outcome = await stack.engine.runNow('announce');
    assert.equal(outcome.kind === 'ran' && outcome.status, 'failed');
    assert.ok(outcome.kind === 'ran');
    assert.match(
      outcome.error!,
      /activity "announce" \(delivery\) failed: the analysis of delivery "wf\d+-r\d+-announce" was blocked by 1 control rule error\(s\): unsubscribe\.html: marketing mail needs an unsubscribe link/,
    );
    assert.deepEqual(outcome.counts, { 'begin->everyone': 0, 'everyone->announce': 2, 'announce.failed': 1 });
    const run = (await journal(db, 'announce')).at(-1)!;
    assert.deepEqual([run.status, run.error], ['failed', outcome.error]);
    assert.equal((await requireWorkflow(db, 'announce')).state, 'failed');
    const delivery = (await db.models.Delivery.findOne({ where: { internalName: { [Op.like]: 'wf%-announce' } } }))!;
    assert.equal(delivery.state, 'editing', 'the delivery waits for the operator to fix it');
    assert.equal(await db.models.BroadLog.count(), 0);
    assert.deepEqual(await stack.captured(delivery.id), []);
  });

  it('sends once the operator fixed the template and started the workflow again; the blocked delivery stays as it was', async () => {
    await db.models.Delivery.update(
      { html: '<p>Big news</p><p><a href="<%= links.unsubscribe %>">Unsubscribe</a></p>' },
      { where: { internalName: 'announce' } },
    );
    await changeState(db, await requireWorkflow(db, 'announce'), 'start', clock.now());
    const outcome = await stack.engine.runNow('announce');
    assert.equal(outcome.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    const [blocked, sent] = await db.models.Delivery.findAll({ where: { internalName: { [Op.like]: 'wf%-announce' } }, order: [['id', 'ASC']] });
    assert.equal(blocked!.state, 'editing');
    assert.deepEqual((await stack.waitCaptured(sent!.id, 2)).map((m) => m.to).sort(), ['ann@example.com', 'bob@example.com']);
  });
});
