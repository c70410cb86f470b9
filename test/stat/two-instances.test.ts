import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import type { ChildMessage } from '../../server/shared/run-process.js';
import { sign, STAT_AUTH_HEADER, STAT_PATHS } from '../../server/shared/stat-protocol.js';
import type { SlotView } from '../../server/stat/slot-ledger.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, secret, type TestInstance } from '../helpers/instance.js';
import { startModule, type ModuleProcess } from '../helpers/module-process.js';
import { startedDelivery, statusesOf, until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

/**
 * Two Herald installs (each its own site config, data folder and database, as two instances or two
 * machines have) whose real `herald mta` processes send to one domain through one real `herald stat`
 * process: the domain's 36,000 messages an hour (10 a second, one second of burst) hold for their
 * combined traffic; the stat server is stopped in the middle of a send, the MTAs fall back to their
 * local limits and say so, and they take their slots from it again once it is back.
 */
const PER_SECOND = 10;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The module's status fields from a heartbeat answer (what `herald status` shows). */
async function ping(m: ModuleProcess): Promise<Record<string, unknown>> {
  const id = Math.floor(Math.random() * 1e9);
  const pong = new Promise<Record<string, unknown>>((resolve) => {
    const on = (msg: ChildMessage) => {
      if (msg.type !== 'pong' || msg.id !== id) return;
      m.child.off('message', on);
      resolve(msg.status ?? {});
    };
    m.child.on('message', on);
  });
  m.child.send({ type: 'ping', id });
  return pong;
}

/** Most messages received in any `windowMs` window. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('two MTA instances sending through one stat server', function () {
  this.timeout(180_000);
  const key = secret();
  const arrivals: number[] = [];
  let smtp: TestSmtpServer;
  let statPort: number;
  let statInstance: TestInstance;
  let stat: ModuleProcess | undefined;
  const sites: Array<{ name: string; instance: TestInstance; db: Database; mta?: ModuleProcess }> = [];

  const startStat = async () => {
    stat = await startModule('stat', { ...statInstance.env, HERALD_SECRETS__STAT_KEY: key, HERALD_STAT__PORT: String(statPort) });
  };
  const statView = async (): Promise<{ mtas: number; slots: SlotView[] }> => {
    const res = await fetch(`http://127.0.0.1:${statPort}${STAT_PATHS.status}`, {
      method: 'POST',
      body: '{}',
      headers: { [STAT_AUTH_HEADER]: sign(key, Date.now(), STAT_PATHS.status, '{}') },
    });
    return (await res.json()) as { mtas: number; slots: SlotView[] };
  };
  const mtaLog = (site: (typeof sites)[number]) => readFileSync(join(site.instance.paths.logDir, 'mta.log'), 'utf8');

  before(async () => {
    smtp = await startSmtpServer({ data: () => void arrivals.push(Date.now()) });
    statPort = await freePort();
    statInstance = createInstance();
    await startStat();
    for (const name of ['brand-a', 'brand-b']) {
      const instance = createInstance(
        [
          '[mta]',
          `instanceId = "${name}"`,
          'transport = "smtp"',
          'tls = "disabled"',
          'idlePollMs = 100',
          'commitIntervalMs = 20',
          '[[mta.routes]]',
          'domain = "shared.test"',
          `hosts = ["127.0.0.1:${smtp.port}"]`,
          '[[mta.domainRules]]',
          'match = "shared.test"',
          'shared = false',
          'maxConnections = 4',
          'maxMessagesPerConnection = 1000',
          `messagesPerHour = ${PER_SECOND * 3600}`,
          '[[mta.domainRules]]',
          'match = "*"',
          'shared = false',
          'maxConnections = 4',
          'maxMessagesPerConnection = 1000',
          'messagesPerHour = 0',
        ].join('\n'),
      );
      sites.push({ name, instance, db: await openTestDb(instance) });
    }
  });
  after(async () => {
    for (const site of sites) {
      await site.mta?.kill();
      await site.db.close();
      site.instance.cleanup();
    }
    await stat?.kill();
    statInstance?.cleanup();
    await smtp?.close();
  });

  const deliveries = (prefix: string, count: number) =>
    Promise.all(
      sites.map((s) =>
        startedDelivery(
          s.db,
          s.instance,
          Array.from({ length: count }, (_, i) => `${prefix}-${s.name}-${i}@shared.test`),
        ),
      ),
    );
  const allSent = async (ids: number[]) => {
    for (const [i, site] of sites.entries()) if ([...(await statusesOf(site.db, ids[i]!)).values()].some((b) => b.status !== 'sent')) return false;
    return true;
  };
  const receivedOnce = (prefix: string, count: number) => {
    const got = smtp.received.flatMap((r) => r.to).filter((to) => to.startsWith(`${prefix}-`));
    assert.equal(got.length, count * sites.length, 'every message once');
    assert.equal(new Set(got).size, count * sites.length, 'no duplicates');
  };

  it('keeps the combined rate of both instances to the one limit of the domain', async () => {
    const count = 60;
    const ids = await deliveries('rate', count);
    const first = arrivals.length;
    for (const site of sites)
      site.mta = await startModule('mta', { ...site.instance.env, HERALD_SECRETS__STAT_KEY: key, HERALD_MTA__STAT_SERVER: `127.0.0.1:${statPort}` });
    await until(() => allSent(ids), 120_000, 'both deliveries sent');
    const times = arrivals.slice(first);
    receivedOnce('rate', count);
    // GCRA: at most 10 a second plus one second of burst, plus the slots each MTA holds unspent (about a second's worth)
    const sixSeconds = busiest(times, 6000);
    assert.ok(sixSeconds <= 6 * PER_SECOND + 3 * PER_SECOND, `at most 90 in any 6 s (two MTAs at 10/s each alone would send 120): ${sixSeconds}`);
    const spanMs = Math.max(...times) - Math.min(...times);
    assert.ok(spanMs >= ((2 * count - 3 * PER_SECOND) / PER_SECOND) * 1000, `120 messages at 10/s together take 9 s or more: ${spanMs} ms`);
    const view = await statView();
    assert.equal(view.mtas, 2, 'both MTAs are registered');
    const slot = view.slots.find((s) => s.key === 'domain:shared.test');
    assert.equal(slot?.messagesPerHour, PER_SECOND * 3600);
    for (const site of sites) assert.equal((await ping(site.mta!)).statServer, 'up');
    const env = { ...sites[0]!.instance.env, HERALD_SECRETS__STAT_KEY: key, HERALD_MTA__STAT_SERVER: `127.0.0.1:${statPort}` };
    const shown = await herald(['stat', 'show'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /2 MTA\(s\) registered/);
    assert.match(shown.stdout, /default +domain:shared\.test +36000 /);
    for (const name of ['brand-a', 'brand-b']) assert.match(shown.stdout, new RegExp(` ${name}\n`));
    const json = await herald(['stat', 'show', '--json'], env);
    assert.equal((JSON.parse(json.stdout) as { mtas: number }).mtas, 2);
    const wrongKey = await herald(['stat', 'show'], { ...env, HERALD_SECRETS__STAT_KEY: secret() });
    assert.equal(wrongKey.code, 69, 'a wrong key is refused by the server');
    assert.match(wrongKey.stderr, /401: bad signature/);
  });

  it('falls back to the local limits while the stat server is down, says so, and goes back to it when it returns', async () => {
    const count = 150;
    const ids = await deliveries('restart', count);
    const first = arrivals.length;
    await until(() => arrivals.length - first >= 20, 60_000, 'the send under way');
    await stat!.kill();
    for (const site of sites) await until(async () => (await ping(site.mta!)).statServer === 'down (local limits)', 10_000, `${site.name} falling back`);
    const duringOutage = arrivals.length;
    await until(() => arrivals.length > duringOutage + 5, 30_000, 'sending on the local limits');
    const health = (await ping(sites[0]!.mta!)).health as { ok: boolean; problems: Array<{ area: string; reason: string }> };
    assert.equal(health.ok, false, 'herald status shows the MTA unhealthy');
    assert.match(health.problems.find((p) => p.area === 'stat')!.reason, /unreachable.*local limits/);
    await startStat();
    for (const site of sites) await until(async () => (await ping(site.mta!)).statServer === 'up', 10_000, `${site.name} back on the stat server`);
    const back = arrivals.length;
    await until(() => allSent(ids), 120_000, 'both deliveries sent');
    receivedOnce('restart', count);
    assert.ok(arrivals.length > back, 'messages were sent after the stat server returned');
    const view = await statView();
    assert.equal(view.mtas, 2, 'both MTAs registered again');
    assert.ok(
      view.slots.some((s) => s.key === 'domain:shared.test'),
      'the restarted stat server granted the slots',
    );
    for (const site of sites) {
      const log = mtaLog(site);
      assert.match(log, /MTA_STAT_SERVER_DOWN/);
      assert.match(log, /MTA_STAT_SERVER_BACK/);
      assert.ok(!log.includes(key), 'the key is never logged');
    }
  });
});
