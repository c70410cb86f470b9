import assert from 'node:assert/strict';
import type { AbTest } from '../../server/db/models/index.js';
import { requireWorkflow } from '../../server/workflows/lifecycle.js';
import { fakeClock, type FakeClock } from '../workflows/helpers.js';
import { decideAbTest, deliveriesOfActivity, seedAbAudience } from '../workflows/marketing/ab-fixture.js';
import { startSendingStack, type SendingStack } from '../workflows/marketing/sending-stack.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** The A/B report on a workflow's page and the confirmation of its winner, over HTTP, on a test the workflow server decided. */
describe('console: A/B tests of a workflow', function () {
  this.timeout(90_000);
  let h: ConsoleHarness;
  let clock: FakeClock;
  let stack: SendingStack;
  let admin: ConsoleClient;
  let viewer: ConsoleClient;
  let test: AbTest;
  let workflowId: number;

  before(async () => {
    h = await startConsole('[wfserver]\ntimezone = "UTC"\n[mta]\ntransport = "capture"\nidlePollMs = 50\ncommitIntervalMs = 10\n');
    clock = fakeClock('2026-03-02T10:00:00Z');
    h.clock.now = clock.now();
    stack = await startSendingStack(h.instance, h.db, clock);
    await seedAbAudience(h.db, 'spring', clock.now());
    test = await decideAbTest(h.db, stack, clock, 'spring', { confirm: true });
    workflowId = (await requireWorkflow(h.db, 'spring')).id;
    const op = await addOperator(h.db, 'marketer', ['workflow']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    const other = await addOperator(h.db, 'viewer', []);
    viewer = new ConsoleClient(h.base);
    await viewer.login(other.login, other.password);
  });
  after(async () => {
    await stack?.stop();
    await h?.close();
  });

  it('shows A and B side by side with the counts the decision used, and the winner waiting for confirmation', async () => {
    const page = (await admin.get(`/workflows/${workflowId}`)).text;
    assert.match(page, /<h2>A\/B tests<\/h2>/);
    assert.match(page, /waiting for confirmation/);
    const cells = (label: string) =>
      [...new RegExp(`<th scope="row">${label}</th>(.*?)</tr>`).exec(page)![1]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(cells('Messages sent'), ['5', '5']);
    assert.deepEqual(cells('Unique openers'), ['1', '3']);
    assert.deepEqual(cells('Open rate \\(openers / sent\\)'), ['20.0 %', '60.0 %']);
    assert.match(page, /Variant B<\/a> <span class="badge ab-winner-badge">winner<\/span>/);
    assert.match(page, /Send B to the rest \(10\)/);
    assert.match(page, /<link rel="stylesheet" href="\/static\/ab-tests.css">/);
    assert.equal((await admin.get('/static/ab-tests.css')).status, 200);
  });

  it('refuses a confirmation without the CSRF token, or from an operator without the workflow right', async () => {
    assert.equal((await admin.post(`/workflows/${workflowId}/ab-tests/${test.id}/confirm`, { _csrf: 'forged' })).status, 403);
    await viewer.get('/');
    assert.equal((await viewer.post(`/workflows/${workflowId}/ab-tests/${test.id}/confirm`)).status, 403);
    assert.equal((await h.db.models.AbTest.findByPk(test.id))!.status, 'awaiting_confirmation');
  });

  it('confirms the winner (audited), and the workflow server sends it to the rest at its next poll', async () => {
    await admin.get(`/workflows/${workflowId}`);
    const reply = await admin.post(`/workflows/${workflowId}/ab-tests/${test.id}/confirm`);
    assert.equal(reply.status, 303);
    assert.equal(reply.location, `/workflows/${workflowId}?notice=ab_test_confirmed`);
    const confirmed = (await h.db.models.AbTest.findByPk(test.id))!;
    assert.deepEqual([confirmed.status, confirmed.confirmedBy], ['confirmed', 'marketer']);
    assert.equal((await h.db.models.WorkflowTask.findByPk(confirmed.taskId!))!.status, 'waiting');
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'ab_test_confirmed' } }), 1);
    const again = await admin.post(`/workflows/${workflowId}/ab-tests/${test.id}/confirm`);
    assert.equal(again.status, 409);
    assert.match(again.text, /the A\/B test is confirmed: there is nothing to confirm/);
    await stack.engine.poll();
    const [winner] = await deliveriesOfActivity(h.db, 'spring', 'pick');
    const rest = await stack.waitCaptured(winner!.id, 10);
    assert.ok(rest.every((m) => m.subject === 'spring-b subject'));
    const page = (await admin.get(`/workflows/${workflowId}`)).text;
    assert.match(page, /winner sent/);
    assert.match(page, new RegExp(`<a href="/deliveries/${winner!.id}">Winner sent to the rest \\(10 recipients\\)`));
    assert.match(page, /Confirmed by marketer/);
  });
});
