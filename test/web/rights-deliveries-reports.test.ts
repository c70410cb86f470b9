import assert from 'node:assert/strict';
import { createDelivery } from '../../server/db/repos/delivery-state.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { NAMED_RIGHTS, type NamedRight } from '../../server/shared/glossary.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';

/** The right each route of the delivery, report, monitoring and workflow areas needs (none: any operator). */
/** The right a route needs; a list: it needs all of them. */
const RIGHTS: Record<string, NamedRight | 'none' | NamedRight[]> = {
  'GET /deliveries': 'none',
  'GET /deliveries/templates': 'none',
  'GET /deliveries/new': 'prepare_deliveries',
  'GET /deliveries/new/visual': 'prepare_deliveries',
  'GET /deliveries/templates/new': 'prepare_deliveries',
  'POST /deliveries': 'prepare_deliveries',
  'POST /deliveries/templates': 'prepare_deliveries',
  'GET /deliveries/:id': 'none',
  'GET /deliveries/:id/edit': 'prepare_deliveries',
  'GET /deliveries/:id/visual': 'prepare_deliveries',
  'POST /deliveries/:id': 'prepare_deliveries',
  'POST /deliveries/:id/analyse': 'prepare_deliveries',
  'POST /deliveries/:id/proof': 'prepare_deliveries',
  'POST /deliveries/:id/start': 'start_deliveries',
  'POST /deliveries/:id/pause': 'start_deliveries',
  'POST /deliveries/:id/resume': 'start_deliveries',
  'POST /deliveries/:id/stop': 'start_deliveries',
  'GET /deliveries/:id/preview': 'none',
  'GET /deliveries/:id/preview/html': 'none',
  'GET /deliveries/:id/dashboard': 'none',
  'GET /deliveries/:id/progress': 'none',
  'GET /reports': 'view_reports',
  'GET /reports/definitions': 'view_reports',
  'GET /reports/deliveries/:id': 'view_reports',
  'GET /reports/deliveries/:id/summary.csv': 'view_reports',
  'GET /reports/deliveries/:id/tracking': 'view_reports',
  'GET /reports/deliveries/:id/tracking.csv': 'view_reports',
  'GET /reports/deliveries/:id/links': 'view_reports',
  'GET /reports/deliveries/:id/links.csv': 'view_reports',
  'GET /reports/deliveries/:id/failures': 'view_reports',
  'GET /reports/deliveries/:id/failures.csv': 'view_reports',
  'GET /reports/domains': 'view_reports',
  'GET /reports/domains.csv': 'view_reports',
  'GET /reports/throughput': 'view_reports',
  'GET /reports/throughput.csv': 'view_reports',
  'GET /reports/quarantines': 'view_reports',
  'GET /reports/quarantines.csv': 'view_reports',
  'GET /reports/subscriptions': 'view_reports',
  'GET /reports/subscriptions.csv': 'view_reports',
  'GET /monitoring': 'view_reports',
  'GET /monitoring/bounce-rules': 'view_reports',
  'GET /monitoring/bounce-texts': 'view_reports',
  'POST /monitoring/blocks': 'start_deliveries',
  'POST /monitoring/bounce-texts/:id': 'admin',
  'GET /monitoring/inbound': 'view_reports',
  'GET /monitoring/inbound/:id': 'view_reports',
  'POST /monitoring/inbound/:id/review': 'admin',
  'GET /content': 'none',
  'GET /content/templates/new': 'prepare_deliveries',
  'POST /content/templates': 'prepare_deliveries',
  'GET /content/blocks': 'none',
  'GET /content/blocks/new': 'prepare_deliveries',
  'GET /content/blocks/:id': 'none',
  'POST /content/blocks': 'prepare_deliveries',
  'POST /content/blocks/:id': 'prepare_deliveries',
  'GET /content/pages': 'none',
  'GET /content/pages/new': 'prepare_deliveries',
  'GET /content/pages/:id': 'none',
  'GET /content/pages/new/visual': 'prepare_deliveries',
  'GET /content/pages/:id/visual': 'prepare_deliveries',
  'POST /content/pages': 'prepare_deliveries',
  'POST /content/pages/:id': 'prepare_deliveries',
  'POST /content/pages/:id/publish': 'prepare_deliveries',
  'POST /content/pages/:id/withdraw': 'prepare_deliveries',
  'GET /workflows': 'workflow',
  'GET /workflows/:id': 'workflow',
  'POST /workflows/:id/start': 'workflow',
  'POST /workflows/:id/pause': 'workflow',
  'POST /workflows/:id/stop': 'workflow',
  'POST /workflows/:id/ab-tests/:test/confirm': 'workflow',
  'GET /workflows/new': 'workflow',
  'POST /workflows/new': 'workflow',
  'GET /workflows/:id/edit': 'workflow',
  'POST /workflows/:id/activities': 'workflow',
  'GET /workflows/:id/activities/:activity': 'workflow',
  'POST /workflows/:id/activities/:activity': 'workflow',
  'POST /workflows/:id/activities/:activity/remove': 'workflow',
  'POST /workflows/:id/run': 'workflow',
  'GET /deliveries/:id/ab-test': ['prepare_deliveries', 'workflow'],
  'POST /deliveries/:id/ab-test': ['prepare_deliveries', 'workflow'],
};
/** A workflow with one activity to open (`go`), so the editor's activity routes answer. */
const WORKFLOW_DEFINITION = {
  activities: [
    { id: 'go', type: 'start', next: 'done' },
    { id: 'done', type: 'end' },
  ],
};

const AREAS = /^\/(deliveries|content|reports|monitoring|workflows)(\/|$)/;

describe('console rights of deliveries, reports, monitoring and workflows', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  const clients = new Map<string, ConsoleClient>();
  const ids: Record<string, number> = {};

  before(async () => {
    h = await startConsole();
    await upsertRecipients(h.db, [{ email: 'ann@example.com', firstName: 'Ann' }], new Set(['email', 'firstName']));
    const d = await createDelivery(h.db, {
      state: 'editing',
      internalName: 'd1',
      label: 'D1',
      subject: 'Hi',
      fromAddress: 'news@example.com',
      html: '<a href="<%= links.unsubscribe %>">x</a>',
      target: { kind: 'all' },
    });
    const w = await h.db.write((transaction) =>
      h.db.models.Workflow.create({ name: 'w1', label: 'W1', kind: 'marketing', state: 'editing', definition: WORKFLOW_DEFINITION }, { transaction }),
    );
    const b = await h.db.write((transaction) =>
      h.db.models.BounceText.create(
        { textHash: 'x', text: 'x', firstText: 'x', failureType: 'soft', failureReason: 'not_defined', status: 'to_qualify' },
        { transaction },
      ),
    );
    const footer = await h.db.models.ContentBlockRow.findOne({ where: { name: 'footer' } });
    Object.assign(ids, { content: footer!.id, deliveries: d.id, reports: d.id, workflows: w.id, monitoring: b.id });
    for (const right of NAMED_RIGHTS.filter((r) => r !== 'admin')) {
      const op = await addOperator(h.db, `op-${right}`.replace(/_/g, '-'), [right]);
      const client = new ConsoleClient(h.base);
      await client.login(op.login, op.password);
      await client.get('/deliveries');
      clients.set(right, client);
    }
  });
  after(async () => h.close());

  const call = async (client: ConsoleClient, route: string) => {
    const [method, path] = route.split(' ') as [string, string];
    const concrete = path
      .replace(':id', String(ids[path.split('/')[1]!]))
      .replace(':test', '1')
      .replace(':activity', 'go');
    return method === 'GET'
      ? (await client.get(concrete)).status
      : (await client.post(concrete, { status: 'keep', failureType: 'hard', failureReason: 'user_unknown' })).status;
  };

  it('knows the right of every route of these areas', () => {
    const routes = h.web.routers
      .flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path as string}`)))
      .filter((r) => AREAS.test(r.split(' ')[1]!));
    assert.deepEqual([...new Set(routes)].sort(), Object.keys(RIGHTS).sort());
  });

  for (const [route, right] of Object.entries(RIGHTS)) {
    it(`${route}: ${right === 'none' ? 'open to every operator' : `needs "${String(right)}"`}`, async () => {
      for (const [held, client] of clients) {
        const status = await call(client, route);
        const allowed = right === 'none' || held === right;
        if (allowed) assert.notEqual(status, 403, `${route} with ${held}`);
        else assert.equal(status, 403, `${route} with ${held}`);
      }
      if (Array.isArray(right)) {
        const op = await addOperator(h.db, `op-${right.join('-')}-${route.split(' ')[0]}`.replace(/_/g, '-').toLowerCase(), right);
        const both = new ConsoleClient(h.base);
        await both.login(op.login, op.password);
        await both.get('/deliveries');
        assert.notEqual(await call(both, route), 403, `${route} with ${right.join(' and ')}`);
      }
    });
  }
});
