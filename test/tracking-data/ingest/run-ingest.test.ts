import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../../server/db/connect.js';
import type { HeraldConfig } from '../../../server/shared/config/schema.js';
import type { HeraldError } from '../../../server/shared/errors.js';
import { runTrackingIngest } from '../../../server/tracking-data/ingest/run-ingest.js';
import { publishDeliveryUrls } from '../../../server/tracking-data/publish/publish-urls.js';
import { createInstance, openTestDb, type TestInstance } from '../../helpers/instance.js';
import { clickLink, openLink, startTestTracker, withTracking, type TestTracker } from '../../helpers/tracking.js';
import { seedDelivery, STANDARD_URLS, type SeededDelivery } from '../../helpers/tracking-seed.js';

const BROWSER = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' };

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tracking ingestion: from a click to the indicators', () => {
  let instance: TestInstance;
  let db: Database;
  let a: TestTracker;
  let b: TestTracker;
  let config: HeraldConfig;
  let key: string;
  let delivery: SeededDelivery;
  const now = new Date('2026-03-02T12:00:00Z');
  const ids = (message: number, label: string) => ({ deliveryId: delivery.deliveryId, broadLogId: delivery.messages[message]!, urlId: delivery.urls[label]! });
  const snapshot = async () => ({
    logs: (await db.models.TrackingLog.findAll({ order: [['hitId', 'ASC']] })).map((r) => ({ ...r.toJSON(), id: undefined, createdAt: undefined })),
    indicators: (await db.models.DeliveryIndicator.findAll({ order: [['deliveryId', 'ASC']] })).map((r) => ({ ...r.toJSON(), computedAt: undefined })),
    stats: (await db.models.TrackingStat.findAll({ order: [['id', 'ASC']] })).map((r) => ({ ...r.toJSON(), id: undefined })),
  });

  before(async () => {
    instance = createInstance();
    db = await openTestDb(instance);
    key = instance.config.secrets.trackingKey;
    a = await startTestTracker(instance.config, join(instance.dir, 'tracker-a'));
    b = await startTestTracker(instance.config, join(instance.dir, 'tracker-b'));
    config = withTracking(instance.config, { servers: [a.base, b.base] });
    delivery = await seedDelivery(db, { urls: STANDARD_URLS, messages: [{ format: 'html' }, { format: 'html' }, { format: 'text' }] });
  });
  after(async () => {
    await a.stop();
    await b.stop();
    await db.close();
    instance.cleanup();
  });

  it('pushes the URL definitions of a delivery to every tracking server', async () => {
    const result = await publishDeliveryUrls(db, config, delivery.deliveryId);
    assert.deepEqual(result, { deliveryId: delivery.deliveryId, urls: STANDARD_URLS.length, servers: [a.base, b.base] });
  });

  it('round-trips a click and an open from built links through the hit log to the indicators', async () => {
    const click = await fetch(clickLink(a.base, key, ids(0, 'shop'), ['SKU 42']), { redirect: 'manual', headers: BROWSER });
    assert.equal(click.headers.get('location'), 'https://shop.example.com/p?id=SKU%2042');
    assert.equal((await fetch(openLink(a.base, key, ids(0, 'open')), { headers: BROWSER })).status, 200);
    const summary = await runTrackingIngest(db, config, now);
    assert.deepEqual(
      { ...summary, ms: 0 },
      { servers: 2, failedServers: [], pulled: 2, inserted: 2, duplicates: 0, invalid: 0, deliveries: [delivery.deliveryId], ms: 0 },
    );
    const logs = await db.models.TrackingLog.findAll({ order: [['urlType', 'ASC']] });
    assert.deepEqual(
      logs.map((l) => [l.urlType, l.broadLogId, l.urlId, l.server, l.bot, l.ip, l.recipientId !== null]),
      [
        ['click', delivery.messages[0], delivery.urls.shop, a.base, null, '127.0.0.1', true],
        ['open', delivery.messages[0], delivery.urls.open, a.base, null, '127.0.0.1', true],
      ],
    );
    const indicators = (await db.models.DeliveryIndicator.findByPk(delivery.deliveryId))!;
    assert.deepEqual(
      [
        indicators.recipientOpens,
        indicators.totalOpens,
        indicators.estimatedOpens,
        indicators.recipientClicks,
        indicators.totalClicks,
        indicators.humanOpens,
        indicators.humanClicks,
        indicators.rawReactivity,
      ],
      [1, 1, 2, 1, 1, 1, 1, 1], // estimated opens: 1 × 3 / (3 − 1 text-only) = 1.5 → 2
    );
    assert.equal(await db.models.TrackingStat.count({ where: { deliveryId: delivery.deliveryId, urlId: delivery.urls.shop } }), 1);
  });

  it('ingests the logs of two tracking servers that share one key, each hit once', async () => {
    assert.equal((await fetch(clickLink(a.base, key, ids(1, 'blog')), { redirect: 'manual', headers: BROWSER })).status, 302);
    assert.equal((await fetch(clickLink(b.base, key, ids(2, 'blog')), { redirect: 'manual', headers: BROWSER })).status, 302);
    const summary = await runTrackingIngest(db, config, now);
    assert.equal(summary.inserted, 2);
    const servers = (await db.models.TrackingLog.findAll({ where: { urlId: delivery.urls.blog }, order: [['broadLogId', 'ASC']] })).map((l) => l.server);
    assert.deepEqual(servers, [a.base, b.base]);
    assert.equal((await db.models.DeliveryIndicator.findByPk(delivery.deliveryId))!.recipientClicks, 3);
  });

  it('changes nothing when the same logs are ingested again', async () => {
    const before = await snapshot();
    assert.equal((await runTrackingIngest(db, config, now)).pulled, 0, 'nothing new since the checkpoints');
    for (const tracker of ['tracker-a', 'tracker-b']) {
      const shipped = readFileSync(join(instance.dir, tracker, instance.config.tracking.logDir, 'shipped'), 'utf8');
      assert.equal(shipped.trim(), '1', `${tracker}: asking from its checkpoint confirmed the files before it as stored`);
    }
    await db.write((transaction) => db.models.TrackingCheckpoint.destroy({ where: {}, transaction }));
    const again = await runTrackingIngest(db, config, now);
    assert.deepEqual([again.pulled, again.inserted, again.duplicates], [4, 0, 4]);
    assert.deepEqual(await snapshot(), before);
  });

  it('flags a scanner that hits every link at once, also when its hits arrive in two runs', async () => {
    const clickedAt = Date.parse('2026-03-02T11:00:00Z');
    const c = await startTestTracker(instance.config, join(instance.dir, 'tracker-c'), {}, () => clickedAt);
    const d = await startTestTracker(instance.config, join(instance.dir, 'tracker-d'), {}, () => clickedAt + 3000);
    try {
      const pair = withTracking(instance.config, { servers: [c.base, d.base] });
      const other = await seedDelivery(db, { urls: STANDARD_URLS, messages: [{ format: 'html' }] });
      await publishDeliveryUrls(db, pair, other.deliveryId);
      const link = (label: string, values: string[] = []) =>
        clickLink(c.base, key, { deliveryId: other.deliveryId, broadLogId: other.messages[0]!, urlId: other.urls[label]! }, values);
      await fetch(link('shop', ['1']), { redirect: 'manual', headers: BROWSER });
      await fetch(link('blog'), { redirect: 'manual', headers: BROWSER });
      await runTrackingIngest(db, pair, now);
      assert.deepEqual(
        (await db.models.TrackingLog.findAll({ where: { deliveryId: other.deliveryId } })).map((l) => l.bot),
        [null, null],
        'two of three links: a person',
      );
      await fetch(link('unsubscribe').replace(c.base, d.base), { redirect: 'manual', headers: BROWSER });
      await runTrackingIngest(db, pair, now);
      const bots = (await db.models.TrackingLog.findAll({ where: { deliveryId: other.deliveryId }, order: [['urlId', 'ASC']] })).map((l) => l.bot);
      assert.deepEqual(bots, ['link_burst', 'link_burst', 'link_burst'], 'the earlier hits are flagged too');
      const indicators = (await db.models.DeliveryIndicator.findByPk(other.deliveryId))!;
      assert.deepEqual(
        [indicators.recipientClicks, indicators.humanClicks, indicators.recipientOpens, indicators.humanOpens, indicators.optOuts],
        [1, 0, 1, 0, 1],
      );
    } finally {
      await c.stop();
      await d.stop();
    }
  });

  it('keeps ingesting the other servers when one is unreachable, and reports it as failed', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await fetch(clickLink(a.base, key, ids(2, 'shop'), ['x']), { redirect: 'manual', headers: BROWSER });
    const summary = await runTrackingIngest(db, withTracking(config, { servers: [down, a.base] }), now);
    assert.deepEqual([summary.failedServers, summary.inserted], [[down], 1]);
  });

  it('fails loudly when a tracking server does not take the URL definitions', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await assert.rejects(publishDeliveryUrls(db, withTracking(config, { servers: [a.base, down] }), delivery.deliveryId), (err: HeraldError) => {
      assert.equal(err.code, 'TRACKING_PUBLISH_FAILED');
      assert.match(err.message, new RegExp(`${down}: ECONNREFUSED`));
      return true;
    });
    await assert.rejects(publishDeliveryUrls(db, config, 999_999), (err: HeraldError) => err.code === 'DELIVERY_NOT_FOUND');
  });
});
