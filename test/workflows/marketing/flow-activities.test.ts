import assert from 'node:assert/strict';
import type { Database } from '../../../server/db/connect.js';
import type { Engine } from '../../../server/workflows/engine.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../../server/workflows/lifecycle.js';
import type { Activity } from '../../../server/workflows/marketing/definition.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { fakeClock, seedRecipients, testEngine, type FakeClock } from '../helpers.js';

/** Fork, And-join, Deduplication and Enrichment run by the engine on a real database. */
describe('marketing workflow: fork, and-join, deduplication, enrichment', () => {
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
    const emails = ['ann@example.com', 'ann+news@example.com', 'bob@example.com', 'cy@gmail.com', 'dee@gmail.com', 'Eve+x@Example.org'];
    const ids = await seedRecipients(db, emails, clock.now());
    emails.forEach((e, i) => id.set(e, ids[i]!));
    await db.write((transaction) =>
      db.models.Recipient.update({ fields: { household: 'h1', city: 'Lyon' } }, { where: { id: id.get('cy@gmail.com')! }, transaction }),
    );
    await db.write((transaction) => db.models.Recipient.update({ fields: { household: 'H1 ' } }, { where: { id: id.get('dee@gmail.com')! }, transaction }));
  });
  after(async () => {
    await engine.stop();
    await db.close();
    instance.cleanup();
  });

  const emailsOf = (ids: number[]) => ids.map((n) => [...id].find(([, v]) => v === n)![0]).sort();
  const listMembers = async (name: string) => {
    const list = await db.models.List.findOne({ where: { name } });
    return list ? emailsOf((await db.models.ListMember.findAll({ where: { listId: list.id } })).map((m) => m.recipientId)) : [];
  };
  const startAndRun = async (name: string, activities: Activity[]) => {
    await saveWorkflow(db, { name, definition: { activities } });
    await changeState(db, await requireWorkflow(db, name), 'start', clock.now());
    await engine.poll();
    return (await db.models.WorkflowRun.findAll({ where: { workflowId: (await requireWorkflow(db, name)).id }, order: [['id', 'DESC']], limit: 1 }))[0]!;
  };

  it('forks the whole population to every branch and joins on the recipients that came through all of them', async () => {
    const run = await startAndRun('forked', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'fork' },
      { id: 'fork', type: 'fork', branches: ['gmail', 'notBob', 'tagAll'] },
      { id: 'gmail', type: 'query', where: { field: 'domain', op: 'eq', value: 'gmail.com' }, next: 'join' },
      { id: 'notBob', type: 'exclusion', where: { field: 'email', op: 'eq', value: 'bob@example.com' }, next: 'join' },
      { id: 'tagAll', type: 'update', action: 'addToList', list: 'everyone', next: 'join' },
      { id: 'join', type: 'andJoin', next: 'tagJoined' },
      { id: 'tagJoined', type: 'update', action: 'addToList', list: 'joined', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.deepEqual(run.counts, {
      'go->all': 0,
      'all->fork': 6,
      'fork->gmail': 6,
      'fork->notBob': 6,
      'fork->tagAll': 6,
      'gmail->join': 2,
      'notBob->join': 5,
      'tagAll->join': 6,
      'join->tagJoined': 2,
      'tagJoined->done': 2,
    });
    assert.equal((await listMembers('everyone')).length, 6);
    assert.deepEqual(await listMembers('joined'), ['cy@gmail.com', 'dee@gmail.com']);
  });

  it('does not fire an and-join when a branch ended at a Wait in this wave', async () => {
    const run = await startAndRun('halfJoined', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'fork' },
      { id: 'fork', type: 'fork', branches: ['later', 'now'] },
      { id: 'later', type: 'wait', duration: '1d', next: 'join' },
      { id: 'now', type: 'update', action: 'addToList', list: 'now', next: 'join' },
      { id: 'join', type: 'andJoin', next: 'tagJoined' },
      { id: 'tagJoined', type: 'update', action: 'addToList', list: 'half', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.equal(run.counts!['join.incomplete'], 1);
    assert.equal(run.counts!['join->tagJoined'], undefined);
    assert.deepEqual(await listMembers('half'), []);
  });

  it('deduplicates by mailbox (case and +tags ignored) or by a custom field, sending duplicates to their own output', async () => {
    const run = await startAndRun('dedup', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'byMailbox' },
      { id: 'byMailbox', type: 'dedup', by: 'email', next: 'byHousehold', duplicates: 'tagDup' },
      { id: 'byHousehold', type: 'dedup', by: 'household', next: 'tagKept' },
      { id: 'tagDup', type: 'update', action: 'addToList', list: 'mailbox-duplicates', next: 'done' },
      { id: 'tagKept', type: 'update', action: 'addToList', list: 'kept', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.deepEqual(await listMembers('mailbox-duplicates'), ['ann+news@example.com']);
    assert.deepEqual(
      await listMembers('kept'),
      ['ann@example.com', 'bob@example.com', 'cy@gmail.com', 'eve+x@example.org'].map((e) => [...id.keys()].find((k) => k.toLowerCase() === e)!).sort(),
    );
    assert.deepEqual([run.counts!['byMailbox.duplicates'], run.counts!['byHousehold.duplicates']], [1, 1]);
  });

  it('copies a column of a CSV into a custom field of the matching recipients, keeping values they have unless told to replace them', async () => {
    const csv = 'email,city,ignored\nBOB@example.com,Paris,x\ncy@gmail.com,Nice,y\nnobody@example.com,Rome,z\ndee@gmail.com,,w\n';
    const run = await startAndRun('enrich', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'city' },
      { id: 'city', type: 'enrichment', csv, column: 'city', field: 'city', next: 'parisians' },
      { id: 'parisians', type: 'query', where: { field: 'fields.city', op: 'eq', value: 'Paris' }, next: 'tag' },
      { id: 'tag', type: 'update', action: 'addToList', list: 'parisians', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.equal(run.counts!['city.enriched'], 1, 'bob only: cy already has a city');
    assert.deepEqual(await listMembers('parisians'), ['bob@example.com']);
    const cy = await db.models.Recipient.findByPk(id.get('cy@gmail.com')!);
    assert.deepEqual(cy!.fields, { household: 'h1', city: 'Lyon' });
    assert.ok(await db.models.CustomField.findByPk('city'));
    const again = await startAndRun('enrichOver', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'city' },
      { id: 'city', type: 'enrichment', csv, column: 'city', field: 'city', overwrite: true, next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(again.counts!['city.enriched'], 1, 'cy: Lyon → Nice (bob has Paris already)');
    assert.equal((await db.models.Recipient.findByPk(id.get('cy@gmail.com')!))!.fields!.city, 'Nice');
  });

  it('runs a Scheduler at its slot in its own time zone (09:00 in Paris is 07:00 UTC in summer)', async () => {
    await saveWorkflow(db, {
      name: 'parisMorning',
      definition: {
        activities: [
          { id: 'nine', type: 'scheduler', cron: '0 9 * * *', timezone: 'Europe/Paris', next: 'all' },
          { id: 'all', type: 'query', next: 'tag' },
          { id: 'tag', type: 'update', action: 'addToList', list: 'morning', next: 'done' },
          { id: 'done', type: 'end' },
        ],
      },
    });
    clock.set(new Date('2026-07-01T06:30:00Z'));
    await changeState(db, await requireWorkflow(db, 'parisMorning'), 'start', clock.now());
    clock.set(new Date('2026-07-01T06:58:00Z'));
    await engine.poll();
    const wfId = (await requireWorkflow(db, 'parisMorning')).id;
    assert.equal(await db.models.WorkflowRun.count({ where: { workflowId: wfId } }), 0, 'not yet: 08:58 in Paris');
    clock.set(new Date('2026-07-01T07:05:00Z'));
    await engine.poll();
    const runs = await db.models.WorkflowRun.findAll({ where: { workflowId: wfId } });
    assert.deepEqual(
      runs.map((r) => [r.slot?.toISOString(), r.status, r.version]),
      [['2026-07-01T07:00:00.000Z', 'succeeded', 1]],
    );
    assert.equal((await listMembers('morning')).length, 6);
  });

  it('fails the run visibly, naming the activity, when the CSV lacks the column', async () => {
    const run = await startAndRun('badCsv', [
      { id: 'go', type: 'start', next: 'all' },
      { id: 'all', type: 'query', next: 'city' },
      { id: 'city', type: 'enrichment', csv: 'mail,town\na@b.c,X\n', column: 'town', field: 'city', next: 'done' },
      { id: 'done', type: 'end' },
    ]);
    assert.equal(run.status, 'failed');
    assert.match(run.error!, /activity "city" \(enrichment\) failed: the CSV has no "email" column \(it has: mail, town\)/);
  });
});
