import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { EXIT } from '../../server/shared/exit-codes.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, unreachableDatabaseEnv, type TestInstance } from '../helpers/instance.js';
import { startModule, type ModuleProcess } from '../helpers/module-process.js';
import { clickLink } from '../helpers/tracking.js';
import { seedDelivery, STANDARD_URLS, type SeededDelivery } from '../helpers/tracking-seed.js';

/**
 * The tracking module as a real process (`herald tracking`), the database reached only by the
 * `herald tracking publish|ingest` commands: the redirect keeps answering whatever happens to the
 * database, and no answered hit is lost when the process is killed.
 */
describe('tracking module process', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let delivery: SeededDelivery;
  let tracker: ModuleProcess;
  let base: string;
  const servers = () => ['--set', `tracking.servers=${base}`];
  const click = async (message: number) => {
    const link = clickLink(base, instance.config.secrets.trackingKey, {
      deliveryId: delivery.deliveryId,
      broadLogId: delivery.messages[message]!,
      urlId: delivery.urls.blog!,
    });
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), 'https://blog.example.com/post');
  };
  const storedHits = async () => {
    const db: Database = await openDatabase(instance.config, instance.paths);
    try {
      return await db.models.TrackingLog.count();
    } finally {
      await db.close();
    }
  };

  before(async () => {
    instance = createInstance('[tracking]\nport = 0\n');
    const db = await openTestDb(instance);
    delivery = await seedDelivery(db, { urls: STANDARD_URLS, messages: Array(10).fill({ format: 'html' }) });
    await db.close();
    tracker = await startModule('tracking', instance.env);
    base = `http://127.0.0.1:${tracker.status.port}`;
    const published = await herald(['tracking', 'publish', String(delivery.deliveryId), ...servers()], instance.env);
    assert.equal(published.code, EXIT.OK, published.stderr);
  });
  after(async () => {
    await tracker?.kill();
    instance?.cleanup();
  });

  it('keeps redirecting clicks while the database is unreachable', async () => {
    for (let m = 0; m < 5; m++) await click(m);
    const ingest = await herald(['tracking', 'ingest', ...servers()], { ...instance.env, ...unreachableDatabaseEnv(instance) });
    assert.equal(ingest.code, EXIT.UNAVAILABLE);
    assert.match(ingest.stderr, /database unreachable/);
    assert.equal((await fetch(`${base}/r/test`)).status, 200, 'the tracker stays healthy');
  });

  it('brings those hits to the database once it is back', async () => {
    const ingest = await herald(['tracking', 'ingest', '--json', ...servers()], instance.env);
    assert.equal(ingest.code, EXIT.OK, ingest.stderr);
    assert.deepEqual((JSON.parse(ingest.stdout) as { inserted: number }).inserted, 5);
    assert.equal(await storedHits(), 5);
  });

  it('loses no answered click when the process is killed', async () => {
    for (let m = 5; m < 10; m++) await click(m);
    await tracker.kill('SIGKILL');
    tracker = await startModule('tracking', instance.env);
    base = `http://127.0.0.1:${tracker.status.port}`;
    await click(0);
    const ingest = await herald(['tracking', 'ingest', '--json', ...servers()], instance.env);
    assert.equal(ingest.code, EXIT.OK, ingest.stderr);
    const summary = JSON.parse(ingest.stdout) as { pulled: number; inserted: number; duplicates: number };
    assert.deepEqual(
      [summary.pulled, summary.inserted, summary.duplicates],
      [11, 6, 5],
      'a new address reads the log from the start; the 5 known hits count once',
    );
    assert.equal(await storedHits(), 11);
  });
});
