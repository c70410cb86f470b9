import assert from 'node:assert/strict';
import { requireWorkflow } from '../../server/workflows/lifecycle.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** The workflow editor over HTTP: a draft built activity by activity, validated forms, versions at start. */
describe('console: workflow editor', function () {
  this.timeout(60_000);
  let h: ConsoleHarness;
  let op: ConsoleClient;
  let viewer: ConsoleClient;
  let wfId: number;

  before(async () => {
    h = await startConsole('[wfserver]\ntimezone = "UTC"\n');
    h.clock.now = new Date('2026-05-04T09:00:00Z');
    const marketer = await addOperator(h.db, 'marketer', ['workflow']);
    op = new ConsoleClient(h.base);
    await op.login(marketer.login, marketer.password);
    const other = await addOperator(h.db, 'viewer', []);
    viewer = new ConsoleClient(h.base);
    await viewer.login(other.login, other.password);
  });
  after(async () => {
    await h?.close();
  });

  const add = async (type: string, id: string, after = '') => {
    await op.get(`/workflows/${wfId}/edit`);
    return op.post(`/workflows/${wfId}/activities`, { type, id, after });
  };
  const configure = async (id: string, form: Record<string, string>) => {
    await op.get(`/workflows/${wfId}/activities/${id}`);
    return op.post(`/workflows/${wfId}/activities/${id}`, form);
  };
  const draft = async () => (await h.db.models.Workflow.findByPk(wfId))!;

  it('creates a workflow from a name and a label, refusing a bad or taken name with the field named', async () => {
    await op.get('/workflows/new');
    const bad = await op.post('/workflows/new', { name: '1 bad', label: 'Welcome' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /<span class="field-error" id="name-error">An internal name: letters/);
    const made = await op.post('/workflows/new', { name: 'welcome', label: 'Welcome series' });
    assert.equal(made.status, 303);
    wfId = (await requireWorkflow(h.db, 'welcome')).id;
    assert.equal(made.location, `/workflows/${wfId}/edit?notice=created`);
    const again = await op.post('/workflows/new', { name: 'welcome', label: 'Again' });
    assert.equal(again.status, 422);
    assert.match(again.text, /exists already/);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'workflow_created' } }), 1);
  });

  it('shows the draft as a diagram with a link to each activity and says why it cannot start yet', async () => {
    const page = (await op.get(`/workflows/${wfId}/edit`)).text;
    assert.match(page, /<svg class="chart wf-diagram"[^>]*aria-label="Welcome series: the draft being edited"/);
    assert.match(page, new RegExp(`<a href="/workflows/${wfId}/activities/start" class="wf-node" data-activity="start"><title>start: start</title>`));
    assert.match(page, /<li>start\.next: missing target \(link it to an activity\)<\/li>/);
  });

  it('adds activities linked after an output, and refuses a taken id, an unknown type or output with the field named', async () => {
    const CASES: Array<{ type: string; id: string; after: string; field: string; message: RegExp }> = [
      { type: 'query', id: 'start', after: '', field: 'id', message: /has an activity with this id already/ },
      { type: 'javascript', id: 'js', after: '', field: 'type', message: /Choose one of the activity types/ },
      { type: 'query', id: 'q', after: 'start:nowhere', field: 'after', message: /Choose an output of an existing activity/ },
      { type: 'query', id: '9q', after: '', field: 'id', message: /An activity id: letters/ },
    ];
    for (const c of CASES) {
      const reply = await add(c.type, c.id, c.after);
      assert.equal(reply.status, 422, c.id);
      assert.match(reply.text, new RegExp(`<span class="field-error" id="${c.field}-error">[^<]*${c.message.source}`), c.id);
    }
    const steps: Array<[string, string, string]> = [
      ['query', 'newSubscribers', 'start:next'],
      ['delivery', 'welcomeMail', 'newSubscribers:next'],
      ['wait', 'threeDays', 'welcomeMail:next'],
      ['reaction', 'opened', 'threeDays:next'],
      ['delivery', 'reminder', 'opened:neither'],
      ['end', 'done', 'reminder:next'],
    ];
    for (const [type, id, after] of steps) {
      const reply = await add(type, id, after);
      assert.equal(reply.status, 303, id);
      assert.equal(reply.location, `/workflows/${wfId}/activities/${id}?notice=created`);
    }
    const def = (await draft()).draft as { activities: Array<{ id: string; next?: string; neither?: string }> };
    assert.deepEqual(
      def.activities.map((a) => [a.id, a.next ?? a.neither ?? null]),
      [
        ['start', 'newSubscribers'],
        ['newSubscribers', 'welcomeMail'],
        ['welcomeMail', 'threeDays'],
        ['threeDays', 'opened'],
        ['opened', 'reminder'],
        ['reminder', 'done'],
        ['done', null],
      ],
    );
  });

  it('configures an activity with a validated form: each error names its field and nothing is saved', async () => {
    const CASES: Array<{ id: string; form: Record<string, string>; field: string; message: RegExp }> = [
      { id: 'newSubscribers', form: { where: '{ "subscribed": ', next: 'welcomeMail' }, field: 'where', message: /where: not valid JSON/ },
      { id: 'newSubscribers', form: { where: '{ "field": "x", "op": "eq", "value": 1 }' }, field: 'where', message: /where\.field: expected one of/ },
      { id: 'threeDays', form: { duration: 'three days', next: 'opened' }, field: 'duration', message: /duration: expected a duration such as/ },
      { id: 'welcomeMail', form: { template: '', next: 'threeDays' }, field: 'template', message: /template: expected a name/ },
    ];
    const before = JSON.stringify((await draft()).draft);
    for (const c of CASES) {
      const reply = await configure(c.id, c.form);
      assert.equal(reply.status, 422, c.id);
      assert.match(reply.text, new RegExp(`<span class="field-error" id="${c.field}-error" role="alert">[^<]*${c.message.source}`), c.id);
      assert.match(reply.text, new RegExp(`name="${c.field}"[^>]*aria-invalid="true"`));
    }
    assert.equal(JSON.stringify((await draft()).draft), before);
    const ok: Array<[string, Record<string, string>]> = [
      ['newSubscribers', { where: '{ "subscribed": "newsletter" }', incremental: 'on', next: 'welcomeMail' }],
      ['welcomeMail', { template: 'welcome', next: 'threeDays', label: 'Welcome mail' }],
      ['threeDays', { duration: '3d', next: 'opened' }],
      ['opened', { delivery: 'welcomeMail', neither: 'reminder', opened: 'done' }],
      ['reminder', { template: 'reminder', next: 'done' }],
    ];
    for (const [id, form] of ok) assert.equal((await configure(id, form)).status, 303, id);
    const page = (await op.get(`/workflows/${wfId}/edit`)).text;
    assert.match(page, /The draft is complete: it can be started/);
    assert.match(page, /<title>welcomeMail: delivery \(Welcome mail\)<\/title>/);
  });

  it('refuses to start a draft that does not validate, saying why (unreachable activity, missing target, cycle)', async () => {
    const CASES: Array<{ case: string; edit: () => Promise<unknown>; problem: RegExp }> = [
      { case: 'an unreachable activity', edit: () => add('end', 'orphan'), problem: /activity "orphan" cannot be reached from the entry "start"/ },
      { case: 'a missing target', edit: () => add('wait', 'limbo', 'opened:clicked'), problem: /limbo\.next: missing target/ },
      {
        case: 'a cycle',
        edit: async () => {
          await op.get(`/workflows/${wfId}/activities/orphan`);
          await op.post(`/workflows/${wfId}/activities/orphan/remove`);
          return configure('limbo', { duration: '1d', next: 'opened' });
        },
        problem: /the activities form a cycle: opened → limbo → opened/,
      },
    ];
    for (const c of CASES) {
      await c.edit();
      await op.get(`/workflows/${wfId}`);
      const reply = await op.post(`/workflows/${wfId}/start`);
      assert.equal(reply.status, 409, c.case);
      assert.match(reply.text, new RegExp(`workflow &quot;welcome&quot; cannot start: .*${c.problem.source.replace(/"/g, '&quot;')}`), c.case);
    }
    assert.equal((await draft()).state, 'editing');
    for (const id of ['limbo']) {
      await op.get(`/workflows/${wfId}/activities/${id}`);
      assert.equal((await op.post(`/workflows/${wfId}/activities/${id}/remove`)).status, 303);
    }
    const def = (await draft()).draft as { activities: Array<{ id: string; clicked?: string }> };
    assert.equal(def.activities.find((a) => a.id === 'opened')!.clicked, undefined, 'the transition to a removed activity is gone');
  });

  it('starts the draft as version 1; editing a started workflow makes a draft and leaves the running version alone', async () => {
    await op.get(`/workflows/${wfId}`);
    assert.equal((await op.post(`/workflows/${wfId}/start`)).status, 303);
    let wf = await draft();
    assert.deepEqual([wf.state, wf.version, wf.draft, wf.schedule], ['started', 1, null, null]);
    const versions = await h.db.models.WorkflowVersion.findAll({ where: { workflowId: wfId } });
    assert.deepEqual(
      versions.map((v) => [v.version, v.createdBy]),
      [[1, 'marketer']],
    );
    assert.equal(await h.db.models.WorkflowTask.count({ where: { workflowId: wfId, activity: 'start' } }), 1);
    assert.equal((await configure('threeDays', { duration: '2d', next: 'opened' })).status, 303);
    wf = await draft();
    const waitOf = (d: unknown) => (d as { activities: Array<{ id: string; duration?: string }> }).activities.find((a) => a.id === 'threeDays')!.duration;
    assert.deepEqual([wf.version, waitOf(wf.definition), waitOf(wf.draft)], [1, '3d', '2d']);
    const page = (await op.get(`/workflows/${wfId}/edit`)).text;
    assert.match(page, /it becomes version 2 when the workflow is started/);
    await op.post(`/workflows/${wfId}/pause`);
    await op.get(`/workflows/${wfId}`);
    assert.equal((await op.post(`/workflows/${wfId}/start`)).status, 303);
    wf = await draft();
    assert.deepEqual([wf.state, wf.version, waitOf(wf.definition), wf.draft], ['started', 2, '2d', null]);
  });

  it('asks a started workflow to run now (a task at its entry, audited), and refuses one that is not started', async () => {
    const tasks = () => h.db.models.WorkflowTask.count({ where: { workflowId: wfId, activity: 'start' } });
    const before = await tasks();
    await op.get(`/workflows/${wfId}`);
    const reply = await op.post(`/workflows/${wfId}/run`);
    assert.deepEqual([reply.status, reply.location], [303, `/workflows/${wfId}?notice=run_requested`]);
    assert.equal(await tasks(), before + 1);
    assert.equal(await h.db.models.AuditEntry.count({ where: { action: 'workflow_run_requested' } }), 1);
    await op.post(`/workflows/${wfId}/stop`);
    await op.get(`/workflows/${wfId}/edit`);
    const refused = await op.post(`/workflows/${wfId}/run`);
    assert.equal(refused.status, 409);
    assert.match(refused.text, /Only a started workflow runs now/);
  });

  it('configures each new activity with its own validated form, and starts a scheduler in its time zone', async () => {
    await op.get('/workflows/new');
    const made = await op.post('/workflows/new', { name: 'kinds', label: 'Every kind' });
    const kindsId = Number(/\/workflows\/(\d+)\/edit/.exec(made.location!)![1]);
    const addTo = async (type: string, id: string, after = '') => {
      await op.get(`/workflows/${kindsId}/edit`);
      return op.post(`/workflows/${kindsId}/activities`, { type, id, after });
    };
    const form = async (id: string, fields: Record<string, string>) => {
      await op.get(`/workflows/${kindsId}/activities/${id}`);
      return op.post(`/workflows/${kindsId}/activities/${id}`, fields);
    };
    await op.get(`/workflows/${kindsId}/activities/start`);
    assert.equal((await op.post(`/workflows/${kindsId}/activities/start/remove`)).status, 303);
    const steps: Array<[string, string, string]> = [
      ['scheduler', 'weekly', ''],
      ['fork', 'fork', 'weekly:next'],
      ['dedup', 'dedup', 'fork:branch'],
      ['enrichment', 'enrich', 'fork:branch'],
      ['andJoin', 'join', 'dedup:next'],
      ['end', 'done', 'join:next'],
    ];
    for (const [type, id, after] of steps) assert.equal((await addTo(type, id, after)).status, 303, id);
    const CASES: Array<{ id: string; bad: Record<string, string>; field: string; message: RegExp; good: Record<string, string> }> = [
      {
        id: 'weekly',
        bad: { cron: '0 9 * * 1', timezone: 'Paris', next: 'fork' },
        field: 'timezone',
        message: /timezone: expected an IANA time zone name/,
        good: { cron: '0 9 * * 1', timezone: 'Europe/Paris', next: 'fork' },
      },
      {
        id: 'fork',
        bad: { branches: 'dedup' },
        field: 'branches',
        message: /branches: expected 2–10 different activity ids/,
        good: { branches: 'dedup, enrich' },
      },
      { id: 'dedup', bad: { by: 'E mail', next: 'join' }, field: 'by', message: /by: expected &quot;email&quot;/, good: { by: 'household', next: 'join' } },
      {
        id: 'enrich',
        bad: { csv: 'email,city\na@x.org,Paris', column: 'city', field: 'City', next: 'join' },
        field: 'field',
        message: /field: expected a custom field name/,
        good: { csv: 'email,city\na@x.org,Paris', column: 'city', field: 'city', next: 'join' },
      },
      { id: 'join', bad: { next: 'nowhere' }, field: 'next', message: /next: expected an activity id|no activity/, good: { next: 'done' } },
    ];
    for (const c of CASES) {
      const bad = await form(c.id, c.bad);
      if (c.id !== 'join') {
        assert.equal(bad.status, 422, c.id);
        assert.match(bad.text, new RegExp(`<span class="field-error" id="${c.field}-error" role="alert">[^<]*${c.message.source}`), c.id);
      }
      assert.equal((await form(c.id, c.good)).status, 303, c.id);
    }
    const page = (await op.get(`/workflows/${kindsId}/edit`)).text;
    assert.match(page, /The draft is complete: it can be started/);
    assert.match(page, /data-edge="fork-&gt;dedup"/);
    assert.match(page, /data-edge="enrich-&gt;join"/);
    await op.get(`/workflows/${kindsId}`);
    assert.equal((await op.post(`/workflows/${kindsId}/start`)).status, 303);
    const wf = (await h.db.models.Workflow.findByPk(kindsId))!;
    assert.deepEqual([wf.state, wf.schedule, wf.version], ['started', 'CRON_TZ=Europe/Paris 0 9 * * 1', 1]);
    await op.post(`/workflows/${kindsId}/stop`);
  });

  it('refuses every change without the CSRF token or the workflow right', async () => {
    const posts: Array<[string, Record<string, string>]> = [
      ['/workflows/new', { name: 'x', label: 'x' }],
      [`/workflows/${wfId}/activities`, { type: 'end', id: 'x' }],
      [`/workflows/${wfId}/activities/done`, {}],
      [`/workflows/${wfId}/activities/done/remove`, {}],
      [`/workflows/${wfId}/run`, {}],
    ];
    const before = JSON.stringify((await draft()).draft);
    for (const [path, form] of posts) {
      assert.equal((await op.post(path, { ...form, _csrf: 'forged' })).status, 403, path);
      await viewer.get('/');
      assert.equal((await viewer.post(path, form)).status, 403, path);
    }
    assert.equal((await viewer.get(`/workflows/${wfId}/edit`)).status, 403);
    assert.equal(JSON.stringify((await draft()).draft), before);
    assert.equal(await h.db.models.Workflow.count({ where: { name: 'x' } }), 0);
  });
});
