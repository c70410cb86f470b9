import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { generateApiKey } from '../../server/api/api-keys.js';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { createApiKey } from '../../server/db/repos/api-keys.js';
import { instanceSiteFile } from '../../server/shared/config/instances.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { sendingIdentity } from '../../server/delivery/delivery-content.js';
import { encodeTrackingToken } from '../../server/shared/tokens.js';
import { runTrackingIngest } from '../../server/tracking-data/ingest/run-ingest.js';
import { publishDeliveryUrls } from '../../server/tracking-data/publish/publish-urls.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, testDialect, type TestInstance } from '../helpers/instance.js';
import { createTestDatabase } from '../helpers/postgres-databases.js';
import { seedDelivery } from '../helpers/tracking-seed.js';
import { killTree, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';
import { addOperator } from './helpers/console.js';
import { HostClient } from './helpers/host-client.js';

/**
 * Two instances under one `herald start`: ONE web process and ONE tracking process (the default
 * instance's fleet) serve both, each under its own host names, each on its own database; a third
 * instance whose site config does not load is refused by host while the others work.
 */

function hostGet(base: string, host: string, path: string): Promise<{ status: number; location?: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers: { host, 'accept-language': 'fr' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function apiCall(
  base: string,
  host: string,
  auth: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const { hostname, port } = new URL(base);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, authorization: auth, accept: 'application/json' };
    if (text) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    const req = request({ host: hostname, port, path: `/api${path}`, method, headers }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: out ? (JSON.parse(out) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function apiKeyOf(db: Database): Promise<string> {
  const { key, prefix, secretHash } = generateApiKey();
  await createApiKey(
    db,
    { name: 'hosts-test', prefix, secretHash, scopes: ['recipients:read', 'recipients:write'], operatorId: null, expiresAt: null },
    new Date(),
  );
  return `Bearer ${key}`;
}

describe('one web and one tracking process serving every instance by host name', function () {
  this.timeout(240_000);
  let main: TestInstance;
  let mainDb: Database;
  let brandDb: Database;
  let brand: HeraldConfig;
  let wd: WatchdogProcess | undefined;
  let web = '';
  let tracking = '';
  let dropBrandDatabase: (() => void) | undefined;
  const clients: { a?: HostClient; b?: HostClient } = {};

  before(async () => {
    main = createInstance(
      '[web]\nport = 0\nhosts = ["a.example"]\n[tracking]\nport = 0\nhosts = ["t.a.example"]\n' +
        watchdogToml({ web: {}, tracking: {} }, { backoffInitialMs: 200 }),
    );
    mainDb = await openTestDb(main);
    const pg = testDialect() === 'postgres' ? createTestDatabase() : undefined;
    dropBrandDatabase = pg?.drop;
    const added = await herald(
      ['instance', 'add', 'brand-b', '--host', 'b.example', '--tracking-host', 't.b.example', ...(pg ? ['--database', pg.url] : [])],
      main.env,
    );
    assert.equal(added.code, 0, added.stderr);
    // brand-b runs none of its own modules here: this test is about the web and tracking processes of the default fleet.
    appendFileSync(instanceSiteFile(main.siteFile, 'brand-b'), `\n${watchdogToml({}).replace(/^\[watchdog\][^[]*/, '')}\n`);
    writeFileSync(instanceSiteFile(main.siteFile, 'brand-broken'), 'instanceName = "brand-broken"\n[web]\nhosts = ["c.example"]\nport = "eighty"\n');
    brand = loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-b'), env: {} }).config;
    brandDb = await openDatabase(brand, instancePaths(brand));
    await addOperator(mainDb, 'ann', ['admin']);
    await addOperator(brandDb, 'bob', ['admin']);
    wd = startWatchdog(main);
    const s = await wd.waitFor(
      'web and tracking ready',
      (st) => ['web', 'tracking'].every((m) => st.modules.find((x) => x.module === m)?.state === 'ready'),
      90_000,
    );
    web = `http://127.0.0.1:${wd.module(s, 'web').details!.port as number}`;
    tracking = `http://127.0.0.1:${wd.module(s, 'tracking').details!.port as number}`;
    // brand-b's database opens beside the default one's: its hosts answer 503 until then.
    const deadline = Date.now() + 30_000;
    while ((await hostGet(web, 'b.example', '/login')).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  });
  after(async () => {
    await killTree(wd);
    await brandDb?.close();
    await mainDb?.close();
    main.cleanup();
    dropBrandDatabase?.();
  });

  it('runs one web and one tracking process, both in the default instance', async () => {
    const s = (await wd!.status())!;
    const perInstance = s.instances!.map((i) => [i.instance, i.modules.filter((m) => m.module === 'web' || m.module === 'tracking').length]);
    assert.deepEqual(perInstance, [
      [main.config.instanceName, 2],
      ['brand-b', 0],
      ['brand-broken', 0],
    ]);
  });

  it('logs each operator in on their own host only: a session cookie of host A is refused on host B', async () => {
    clients.a = new HostClient(web, 'a.example');
    clients.b = new HostClient(web, 'b.example');
    assert.equal((await clients.a.login('ann', 'ann-password-long-enough')).location, '/');
    assert.equal((await clients.b.login('bob', 'bob-password-long-enough')).location, '/');
    assert.equal((await new HostClient(web, 'b.example').login('ann', 'ann-password-long-enough')).status, 401, 'ann is not an operator of brand-b');
    const stolen = new HostClient(web, 'b.example');
    for (const [k, v] of clients.a.cookies) stolen.cookies.set(k, v);
    const onB = await stolen.get('/recipients');
    assert.equal(onB.status, 302, "host A's cookie on host B");
    assert.match(onB.location ?? '', /^\/login/);
    assert.equal((await clients.a.get('/recipients')).status, 200, 'and it still works on host A');
  });

  it('keeps data apart: a recipient created through host A is not visible through host B', async () => {
    const keyA = await apiKeyOf(mainDb);
    const keyB = await apiKeyOf(brandDb);
    const created = await apiCall(web, 'a.example', keyA, 'POST', '/recipients', { email: 'only-in-a@example.org', firstName: 'Ann' });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal((await apiCall(web, 'a.example', keyA, 'GET', '/recipients/by-email/only-in-a%40example.org')).status, 200);
    assert.equal((await apiCall(web, 'b.example', keyB, 'GET', '/recipients/by-email/only-in-a%40example.org')).status, 404);
    assert.equal((await apiCall(web, 'b.example', keyA, 'GET', '/recipients/by-email/only-in-a%40example.org')).status, 401, "A's API key on host B");
    assert.match((await clients.a!.get('/recipients')).text, /only-in-a@example\.org/);
    assert.doesNotMatch((await clients.b!.get('/recipients')).text, /only-in-a@example\.org/);
    assert.equal(await brandDb.models.Recipient.count({ where: { email: 'only-in-a@example.org' } }), 0);
  });

  it("shows each instance's monitoring page its own modules and the web and tracking serving it, from the one watchdog", async () => {
    for (const client of [clients.a!, clients.b!]) {
      const page = await client.get('/monitoring');
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /The watchdog is not running/, client.host);
      assert.match(page.text, /<tr><td>web<\/td>/, client.host);
      assert.match(page.text, /<tr><td>tracking<\/td>/, client.host);
    }
  });

  it('answers 421 to a host no instance declares, and 503 to the host of the instance whose config does not load', async () => {
    for (const host of ['unknown.example', `127.0.0.1:${new URL(web).port}`]) {
      const page = await hostGet(web, host, '/login');
      assert.equal(page.status, 421, host);
      assert.match(page.body, /Requête mal dirigée/);
      assert.doesNotMatch(page.body, /ann|bob|herald-test|brand-b/i, 'nothing of any instance');
    }
    const broken = await hostGet(web, 'c.example', '/login');
    assert.equal(broken.status, 503);
    assert.match(broken.body, /Cette console n’est pas disponible/);
  });

  it("lands each instance's tracked click in its own hit log and database, through one shared tracking host", async () => {
    const withServer = (c: HeraldConfig) => ({ ...c, tracking: { ...c.tracking, servers: [tracking] } });
    const urls = [{ label: 'shop', type: 'click' as const, url: 'https://shop.example.com/x' }];
    const seeded = [];
    for (const [config, db] of [
      [main.config, mainDb],
      [brand, brandDb],
    ] as const) {
      const d = await seedDelivery(db, { urls, messages: [{ format: 'html' }] });
      await publishDeliveryUrls(db, withServer(config), d.deliveryId);
      const token = encodeTrackingToken(
        config.secrets.trackingKey,
        { deliveryId: d.deliveryId, broadLogId: d.messages[0]!, urlId: d.urls.shop! },
        [],
        config.instanceName,
      );
      const click = await hostGet(tracking, 't.shared.example', `/r/${token}`);
      assert.deepEqual([click.status, click.location], [302, 'https://shop.example.com/x'], config.instanceName);
      seeded.push(d);
    }
    assert.equal(sendingIdentity(brand).trackingTag, 'brand-b');
    const forged = encodeTrackingToken(
      main.config.secrets.trackingKey,
      { deliveryId: seeded[1]!.deliveryId, broadLogId: 1, urlId: seeded[1]!.urls.shop! },
      [],
      'brand-b',
    );
    assert.equal((await hostGet(tracking, 't.b.example', `/r/${forged}`)).status, 404, "brand-b's tag signed with another instance's key");
    await runTrackingIngest(mainDb, withServer(main.config), new Date());
    await runTrackingIngest(brandDb, withServer(brand), new Date());
    const logsOf = async (db: Database) => (await db.models.TrackingLog.findAll()).map((l) => [l.deliveryId, l.urlId]);
    assert.deepEqual(await logsOf(mainDb), [[seeded[0]!.deliveryId, seeded[0]!.urls.shop]]);
    assert.deepEqual(await logsOf(brandDb), [[seeded[1]!.deliveryId, seeded[1]!.urls.shop]]);
  });

  it('re-reads one instance on herald reload <name> without dropping the others', async () => {
    const before = (await wd!.status())!;
    const file = instanceSiteFile(main.siteFile, 'brand-b');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/hosts = \[ ?"b\.example" ?\]/, 'hosts = ["b.example", "b2.example"]'));
    const reload = await herald(['reload', 'brand-b'], main.env);
    assert.equal(reload.code, 0, reload.stdout + reload.stderr);
    const deadline = Date.now() + 20_000;
    while ((await hostGet(web, 'b2.example', '/login')).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await hostGet(web, 'b2.example', '/login')).status, 200, 'the new host serves brand-b');
    assert.equal((await clients.a!.get('/recipients')).status, 200, "the default instance's session is kept");
    assert.equal((await clients.b!.get('/recipients')).status, 200, "brand-b's session is kept");
    const after = (await wd!.status())!;
    for (const m of ['web', 'tracking']) assert.equal(wd!.module(after, m).pid, wd!.module(before, m).pid, `${m}: the same process`);
  });

  it('keeps serving an instance on its last good config when its site config stops loading', async () => {
    const file = instanceSiteFile(main.siteFile, 'brand-b');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('[web]', '[web]\nsessionIdleMinutes = "forever"'));
    const refused = await herald(['reload', 'brand-b'], main.env);
    assert.notEqual(refused.code, 0, 'the reload is refused');
    assert.match(refused.stdout + refused.stderr, /sessionIdleMinutes/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await clients.b!.get('/recipients')).status, 200, 'brand-b is still served, its session kept');
    assert.equal((await clients.a!.get('/recipients')).status, 200);
    writeFileSync(file, good);
  });
});
