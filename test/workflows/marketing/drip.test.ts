import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { Database } from '../../../server/db/connect.js';
import type { Engine } from '../../../server/workflows/engine.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../../server/workflows/lifecycle.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { at, DAY, deliveryTargets, fakeClock, HOUR, MINUTE, plus, seedRecipients, seedTemplate, testEngine, type FakeClock } from '../helpers.js';
import { DRIP } from './drip-definition.js';

/**
 * The welcome / drip series end to end, on a clock moved by hand: subscribe → welcome mail → wait
 * 3 days → reminder to those who did not open the welcome mail.
 */
describe('drip series (marketing workflow)', () => {
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let engine: Engine;
  let ann: number, bob: number, cat: number, dan: number, eve: number;
  let serviceId: number;
  const welcomeAt = at('2026-03-02T10:00:00Z');

  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n');
    db = await openTestDb(instance);
    clock = fakeClock('2026-03-02T09:30:00Z');
    engine = testEngine(instance, db, clock, { technical: {} });
    const ids = await seedRecipients(db, ['ann@example.com', 'bob@example.com', 'cat@example.com', 'dan@example.com', 'eve@example.com'], clock.now());
    [ann, bob, cat, dan, eve] = ids as [number, number, number, number, number];
    await seedTemplate(db, 'welcome', clock.now());
    await seedTemplate(db, 'reminder', clock.now());
    serviceId = (await db.write((transaction) => db.models.Service.create({ name: 'newsletter', label: 'Newsletter', doubleOptIn: false }, { transaction })))
      .id;
    await subscribe([ann!, bob!, cat!], plus(clock.now(), -HOUR));
  });
  after(async () => {
    await engine.stop();
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
  const lastRun = async () => (await db.models.WorkflowRun.findAll({ order: [['id', 'DESC']], limit: 1 }))[0]!;
  const fire = (iso: string) => {
    clock.set(iso);
    return engine.fire('drip', at(iso), 'schedule');
  };

  it('is saved in state editing and started by an operator', async () => {
    assert.deepEqual(await saveWorkflow(db, { name: 'drip', label: 'Welcome series', definition: { activities: DRIP } }), { name: 'drip', result: 'created' });
    const saved = await requireWorkflow(db, 'drip');
    assert.deepEqual([saved.kind, saved.state, saved.schedule], ['marketing', 'editing', '0 * * * *']);
    assert.deepEqual(await changeState(db, saved, 'start', clock.now()), { from: 'editing', to: 'started' });
  });

  it('welcomes the subscribers at the next hourly slot, and makes them wait 3 days', async () => {
    const outcome = await fire('2026-03-02T10:00:00Z');
    assert.equal(outcome?.kind === 'ran' && outcome.status, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat]]);
    const [welcome] = await deliveriesFrom('welcome');
    assert.deepEqual([welcome!.state, welcome!.isTemplate, welcome!.subject], ['targeting_pending', false, 'welcome subject']);
    assert.deepEqual((await lastRun()).counts, { 'hourly->newSubscribers': 0, 'newSubscribers->welcome': 3, 'welcome->threeDays': 3, 'threeDays.waiting': 3 });
    const [task] = await db.models.WorkflowTask.findAll();
    assert.equal(task!.dueAt.toISOString(), plus(welcomeAt, 3 * DAY).toISOString());
  });

  it('welcomes each subscriber once: only the new one at the next slot, nobody when none is new', async () => {
    await subscribe([dan!], at('2026-03-02T10:30:00Z'));
    await fire('2026-03-02T11:00:00Z');
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat], [dan]]);
    await fire('2026-03-02T12:00:00Z');
    assert.equal((await deliveriesFrom('welcome')).length, 2, 'no delivery for an empty population');
    assert.equal((await lastRun()).counts!['newSubscribers->welcome'], 0);
    assert.equal(await db.models.WorkflowTask.count(), 2);
  });

  it('after 3 days, reminds only those who did not open the welcome mail', async () => {
    const [welcome] = await deliveriesFrom('welcome');
    const hit = (recipientId: number, urlType: 'open' | 'click', n: number) => ({
      hitId: `hit-${n}`,
      deliveryId: welcome!.id,
      recipientId,
      broadLogId: null,
      urlId: null,
      urlType,
      loggedAt: plus(welcomeAt, DAY),
      createdAt: plus(welcomeAt, DAY),
    });
    await db.write((transaction) => db.models.TrackingLog.bulkCreate([hit(ann!, 'open', 1), hit(bob!, 'click', 2), hit(eve!, 'open', 3)], { transaction }));
    clock.set(plus(welcomeAt, 3 * DAY - MINUTE));
    await engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [], 'not before the 3 days are over');
    clock.set(plus(welcomeAt, 3 * DAY + MINUTE));
    await engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [[cat]]);
    const resumed = (await db.models.WorkflowRun.findAll({ where: { trigger: 'resume' } }))!;
    assert.equal(resumed.length, 1);
    assert.deepEqual(resumed[0]!.counts, { 'threeDays->opened': 3, 'opened->reminder': 1, 'opened->done': 2, 'reminder->done': 1 });
  });

  it('reminds the later subscriber on their own schedule, and sends nothing twice', async () => {
    clock.set(plus(at('2026-03-02T11:00:00Z'), 3 * DAY + MINUTE));
    await engine.poll();
    await engine.poll();
    assert.deepEqual(await targetsOf('reminder'), [[cat], [dan]]);
    assert.deepEqual(await targetsOf('welcome'), [[ann, bob, cat], [dan]]);
    assert.equal(await db.models.WorkflowTask.count({ where: { status: { [Op.ne]: 'done' } } }), 0);
    assert.equal((await db.models.Workflow.findOne({ where: { name: 'drip' } }))!.state, 'started', 'a scheduled workflow keeps running');
  });

  it('ran the hourly slots node-cron never fired here once per poll, not once per missed slot', async () => {
    const catchups = await db.models.WorkflowRun.findAll({ where: { trigger: 'catchup' } });
    assert.equal(catchups.length, 3, 'three polls found missed slots (the fourth none), while 3 days of hourly slots went by');
    assert.ok(catchups.every((run) => run.counts!['newSubscribers->welcome'] === 0));
  });
});
