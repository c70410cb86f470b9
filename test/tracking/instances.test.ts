import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInstanceSet } from '../../server/shared/config/instance-set.js';
import { instanceSiteFile, instancesDir } from '../../server/shared/config/instances.js';
import { loadConfig } from '../../server/shared/config/load.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { silentLogger } from '../../server/shared/logger.js';
import { encodeTrackingToken } from '../../server/shared/tokens.js';
import { startTrackingServer, type TrackingServer } from '../../server/tracking/tracking-server.js';
import { createInstance, secret, vapidPrivateKey, type TestInstance } from '../helpers/instance.js';
import { pushDefinition, rawGet, shippedHits, withTracking } from '../helpers/tracking.js';

/** One tracking process for two instances: links route by their signed instance tag, hits land in each instance's own log. */
describe('one tracking process serving every instance', () => {
  let main: TestInstance;
  let server: TrackingServer;
  let base: string;
  let brandB: HeraldConfig;
  const definition = (deliveryId: number, url: string) => ({
    deliveryId,
    validityEnd: null,
    urls: [
      { id: 1, type: 'open', url: '', label: 'open' },
      { id: 2, type: 'click', url, label: 'shop' },
    ],
  });
  /** A click link of `config`'s instance; tag '' for one without a tag (sent before tags). */
  const click = (config: HeraldConfig, deliveryId: number, tag = config.instanceName, key = config.secrets.trackingKey) =>
    `/r/${encodeTrackingToken(key, { deliveryId, broadLogId: 50, urlId: 2 }, [], tag || undefined)}`;

  before(async () => {
    main = createInstance('[tracking]\nhosts = ["t.a.example"]');
    mkdirSync(instancesDir(main.siteFile), { recursive: true });
    writeFileSync(
      instanceSiteFile(main.siteFile, 'brand-b'),
      `instanceName = "brand-b"\ndataDir = ${JSON.stringify(join(main.dir, 'brand-b'))}\n[tracking]\nhosts = ["t.b.example"]\n[secrets]\n` +
        `trackingKey = "${secret()}"\nsessionKey = "${secret()}"\nbounceKey = "${secret()}"\nvapidPrivateKey = "${vapidPrivateKey()}"\n`,
    );
    brandB = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-b'), env: {} }).config;
    const config = withTracking(main.config, { host: '127.0.0.1', port: 0 });
    server = await startTrackingServer({
      config,
      dataDir: main.paths.dataDir,
      log: silentLogger(),
      instances: (current) => loadInstanceSet({ config: current, siteFile: main.siteFile }),
    });
    base = `http://127.0.0.1:${server.port}`;
    // Each instance pushes its own delivery 7 with its own API key: two stores, no clash.
    assert.equal((await pushDefinition(base, main.config, definition(7, 'https://a.example/shop'))).status, 200);
    assert.equal((await pushDefinition(base, brandB, definition(7, 'https://b.example/shop'))).status, 200);
  });
  after(async () => {
    await server.stop();
    main.cleanup();
  });

  it('sends each instance tagged click to its own destination, through one shared tracking host', async () => {
    const a = await rawGet(base, click(main.config, 7), { host: 't.shared.example' });
    const b = await rawGet(base, click(brandB, 7), { host: 't.shared.example' });
    assert.deepEqual([a.status, a.headers.location], [302, 'https://a.example/shop']);
    assert.deepEqual([b.status, b.headers.location], [302, 'https://b.example/shop']);
  });

  const refused: Array<[string, () => string, Record<string, string>]> = [
    ['an unknown tag', () => click(brandB, 7, 'brand-z'), {}],
    ['brand-b tag signed with the default instance key', () => click(brandB, 7, 'brand-b', main.config.secrets.trackingKey), {}],
    ['the default tag signed with brand-b key', () => click(main.config, 7, main.config.instanceName, brandB.secrets.trackingKey), {}],
    ['an untagged brand-b link on the default instance host', () => click(brandB, 7, ''), { host: 't.a.example' }],
  ];
  for (const [what, path, headers] of refused) {
    it(`refuses ${what} with 404`, async () => assert.equal((await rawGet(base, path(), headers)).status, 404));
  }

  it('serves a link without a tag (sent before tags) as the instance of its tracking host, else the default one', async () => {
    assert.equal((await rawGet(base, click(brandB, 7, ''), { host: 't.b.example' })).headers.location, 'https://b.example/shop');
    assert.equal((await rawGet(base, click(main.config, 7, ''), { host: 'elsewhere.example' })).headers.location, 'https://a.example/shop');
  });

  it("logs each instance's hits in its own data folder and ships them only to that instance's API key", async () => {
    const ofMain = (await shippedHits(base, main.config)).hits;
    const ofB = (await shippedHits(base, brandB)).hits;
    assert.ok(ofMain.length >= 2 && ofB.length >= 2, `hits: ${ofMain.length} / ${ofB.length}`);
    const ids = (hits: Array<Record<string, unknown>>) => new Set(hits.map((h) => h.id));
    assert.equal([...ids(ofMain)].filter((id) => ids(ofB).has(id)).length, 0, 'no hit in both logs');
    assert.ok(readdirSync(join(main.dir, 'brand-b', 'tracking', 'hits')).length > 0, "brand-b's hit log is in brand-b's data folder");
    const unknown = await fetch(`${base}/api/hits`, { headers: { authorization: `Bearer ${secret()}` } });
    assert.equal(unknown.status, 401);
  });

  it('drops an instance removed at a reload, and serves one added, keeping the others', async () => {
    rmSync(instanceSiteFile(main.siteFile, 'brand-b'));
    await server.reload(withTracking(main.config, { host: '127.0.0.1', port: 0 }));
    assert.equal((await rawGet(base, click(brandB, 7))).status, 404, 'brand-b is no longer served');
    assert.equal((await rawGet(base, click(main.config, 7))).status, 302, 'the default instance is untouched');
  });
});
