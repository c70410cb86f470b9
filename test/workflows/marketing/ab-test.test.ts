import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import { confirmAbTest } from '../../../server/workflows/marketing/ab-confirm.js';
import { requireWorkflow } from '../../../server/workflows/lifecycle.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { DAY, fakeClock, journal, MINUTE, plus, type FakeClock } from '../helpers.js';
import { deliveriesOfActivity, launchAbTest, seedAbAudience } from './ab-fixture.js';
import { clickMail, openMail, startSendingStack, type SendingStack } from './sending-stack.js';

/** An A/B test built as a workflow, through the real MTA (capture), tracking server and tracking workflow. */
describe('A/B test workflow', function () {
  this.timeout(90_000);
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let stack: SendingStack;
  const start = new Date('2026-03-02T10:00:00Z');

  before(async () => {
    instance = createInstance('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    db = await openTestDb(instance);
    clock = fakeClock(start);
    stack = await startSendingStack(instance, db, clock);
    for (const prefix of ['auto', 'held']) await seedAbAudience(db, prefix, clock.now());
  });
  after(async () => {
    await stack.stop();
    await db.close();
    instance.cleanup();
  });

  const deliveryOf = (name: string, activity: string) => deliveriesOfActivity(db, name, activity);
  const launch = (name: string, pick: Parameters<typeof launchAbTest>[4]) => launchAbTest(db, stack, clock, name, pick);

  it('sends A and B to 25 % each, picks the variant with more unique opens a day later and sends it to the rest', async () => {
    clock.set(start);
    const { a, b } = await launch('auto', {});
    assert.deepEqual((await journal(db, 'auto')).at(-1)!.counts, {
      'begin->everyone': 0,
      'everyone->split': 20,
      'split->sendA': 5,
      'split->sendB': 5,
      'split->wait': 10,
      'sendA->done': 5,
      'sendB->done': 5,
      'wait.waiting': 10,
    });
    clock.set(plus(start, 2 * 3_600_000));
    await openMail(a[0]!);
    await openMail(a[0]!);
    for (const mail of b.slice(0, 2)) await openMail(mail);
    await clickMail(b[2]!); // a click proves an open
    const ingest = await stack.engine.runNow('tracking');
    assert.equal(ingest.kind === 'ran' && ingest.status, 'succeeded');
    clock.set(plus(start, DAY - MINUTE));
    await stack.engine.poll();
    assert.equal(await db.models.AbTest.count(), 0, 'nothing is decided before the wait is over');
    clock.set(plus(start, DAY + MINUTE));
    await stack.engine.poll();
    const test = (await db.models.AbTest.findOne({ where: { activity: 'pick' } }))!;
    assert.deepEqual(
      [test.criterion, test.winner, test.decidedBy, test.status, test.restSize, test.counts],
      [
        'opens',
        'B',
        'score',
        'sent',
        10,
        { A: { sent: 5, openers: 1, clickers: 0 }, B: { sent: 5, openers: 3, clickers: 1 }, rates: { A: 0.2, B: 0.6 }, humanOnly: true },
      ],
    );
    const [winner] = await deliveryOf('auto', 'pick');
    assert.equal(test.winnerDeliveryId, winner!.id);
    const rest = await stack.waitCaptured(winner!.id, 10);
    assert.ok(
      rest.every((m) => m.subject === 'auto-b subject'),
      'the rest gets the winning content',
    );
    const everyone = [...a, ...b, ...rest].map((m) => m.to).sort();
    assert.deepEqual(everyone, Array.from({ length: 20 }, (_, i) => `r${i}@auto.example.com`).sort(), 'everyone got exactly one message');
    assert.equal((await journal(db, 'auto')).at(-1)!.counts!['pick.winnerB'], 10);
  });

  it('holds the rest until an operator confirms, then sends the winner; no data picks A, the control', async () => {
    clock.set(plus(start, 10 * DAY));
    await launch('held', { confirm: true, criterion: 'clicks' });
    clock.set(plus(start, 11 * DAY + MINUTE));
    await stack.engine.poll();
    const test = (await db.models.AbTest.findOne({ where: { status: 'awaiting_confirmation' } }))!;
    assert.deepEqual([test.winner, test.decidedBy, test.criterion], ['A', 'no_data', 'clicks']);
    assert.equal((await db.models.WorkflowTask.findByPk(test.taskId!))!.status, 'held');
    await stack.engine.poll();
    assert.deepEqual(await deliveryOf('held', 'pick'), [], 'nothing is sent before the confirmation');
    await assert.rejects(confirmAbTest(db, test.id + 1000, 'admin', clock.now()), /no A\/B test/);
    const confirmed = await confirmAbTest(db, test.id, 'admin', clock.now());
    assert.deepEqual([confirmed.status, confirmed.confirmedBy], ['confirmed', 'admin']);
    await assert.rejects(confirmAbTest(db, test.id, 'admin', clock.now()), /the A\/B test is confirmed: there is nothing to confirm/);
    await stack.engine.poll();
    const [winner] = await deliveryOf('held', 'pick');
    const rest = await stack.waitCaptured(winner!.id, 10);
    assert.ok(rest.every((m) => m.subject === 'held-a subject'));
    assert.equal((await db.models.AbTest.findByPk(test.id))!.status, 'sent');
    assert.equal((await requireWorkflow(db, 'held')).state, 'finished', 'a Start workflow finishes once nothing waits in it');
  });
});
