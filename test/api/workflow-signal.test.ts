import assert from 'node:assert/strict';
import { changeState, requireWorkflow, saveWorkflow } from '../../server/workflows/lifecycle.js';
import type { Engine } from '../../server/workflows/engine.js';
import { seedRecipients, testEngine } from '../workflows/helpers.js';
import { api, startPublic, type PublicHarness } from '../web/helpers/public.js';

/** A workflow whose entry is a Signal activity, started by an authenticated API call and run by the engine. */
describe('REST API: signalling a workflow', function () {
  this.timeout(60_000);
  let h: PublicHarness;
  let engine: Engine;
  let auth: string;
  const members = async (list: string) => {
    const row = await h.db.models.List.findOne({ where: { name: list } });
    if (!row) return [];
    const ids = (await h.db.models.ListMember.findAll({ where: { listId: row.id } })).map((m) => m.recipientId);
    return (await h.db.models.Recipient.findAll({ where: { id: ids } })).map((r) => r.email).sort();
  };

  before(async () => {
    h = await startPublic();
    h.clock.now = new Date('2026-06-01T10:00:00Z');
    engine = testEngine(h.instance, h.db, { now: () => h.clock.now }, { technical: {} });
    auth = await h.apiKey(['workflows:write'], 'crm');
    await seedRecipients(h.db, ['ann@example.com', 'bob@example.com', 'cy@example.com'], h.clock.now);
    const activities = [
      { id: 'signup', type: 'signal', next: 'tag' },
      { id: 'tag', type: 'update', action: 'addToList', list: 'signalled', next: 'done' },
      { id: 'done', type: 'end' },
    ];
    await saveWorkflow(h.db, { name: 'onSignup', definition: { activities } });
    await saveWorkflow(h.db, {
      name: 'plain',
      definition: {
        activities: [
          { id: 'go', type: 'start', next: 'done' },
          { id: 'done', type: 'end' },
        ],
      },
    });
  });
  after(async () => {
    await engine?.stop();
    await h?.close();
  });

  it('refuses a call without a key, without the scope, for an unknown or not started workflow, or one not started by signals', async () => {
    const other = await h.apiKey(['recipients:write'], 'other');
    await changeState(h.db, await requireWorkflow(h.db, 'plain'), 'start', h.clock.now);
    const CASES: Array<{ case: string; auth: string | undefined; path: string; status: number; code: string }> = [
      { case: 'no key', auth: undefined, path: '/workflows/onSignup/signal', status: 401, code: 'UNAUTHORIZED' },
      { case: 'a key without workflows:write', auth: other, path: '/workflows/onSignup/signal', status: 403, code: 'SCOPE_MISSING' },
      { case: 'an unknown workflow', auth, path: '/workflows/nope/signal', status: 404, code: 'NOT_FOUND' },
      { case: 'a workflow being edited', auth, path: '/workflows/onSignup/signal', status: 409, code: 'WF_BAD_STATE' },
      { case: 'a workflow whose entry is Start', auth, path: '/workflows/plain/signal', status: 409, code: 'WF_NOT_SIGNAL' },
    ];
    for (const c of CASES) {
      const reply = await api(h.base, c.auth, 'POST', c.path, {});
      assert.deepEqual([reply.status, reply.json.error?.code], [c.status, c.code], c.case);
    }
    assert.equal(await h.db.models.WorkflowTask.count(), 1, "only plain's own start");
  });

  it('queues the given recipients at the signal (unknown addresses listed back), audited, and the engine runs the wave on them only', async () => {
    await changeState(h.db, await requireWorkflow(h.db, 'onSignup'), 'start', h.clock.now);
    const none = await api(h.base, auth, 'POST', '/workflows/onSignup/signal', { recipients: ['ghost@example.com'] });
    assert.deepEqual([none.status, none.json.error.code], [422, 'NO_KNOWN_RECIPIENT']);
    const reply = await api(h.base, auth, 'POST', '/workflows/onSignup/signal', { recipients: ['ANN@example.com', 'cy@example.com', 'ghost@example.com'] });
    assert.equal(reply.status, 202);
    assert.deepEqual(
      { ...reply.json, taskId: typeof reply.json.taskId },
      { workflow: 'onSignup', taskId: 'number', recipients: 2, unknown: ['ghost@example.com'] },
    );
    const audit = await h.db.models.AuditEntry.findAll({ where: { action: 'workflow_signalled' } });
    assert.deepEqual(
      audit.map((a) => a.operatorLogin),
      ['api:crm'],
    );
    await engine.poll();
    assert.deepEqual(await members('signalled'), ['ann@example.com', 'cy@example.com']);
    const wf = await requireWorkflow(h.db, 'onSignup');
    assert.equal(wf.state, 'started', 'a signal workflow waits for the next signal');
    const [run] = await h.db.models.WorkflowRun.findAll({ where: { workflowId: wf.id } });
    assert.deepEqual([run!.status, run!.version, run!.counts], ['succeeded', 1, { 'signup->tag': 2, 'tag->done': 2 }]);
  });

  it('refuses a body that is not a list of addresses', async () => {
    const reply = await api(h.base, auth, 'POST', '/workflows/onSignup/signal', { recipients: 'ann@example.com' });
    assert.deepEqual([reply.status, reply.json.error.code], [400, 'VALIDATION_FAILED']);
  });
});
