import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { instanceSiteFile } from '../../server/shared/config/instances.js';
import type { InstanceStatus, WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, secret, type TestInstance } from '../helpers/instance.js';
import { killTree, readLog, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';
import { freePort } from '../helpers/free-port.js';

/**
 * Two instances of one appliance on the default instance's stat server: `herald instance add`
 * gives the new instance that server's address and key, so under `herald start` both instances'
 * MTAs register with the one real `herald stat` (a wrong key would be refused: each would then
 * send on its local limits, unhealthy in the status).
 */
describe('instances added to an appliance share its stat server', function () {
  this.timeout(180_000);
  let main: TestInstance;
  let wd: WatchdogProcess | undefined;

  before(async () => {
    const port = await freePort();
    const fast = { heartbeatIntervalMs: 300, heartbeatTimeoutMs: 10_000 };
    main = createInstance(`[stat]\nport = ${port}\n[mta]\nstatServer = "127.0.0.1:${port}"\n${watchdogToml({ stat: fast, mta: fast })}`, { statKey: secret() });
    await (await openTestDb(main)).close();
    const added = await herald(['instance', 'add', 'brand-s'], main.env);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`stat server: 127\\.0\\.0\\.1:${port} \\(the default instance's key`));
    // Only its MTA (inMail and the workflow server are not what this test is about).
    appendFileSync(instanceSiteFile(main.siteFile, 'brand-s'), `\n${watchdogToml({ mta: fast }).replace(/^\[watchdog\][^[]*/, '')}\n`);
  });
  after(async () => {
    await killTree(wd);
    main?.cleanup();
  });

  it('registers the MTAs of both instances with the one stat server, signed with the shared key', async () => {
    wd = startWatchdog(main);
    const of = (s: WatchdogStatus, name: string): InstanceStatus => s.instances!.find((i) => i.instance === name)!;
    const mta = (s: WatchdogStatus, name: string) => of(s, name).modules.find((m) => m.module === 'mta')!;
    const s = await wd.waitFor(
      'two MTAs registered with the stat server, both on it',
      (st) =>
        wd!.module(st, 'stat').details?.mtas === 2 &&
        mta(st, main.config.instanceName).details?.statServer === 'up' &&
        mta(st, 'brand-s').details?.statServer === 'up',
      120_000,
    );
    assert.equal(
      of(s, 'brand-s').modules.some((m) => m.module === 'stat' && m.pid !== null),
      false,
      'the added instance runs no stat server of its own',
    );
    const show = await herald(['stat', 'show', '--json'], main.env);
    assert.equal(show.code, 0, show.stderr);
    assert.equal((JSON.parse(show.stdout) as { mtas: number }).mtas, 2);
    assert.ok(
      readLog(main, 'stat').some((e) => e.event === 'PROCESS_READY'),
      'the stat server logged',
    );
    const refused = readLog(main, 'stat').filter((e) => e.event === 'STAT_REQUEST_REFUSED');
    assert.deepEqual(refused, [], 'no request refused for its signature');
  });
});
