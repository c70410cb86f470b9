import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNewDelivery, type NewDelivery } from '../../server/delivery/actions.js';
import { analyseDelivery, type DeliveryDeps } from '../../server/delivery/analyse.js';
import { DEFAULT_EXCLUSIONS } from '../../server/delivery/target-spec.js';
import { silentLogger } from '../../server/shared/logger.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import type { Database } from '../../server/db/connect.js';

/** The pre-send checks that ask the network, run by a real analysis with [content] checkLinks on. */
describe('analysis of a content: link check through the configured settings', () => {
  let site: Server;
  let base = '';
  let instance: TestInstance;
  let db: Database;
  let deps: DeliveryDeps;
  const asked: string[] = [];

  before(async () => {
    site = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(req.url?.startsWith('/gone') ? 404 : 200).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    instance = createInstance('[content]\ncheckLinks = true\nlinkTimeoutMs = 2000\nbrokenLinkLevel = "error"');
    db = await openTestDb(instance);
    await db.write((transaction) => db.models.Recipient.create({ email: 'ann@example.com', firstName: 'Ann' } as never, { transaction }));
    deps = { db, config: instance.config, log: silentLogger(), dkim: [] };
  });
  after(async () => {
    site.close();
    await db.close();
    instance.cleanup();
  });

  const delivery = (name: string, html: string): NewDelivery => ({
    internalName: name,
    label: name,
    kind: 'marketing',
    subject: 'News',
    fromName: null,
    fromAddress: 'news@example.com',
    replyTo: null,
    html,
    text: null,
    headers: {},
    target: { kind: 'all' },
    exclusions: DEFAULT_EXCLUSIONS,
    serviceId: null,
    trackingEnabled: true,
    openTracking: true,
    scheduledAt: null,
    validityEnd: null,
  });
  const unsubscribe = '<a href="<%= links.unsubscribe %>">Unsubscribe</a>';

  it('asks every link and image once, and a link that does not answer blocks the delivery at the configured level', async () => {
    const d = await createNewDelivery(
      deps,
      delivery(
        'links',
        `<p>Hi</p><a href="${base}/ok?id=<%= recipient.id %>">ok</a><a href="${base}/gone">gone</a><img src="${base}/img.png" alt="x">${unsubscribe}`,
      ),
    );
    const report = await analyseDelivery(deps, d.id);
    const issues = report.issues.filter((i) => i.rule.startsWith('links.'));
    assert.deepEqual(
      issues.map((i) => [i.rule, i.level, i.message]),
      [
        ['links.broken', 'error', `the link ${base}/gone does not answer: HTTP 404`],
        ['links.checked', 'info', '3 link(s) and image(s) checked, 1 not answering'],
      ],
    );
    assert.deepEqual(asked.sort(), ['HEAD /gone', 'HEAD /img.png', 'HEAD /ok?id='].sort());
    assert.equal((await db.models.Delivery.findByPk(d.id))!.state, 'editing', 'an error keeps it from being ready');
  });

  it('asks nothing when a control rule already blocks the content', async () => {
    asked.length = 0;
    const d = await createNewDelivery(deps, delivery('blocked', `<p>Hi</p><a href="${base}/ok">ok</a>`));
    const report = await analyseDelivery(deps, d.id);
    assert.ok(report.issues.some((i) => i.rule === 'unsubscribe.html'));
    assert.deepEqual(asked, []);
  });
});
