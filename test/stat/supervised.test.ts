import assert from 'node:assert/strict';
import { renderStatusTable } from '../../server/shared/watchdog-status-table.js';
import { createInstance, openTestDb, secret, type TestInstance } from '../helpers/instance.js';
import { killTree, readLog, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';
import { freePort } from '../helpers/free-port.js';

/**
 * `herald start` with the stat server switched on beside an MTA that uses it: the watchdog runs it
 * like any module (started before the MTA, restarted after a crash), and `herald status` shows the
 * MTA on its local limits while the stat server is gone, and back on it once it has restarted.
 */
describe('the stat server under the watchdog', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let wd: WatchdogProcess | undefined;

  before(async () => {
    const port = await freePort();
    const fast = { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 10_000 };
    instance = createInstance(
      `[stat]\nport = ${port}\n[mta]\nstatServer = "127.0.0.1:${port}"\n${watchdogToml({ stat: fast, mta: fast }, { backoffInitialMs: 5000, backoffMaxMs: 5000 })}`,
      {
        statKey: secret(),
      },
    );
    await (await openTestDb(instance)).close();
    wd = startWatchdog(instance);
  });
  after(async () => {
    await killTree(wd);
    instance?.cleanup();
  });

  it('starts it before the MTA, restarts it after a crash, and shows the MTA falling back and returning', async () => {
    const mtaUp = (s: Parameters<WatchdogProcess['module']>[0]) => wd!.module(s, 'mta').details?.statServer === 'up';
    const ready = await wd!.waitFor(
      'stat and mta ready, the MTA registered with the stat server',
      (s) => wd!.module(s, 'stat').details?.mtas === 1 && mtaUp(s),
      60_000,
    );
    assert.deepEqual(
      ready.modules.filter((m) => m.autoStart).map((m) => m.module),
      ['stat', 'mta'],
      'the stat server comes first (run level 20, the MTA 30)',
    );
    // the watchdog waits 5 s before the restart: long enough for the MTA to notice (it registers every 2 s)
    const killed = wd!.module(ready, 'stat').pid!;
    process.kill(killed, 'SIGKILL');
    const down = await wd!.waitFor('the MTA on its local limits', (s) => wd!.module(s, 'mta').details?.statServer === 'down (local limits)');
    const table = renderStatusTable(down);
    assert.match(table, /mta .*ready \(unhealthy: stat: stat server 127\.0\.0\.1:\d+ unreachable .*: local limits\)/);
    const back = await wd!.waitFor(
      'stat restarted and the MTA back on it',
      (s) => wd!.module(s, 'stat').state === 'ready' && wd!.module(s, 'stat').pid !== killed && mtaUp(s) && !renderStatusTable(s).includes('unhealthy'),
      60_000,
    );
    assert.equal(wd!.module(back, 'stat').restarts, 1);
    const events = readLog(instance, 'mta').map((e) => e.event);
    assert.ok(events.includes('MTA_STAT_SERVER_DOWN') && events.includes('MTA_STAT_SERVER_BACK'), events.join(' '));
  });
});
