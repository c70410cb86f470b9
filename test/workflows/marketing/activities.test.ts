import assert from 'node:assert/strict';
import { Op } from 'sequelize';
import type { Database } from '../../../server/db/connect.js';
import { addToList, ensureList } from '../../../server/db/repos/memberships.js';
import type { Engine } from '../../../server/workflows/engine.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../../server/workflows/lifecycle.js';
import { randomPick } from '../../../server/workflows/marketing/activities.js';
import type { Activity } from '../../../server/workflows/marketing/definition.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { fakeClock, seedRecipients, testEngine, type FakeClock } from '../helpers.js';

describe('marketing workflow activities', () => {
  let instance: TestInstance;
  let db: Database;
  let clock: FakeClock;
  let engine: Engine;
  const id = new Map<string, number>();

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    clock = fakeClock('2026-04-01T08:00:00Z');
    engine = testEngine(instance, db, clock, { technical: {}, random: () => 0 });
    const emails = ['g1@gmail.com', 'g2@gmail.com', 'e1@example.com', 'e2@example.com', 'e3@example.com', 'e4@example.com', 't1@example.com', 'b1@example.com'];
    const ids = await seedRecipients(db, emails, clock.now());
    emails.forEach((e, i) => id.set(e.split('@')[0]!, ids[i]!));
    await db.write((transaction) => db.models.Service.create({ name: 'news', label: 'News' }, { transaction }));
    await db.write((transaction) => db.models.Recipient.update({ emailFormat: 'text' }, { where: { id: id.get('t1')! }, transaction }));
    await addToList(db, await ensureList(db, 'blocked', 'Blocked', clock.now()), [id.get('b1')!], clock.now());
  });
  after(async () => {
    await engine.stop();
    await db.close();
    instance.cleanup();
  });

  const names = (ids: number[]) => ids.map((n) => [...id].find(([, v]) => v === n)![0]).sort();
  const listMembers = async (name: string) => {
    const list = await db.models.List.findOne({ where: { name } });
    return list ? names((await db.models.ListMember.findAll({ where: { listId: list.id } })).map((m) => m.recipientId)) : [];
  };
  const startAndRun = async (name: string, activities: Activity[]) => {
    await saveWorkflow(db, { name, definition: { activities } });
    await changeState(db, await requireWorkflow(db, name), 'start', clock.now());
    await engine.poll();
    return (await db.models.WorkflowRun.findAll({ order: [['id', 'DESC']], limit: 1 }))[0]!;
  };

  it('picks a random share without repeating anyone, in the original order', () => {
    assert.deepEqual(
      randomPick([5, 6, 7, 8], 2, () => 0),
      [5, 6],
    );
    assert.deepEqual(
      randomPick([5, 6, 7, 8], 2, () => 0.99),
      [5, 8],
    );
    assert.deepEqual(randomPick([5, 6], 5, Math.random).sort(), [5, 6]);
  });

  it('runs a Start workflow once: query, exclusion, split by filter and by share, update data; then it is finished', async () => {
    const run = await startAndRun('segments', [
      { id: 'go', type: 'start', next: 'html' },
      { id: 'html', type: 'query', where: { field: 'emailFormat', op: 'eq', value: 'html' }, next: 'notBlocked' },
      { id: 'notBlocked', type: 'exclusion', where: { inList: 'blocked' }, next: 'split' },
      {
        id: 'split',
        type: 'split',
        segments: [
          { name: 'gmail', where: { field: 'domain', op: 'eq', value: 'gmail.com' }, next: 'tagGmail' },
          { name: 'sample', percent: 50, next: 'subscribe' },
        ],
        remainder: 'done',
      },
      { id: 'tagGmail', type: 'update', action: 'addToList', list: 'gmail-people', next: 'done' },
      { id: 'subscribe', type: 'update', action: 'subscribe', service: 'news', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.deepEqual(run.counts, {
      'go->html': 0,
      'html->notBlocked': 7,
      'notBlocked->split': 6,
      'split->tagGmail': 2,
      'split->subscribe': 3,
      'split->done': 1,
      'tagGmail->done': 2,
      'subscribe->done': 3,
    });
    assert.deepEqual(await listMembers('gmail-people'), ['g1', 'g2']);
    assert.deepEqual(
      names((await db.models.Subscription.findAll({ where: { status: 'active' } })).map((s) => s.recipientId)),
      ['e1', 'e2', 'e3'],
      '50 % of the 6 in the split',
    );
    assert.equal((await requireWorkflow(db, 'segments')).state, 'finished', 'nothing waits in it any more');
  });

  it('tells clickers, openers and the others apart, ignoring automated hits when asked', async () => {
    const now = clock.now();
    const delivery = await db.write((transaction) =>
      db.models.Delivery.create({ internalName: 'newsletter-1', label: 'Newsletter 1', state: 'finished' }, { transaction }),
    );
    await addToList(
      db,
      await ensureList(db, 'audience', 'Audience', now),
      ['e1', 'e2', 'e3', 'e4'].map((n) => id.get(n)!),
      now,
    );
    const hit = (who: string, urlType: 'open' | 'click', bot: string | null = null) => ({
      hitId: `${who}-${urlType}`,
      deliveryId: delivery.id,
      recipientId: id.get(who)!,
      broadLogId: null,
      urlId: null,
      urlType,
      bot,
      loggedAt: now,
      createdAt: now,
    });
    await db.write((transaction) =>
      db.models.TrackingLog.bulkCreate([hit('e1', 'open'), hit('e1', 'click'), hit('e2', 'open'), hit('e3', 'open', 'apple-mpp')], { transaction }),
    );
    const run = await startAndRun('reactions', [
      { id: 'go', type: 'start', next: 'audience' },
      { id: 'audience', type: 'query', where: { inList: 'audience' }, next: 'test' },
      { id: 'test', type: 'reaction', deliveryName: 'newsletter-1', humanOnly: true, clicked: 'c', opened: 'o', neither: 'n' },
      { id: 'c', type: 'update', action: 'addToList', list: 'clickers' },
      { id: 'o', type: 'update', action: 'addToList', list: 'openers' },
      { id: 'n', type: 'update', action: 'addToList', list: 'others' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.deepEqual([await listMembers('clickers'), await listMembers('openers'), await listMembers('others')], [['e1'], ['e2'], ['e3', 'e4']]);
  });

  it('stops a workflow: its waiting populations are dropped', async () => {
    await startAndRun('waiting', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'later' },
      { id: 'later', type: 'wait', duration: '2d', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    const wf = await requireWorkflow(db, 'waiting');
    assert.equal(wf.state, 'started', 'a population still waits');
    assert.equal(await db.models.WorkflowTask.count({ where: { workflowId: wf.id, status: 'waiting' } }), 1);
    assert.deepEqual(await changeState(db, wf, 'stop', clock.now()), { from: 'started', to: 'finished' });
    assert.equal(await db.models.WorkflowTask.count({ where: { workflowId: wf.id, status: 'waiting' } }), 0);
    await assert.rejects(changeState(db, await requireWorkflow(db, 'waiting'), 'pause', clock.now()), /is finished: it cannot pause/);
  });

  it('puts a workflow whose run fails in state failed, with the error in the journal', async () => {
    const run = await startAndRun('broken', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'mail' },
      { id: 'mail', type: 'delivery', template: 'no-such-template' },
    ]);
    assert.equal(run.status, 'failed');
    assert.match(run.error!, /no delivery template named "no-such-template"/);
    assert.equal((await requireWorkflow(db, 'broken')).state, 'failed');
    assert.equal(await db.models.List.count({ where: { name: { [Op.like]: 'wf%' } } }), 0, 'no target list left behind');
  });

  it('refuses to change a started workflow definition', async () => {
    await saveWorkflow(db, {
      name: 'live',
      definition: {
        activities: [
          { id: 'go', type: 'scheduler', cron: '0 9 * * *', next: 'done' },
          { id: 'done', type: 'end' },
        ],
      },
    });
    await changeState(db, await requireWorkflow(db, 'live'), 'start', clock.now());
    await assert.rejects(
      saveWorkflow(db, {
        name: 'live',
        definition: {
          activities: [
            { id: 'go', type: 'start', next: 'done' },
            { id: 'done', type: 'end' },
          ],
        },
      }),
      /pause it first/,
    );
    await changeState(db, await requireWorkflow(db, 'live'), 'pause', clock.now());
    assert.deepEqual(
      await saveWorkflow(db, {
        name: 'live',
        definition: {
          activities: [
            { id: 'go', type: 'scheduler', cron: '30 9 * * *', next: 'done' },
            { id: 'done', type: 'end' },
          ],
        },
      }),
      { name: 'live', result: 'updated' },
    );
    assert.equal((await requireWorkflow(db, 'live')).schedule, '30 9 * * *');
  });
});
