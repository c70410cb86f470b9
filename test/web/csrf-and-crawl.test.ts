import assert from 'node:assert/strict';
import { saveLandingPage } from '../../server/db/repos/landing-pages.js';
import { QueryTypes } from 'sequelize';
import { createImportJob } from '../../server/db/repos/import-jobs.js';
import { createList } from '../../server/db/repos/lists.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { changeSubscription, createService } from '../../server/db/repos/services.js';
import { createDelivery } from '../../server/db/repos/delivery-state.js';
import { MIGRATION_TABLES } from '../helpers/tables.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { createBulkAction, endBulkAction } from '../../server/db/repos/bulk-actions.js';
import { saveSegment } from '../../server/db/repos/segments.js';
import { EDITOR_CSP } from '../../server/web/security/editor-csp.js';

/** A workflow with one activity to open (`go`), so the editor's activity page answers. */
const WORKFLOW_DEFINITION = {
  activities: [
    { id: 'go', type: 'start', next: 'done' },
    { id: 'done', type: 'end' },
  ],
};

/** Every route of the app as [method, path] pairs, read from the router table. */
function routeTable(h: ConsoleHarness): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const router of h.web.routers)
    for (const layer of router.stack) for (const method of layer.methods) if (method !== 'HEAD') out.push([method, layer.path as string]);
  return out;
}

/** The whole database as text, except the session activity time (the one thing a GET may write). */
async function snapshot(h: ConsoleHarness): Promise<string> {
  const parts: string[] = [];
  for (const table of MIGRATION_TABLES) {
    const rows = await h.db.sequelize.query<Record<string, unknown>>(`SELECT * FROM "${table}" ORDER BY 1`, { type: QueryTypes.SELECT });
    parts.push(table, JSON.stringify(rows.map((r) => ({ ...r, last_seen_at: undefined }))));
  }
  return parts.join('\n');
}

/** When the seed below began: every date it writes is after this instant. */
const SEEDED_FROM = Date.now() - 60_000;

describe('console CSRF protection and safe GETs', () => {
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  const ids: Record<string, number> = {};
  before(async () => {
    h = await startConsole();
    const op = await addOperator(h.db, 'root', ['admin']);
    const other = await addOperator(h.db, 'other', ['import']);
    await upsertRecipients(
      h.db,
      [{ email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', fields: { city: 'Paris' } }],
      new Set(['email', 'firstName', 'lastName']),
    );
    const recipient = (await h.db.models.Recipient.findOne({ where: { email: 'ann@example.com' } }))!;
    const audit = { at: new Date(), operatorId: op.id, operatorLogin: 'root', action: 'service_created' as const };
    const service = await createService(h.db, { name: 'news', label: 'News', description: null, doubleOptIn: false, validityDays: null }, audit);
    const list = await createList(h.db, { name: 'vip', label: 'VIP', description: null, expiresAt: null }, { ...audit, action: 'list_created' });
    await changeSubscription(
      h.db,
      { serviceId: service.id, recipientId: recipient.id, change: 'subscribe', origin: 'test' },
      { ...audit, action: 'recipient_subscribed' },
    );
    const job = await createImportJob(h.db, { operatorId: op.id, fileName: 'a.csv', totalBytes: 10 }, { ...audit, action: 'recipients_import_started' });
    await h.db.write((t) =>
      h.db.models.BroadLog.create(
        { deliveryId: 1, recipientId: recipient.id, address: recipient.email, emailFormat: 'html', status: 'sent' },
        { transaction: t },
      ),
    );
    const delivery = await createDelivery(h.db, {
      state: 'editing',
      internalName: 'spring',
      label: 'Spring',
      subject: 'Hi <%= recipient.firstName %>',
      fromAddress: 'news@example.com',
      html: '<p>Hi</p><a href="<%= links.unsubscribe %>">Unsubscribe</a>',
      target: { kind: 'all' },
    });
    const workflow = await h.db.write((t) =>
      h.db.models.Workflow.create(
        {
          name: 'weekly',
          label: 'Weekly',
          kind: 'marketing',
          state: 'editing',
          definition: WORKFLOW_DEFINITION,
        },
        { transaction: t },
      ),
    );
    const bounce = await h.db.write((t) =>
      h.db.models.BounceText.create(
        { textHash: 'h1', text: '550 #xxx# unknown', firstText: '550 5.1.1 unknown', failureType: 'hard', failureReason: 'user_unknown', status: 'to_qualify' },
        { transaction: t },
      ),
    );
    const inbound = await h.db.write((t) =>
      h.db.models.InboundMessage.create(
        { receivedAt: new Date(), kind: 'unknown', status: 'unparsable', reason: 'x', spoolFile: 'kept/missing.eml', size: 1, createdAt: new Date() },
        { transaction: t },
      ),
    );
    const segment = await saveSegment(
      h.db,
      { name: 'parisians', label: 'Parisians', description: null, condition: { field: 'fields.city', op: 'eq', value: 'Paris' } },
      { ...audit, action: 'segment_created' },
    );
    const bulk = await createBulkAction(
      h.db,
      {
        operatorId: op.id,
        action: 'denylist',
        condition: { inSegment: 'parisians' },
        segmentId: segment ? segment.id : null,
        listId: null,
        serviceId: null,
        total: 1,
      },
      { ...audit, action: 'recipients_bulk_started' },
    );
    await endBulkAction(h.db, bulk.id, 'finished', null);
    const page = await saveLandingPage(
      h.db,
      undefined,
      { slug: 'stay', title: 'Stay', format: 'html', source: '<p>Stay</p>' },
      { ...audit, action: 'landing_page_saved' },
    );
    const footer = await h.db.models.ContentBlockRow.findOne({ where: { name: 'footer' } });
    Object.assign(ids, {
      audiences: bulk.id,
      inbound: inbound.id,
      pages: page,
      content: footer!.id,
      operators: other.id,
      recipients: recipient.id,
      services: service.id,
      lists: list.id,
      imports: job.id,
      deliveries: delivery.id,
      reports: delivery.id,
      workflows: workflow.id,
      monitoring: bounce.id,
    });
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/recipients');
  });
  after(async () => h.close());

  const concrete = (path: string) => {
    const area = path.startsWith('/recipients/imports/')
      ? 'imports'
      : path.startsWith('/monitoring/inbound/')
        ? 'inbound'
        : path.startsWith('/content/pages/')
          ? 'pages'
          : path.split('/')[1]!;
    return path
      .replace(':id', String(ids[area] ?? 1))
      .replace(':name', path.startsWith('/static/vendor/') ? 'grapes.min.js' : 'herald.css')
      .replace(':activity', 'go');
  };

  it('finds the console routes in the router table', () => {
    const routes = routeTable(h).map(([m, p]) => `${m} ${p}`);
    for (const expected of [
      'POST /login',
      'POST /logout',
      'POST /recipients/import',
      'POST /services',
      'POST /lists/:id',
      'POST /operators/:id/password',
      'GET /audit',
    ])
      assert.ok(routes.includes(expected), expected);
  });

  it('refuses every request that changes data without a valid token or from another site (403) and changes nothing', async () => {
    const before = await snapshot(h);
    const valid = admin.csrf;
    const probes: Array<[string, (path: string) => Promise<number>]> = [
      ['no token', async (p) => (await admin.post(p, { _csrf: [] as unknown as string, name: 'x1', label: 'X' })).status],
      ['wrong token', async (p) => (await admin.post(p, { _csrf: valid.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), name: 'x2', label: 'X' })).status],
      ['foreign Origin', async (p) => (await admin.post(p, { _csrf: valid, name: 'x3', label: 'X' }, { origin: 'http://evil.test' })).status],
      ['cross-site fetch', async (p) => (await admin.post(p, { _csrf: valid, name: 'x4', label: 'X' }, { 'sec-fetch-site': 'cross-site' })).status],
      [
        'multipart without token',
        async (p) => {
          const form = new FormData();
          form.append('name', 'x5');
          form.append('file', new Blob(['email\nz@example.com\n']), 'a.csv');
          return (await admin.request('POST', p, { body: form })).status;
        },
      ],
      ['text/plain body', async (p) => (await admin.request('POST', p, { body: `_csrf=${valid}`, headers: { 'content-type': 'text/plain' } })).status],
    ];
    const unsafe = routeTable(h).filter(([method]) => !['GET', 'HEAD', 'OPTIONS'].includes(method));
    assert.ok(unsafe.length >= 12, `found ${unsafe.length} routes that change data`);
    for (const [method, path] of unsafe) {
      assert.equal(method, 'POST', `${path}: forms only POST`);
      for (const [name, probe] of probes) assert.equal(await probe(concrete(path)), 403, `${name}: ${method} ${path}`);
    }
    const anonymous = new ConsoleClient(h.base);
    await anonymous.get('/login');
    assert.equal((await anonymous.post('/login', { _csrf: 'forged', login: 'root', password: 'x' })).status, 403, 'login form too');
    assert.equal(await snapshot(h), before);
  });

  it('changes nothing in the database when every GET route is crawled, logged in or not', async () => {
    const before = await snapshot(h);
    const gets = routeTable(h)
      .filter(([method]) => method === 'GET')
      .map(([, path]) => concrete(path));
    const variants = [
      '/recipients?by=last_name&q=le',
      '/recipients?by=email&q=ann',
      '/recipients?after=bogus',
      '/audit?action=login',
      '/services/1?before=bogus',
      '/lists/1?after=5',
      '/login?next=/lists',
      '/deliveries?state=editing&before=99',
      `/deliveries/${ids.deliveries}/preview?recipient=ann@example.com`,
      '/monitoring/bounce-texts?after=bogus',
      '/monitoring/inbound?status=forged&before=bogus',
      '/reports/throughput?hours=96',
      '/reports/domains.csv?days=30',
    ];
    for (const path of [...gets, ...variants]) {
      for (const client of [admin, new ConsoleClient(h.base)]) {
        const reply = await client.get(path);
        assert.ok(reply.status < 500, `${path}: ${reply.status}`);
        if (client === admin && !path.startsWith('/login'))
          assert.ok(reply.status === 200 || path.endsWith('rejects.csv'), `${path} as admin: ${reply.status}`);
        if ((reply.headers.get('content-type') ?? '').startsWith('text/html')) {
          for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'cross-origin-opener-policy'])
            assert.ok(reply.headers.get(header), `${path}: ${header}`);
          const csp = reply.headers.get('content-security-policy')!;
          if (csp.startsWith('sandbox;')) {
            // A previewed message: its own sandbox (no script at all), inline styles only, framed by the console only.
            assert.match(csp, /default-src 'none'/);
            assert.doesNotMatch(csp, /script-src/);
            assert.match(csp, /frame-ancestors 'self'/);
            continue;
          }
          assert.match(csp, /frame-ancestors 'none'/);
          // The visual editor's pages alone allow inline styles (server/web/security/editor-csp.ts).
          if (client === admin && /\/visual(\?|$)/.test(path)) assert.equal(csp, EDITOR_CSP, path);
          else assert.doesNotMatch(csp, /unsafe-inline/, path);
        }
      }
    }
    assert.equal(await snapshot(h), before);
  });

  it('refuses a form body over web.formMaxKb with 413 before reading it', async () => {
    const reply = await admin.request('POST', '/services', {
      body: `_csrf=${admin.csrf}&label=${'x'.repeat(10 * 1024 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(reply.status, 413);
  });

  it('shows every date of every console page on the operator’s clock, never the UTC one', async () => {
    // Kathmandu is 5 h 45 min ahead of UTC: a date the seed wrote, read in UTC, would be a time of the last minutes
    await h.db.models.Operator.update({ timeZone: 'Asia/Kathmandu' }, { where: { login: 'root' } });
    const until = Date.now() + 60_000;
    const gets = routeTable(h)
      .filter(([method, path]) => method === 'GET' && !path.startsWith('/static/'))
      .map(([, path]) => concrete(path));
    let dates = 0;
    for (const path of [...gets, '/reports/throughput?hours=24', '/audit']) {
      const reply = await admin.get(path);
      if (reply.status !== 200) continue;
      for (const m of reply.text.matchAll(/\b(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d)(?::\d\d)?(?!\d)/g)) {
        dates++;
        const asUtc = Date.parse(`${m[1]}T${m[2]}:00Z`);
        assert.ok(asUtc < SEEDED_FROM - 60_000 || asUtc > until, `${path} shows ${m[0]}, the UTC reading of a date it holds`);
      }
    }
    assert.ok(dates > 0, 'the pages show dates');
  });
});
