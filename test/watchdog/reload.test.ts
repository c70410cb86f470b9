import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { Database } from '../../server/db/connect.js';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startedDelivery, until } from '../helpers/mta.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { killTree, readLog, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';

/**
 * `kill -HUP <watchdog>` (what `systemctl reload herald` sends) through a real watchdog and real
 * modules: the new config reaches every module, which applies what it can without stopping — the
 * MTA qualifies refusals with the edited bounce rules, inMail reads them too, the web module serves
 * its next requests with the new settings on the connections already open — and each says in its
 * log what changed, what it applied and what waits for the next start.
 */
describe('reload through the watchdog', function () {
  this.timeout(180_000);
  let instance: TestInstance;
  let db: Database;
  let mx: TestSmtpServer;
  let wd: WatchdogProcess | undefined;
  let rulesFile: string;

  before(async () => {
    mx = await startSmtpServer({ rcpt: () => ({ code: 550, message: '5.7.1 message frobnicated by local policy' }) });
    instance = createInstance();
    rulesFile = join(instance.dir, 'bounce-rules.conf');
    copyFileSync(join(APP_ROOT, 'config', 'bounce-rules.conf'), rulesFile);
    const site = [
      readFileSync(instance.siteFile, 'utf8'),
      '[web]',
      'port = 0',
      'publicUrl = "http://console.example.com"',
      '[inmail]',
      'port = 0',
      '[bounce]',
      `rulesFile = ${JSON.stringify(rulesFile)}`,
      '[mta]',
      'transport = "smtp"',
      'tls = "disabled"',
      'idlePollMs = 100',
      'commitIntervalMs = 20',
      '[[mta.routes]]',
      'domain = "*"',
      `hosts = ["127.0.0.1:${mx.port}"]`,
      watchdogToml({ web: {}, mta: {}, inmail: {} }),
    ].join('\n');
    writeFileSync(instance.siteFile, site);
    db = await openTestDb(instance);
  });
  after(async () => {
    await killTree(wd);
    await db.close();
    await mx.close();
    instance.cleanup();
  });

  const reasonOf = async (deliveryId: number) => (await db.models.BroadLog.findOne({ where: { deliveryId } }))?.failureReason ?? null;
  const reloaded = (module: string) => readLog(instance, module).filter((e) => e.event === 'PROCESS_RELOADED');

  it('applies edited bounce rules in the MTA and inMail and new web settings on open connections, and logs what changed', async () => {
    wd = startWatchdog(instance);
    const ready = await wd.waitFor('web, mta and inmail ready', (s) => ['web', 'mta', 'inmail'].every((m) => wd!.module(s, m).state === 'ready'), 120_000);
    const pids = ready.modules.map((m) => m.pid);
    const webPort = wd.module(ready, 'web').details!.port as number;

    const first = await startedDelivery(db, instance, ['ann@policy.test'], 'before-reload');
    await until(async () => (await reasonOf(first)) !== null, 30_000, 'the first refusal qualified');
    const before = await reasonOf(first);
    assert.notEqual(before, 'user_unknown');

    // One keep-alive connection to the web module, opened before the reload and reused after it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (path: string) =>
      new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: webPort, path, agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] as string | undefined }));
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal((await get('/health')).hsts, undefined, 'no HSTS while the console is served over http');

    // A site's own rule goes first in the tier of the fact it tests (the reply's 5.7.1 would otherwise win as a policy refusal).
    writeFileSync(
      rulesFile,
      readFileSync(rulesFile, 'utf8').replace(
        /^tier status\n/m,
        'tier status\n# example: 550 5.7.1 message frobnicated by local policy\nfrobnicated hard user_unknown status 5.7.x text /frobnicated/\n',
      ),
    );
    writeFileSync(
      instance.siteFile,
      readFileSync(instance.siteFile, 'utf8')
        .replace('publicUrl = "http://console.example.com"', 'publicUrl = "https://console.example.com"')
        .replace('[web]\nport = 0', '[web]\nport = 0\nsessionIdleMinutes = 20'),
    );
    wd.child.kill('SIGHUP');
    await until(() => ['web', 'mta', 'inmail'].every((m) => reloaded(m).length > 0), 30_000, 'every module to take the new config');

    const after = await get('/health');
    assert.equal(after.status, 200);
    assert.match(after.hsts ?? '', /max-age=/, 'the next request on the same connection is served with the new publicUrl');
    assert.equal(sockets.size, 1, 'the connection was not dropped');
    agent.destroy();

    const second = await startedDelivery(db, instance, ['bob@policy.test'], 'after-reload');
    await until(async () => (await reasonOf(second)) !== null, 30_000, 'the second refusal qualified');
    assert.equal(await reasonOf(second), 'user_unknown', 'the MTA qualifies with the edited rules');
    assert.equal((await db.models.BroadLog.findOne({ where: { deliveryId: second } }))?.status, 'failed');

    const [mtaLine] = reloaded('mta');
    assert.ok(Number(mtaLine!.bounceRules) > 20, `the MTA says it read the rules again: ${JSON.stringify(mtaLine)}`);
    const [inmailLine] = reloaded('inmail');
    assert.equal(inmailLine!.bounceRules, mtaLine!.bounceRules, 'inMail read the same rules');
    const [webLine] = reloaded('web');
    assert.deepEqual(webLine!.changed, ['web.publicUrl', 'web.sessionIdleMinutes']);
    assert.deepEqual(webLine!.applied, ['web.publicUrl', 'web.sessionIdleMinutes']);
    assert.deepEqual(webLine!.atNextStart, []);
    const status = await wd.status();
    assert.deepEqual(
      status!.modules.map((m) => m.pid),
      pids,
      'no module was restarted',
    );
  });
});
