import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { instanceSiteFile } from '../../server/shared/config/instances.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import { unhealthy } from '../../server/shared/health.js';
import type { WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { herald } from '../helpers/cli.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { statusesOf, startedDelivery, until } from '../helpers/mta.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';
import { killTree, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';

/**
 * One instance's data folder (its SQLite database, logs and capture spool) on a small filesystem of
 * its own that fills up (a real tmpfs, full for real): under the one `herald start`, its MTA says so
 * (unhealthy in `herald status`, WATCHDOG_MODULE_UNHEALTHY in the watchdog's log, naming the
 * instance) and the other instance sends every message meanwhile, its MTA never restarted; once
 * space is back the full instance sends its own.
 */
describe('a full disk of one instance under the watchdog', function () {
  this.timeout(300_000);
  let disk: SmallDisk | undefined;
  let main: TestInstance;
  let mainDb: Database | undefined;
  let fullDb: Database | undefined;
  let full: TestInstance;
  let wd: WatchdogProcess | undefined;

  before(async function () {
    disk = mountSmallDisk(16);
    if (!disk) {
      process.stdout.write('      (skipped: mounting a small tmpfs is not permitted here; run the tests as root)\n');
      this.skip();
    }
    const fast = { heartbeatIntervalMs: 500 };
    main = createInstance(watchdogToml({ mta: fast }, { backoffInitialMs: 200 }));
    mainDb = await openTestDb(main);
    const added = await herald(['instance', 'add', 'brand-full'], main.env);
    assert.equal(added.code, 0, added.stderr);
    const file = instanceSiteFile(main.siteFile, 'brand-full');
    const made = loadConfig({ siteFile: file, env: {} }).config;
    // Its data folder (database, logs, spools) moves onto the small disk; only its MTA runs.
    const dataDir = join(disk!.dir, 'brand-full');
    cpSync(instancePaths(made).dataDir, dataDir, { recursive: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^dataDir = .*$/m, `dataDir = ${JSON.stringify(dataDir)}`));
    appendFileSync(file, `\n${watchdogToml({ mta: fast }).replace(/^\[watchdog\][^[]*/, '')}\n`);
    // Slow sending (10 a second), so that its disk fills in the middle of its delivery.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^\[mta\]$/m, '[mta]\nglobalMessagesPerSecond = 10'));
    if (!/globalMessagesPerSecond = 10/.test(readFileSync(file, 'utf8'))) appendFileSync(file, '\n[mta]\nglobalMessagesPerSecond = 10\n');
    const config = loadConfig({ siteFile: file, env: {} }).config;
    full = { ...main, config, paths: instancePaths(config), siteFile: file };
    fullDb = await openDatabase(config, full.paths);
  });
  after(async () => {
    await killTree(wd);
    await fullDb?.close();
    await mainDb?.close();
    main?.cleanup();
    disk?.unmount();
  });

  it('reports the full instance unhealthy while the other instance sends every message, then sends its own once space is back', async () => {
    const mta = (s: WatchdogStatus, name: string) => s.instances!.find((i) => i.instance === name)!.modules.find((m) => m.module === 'mta')!;
    const sent = async (db: Database, id: number) => [...(await statusesOf(db, id)).values()].filter((b) => b.status === 'sent').length;
    const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);
    const COUNT = 300;
    const inFull = await startedDelivery(fullDb!, full, emails('full', COUNT), 'full-1');
    wd = startWatchdog(main);
    const name = main.config.instanceName;
    await wd.waitFor('both MTAs ready', (st) => mta(st, name)?.state === 'ready' && mta(st, 'brand-full')?.state === 'ready', 90_000);
    await until(async () => (await sent(fullDb!, inFull)) >= 10, 60_000, 'the full instance to be sending');
    const fullMta = mta((await wd.status())!, 'brand-full').pid;
    disk!.fill();
    const s = await wd.waitFor("the full instance's MTA reporting its disk", (st) => unhealthy(mta(st, 'brand-full')?.details ?? undefined) !== '', 60_000);
    assert.match(unhealthy(mta(s, 'brand-full').details ?? undefined), /storage full|ENOSPC|SQLITE_FULL/);
    assert.equal(mta(s, 'brand-full').pid, fullMta, 'it keeps running');
    const mainMta = mta(s, name).pid;
    const inMain = await startedDelivery(mainDb!, main, emails('main', 40), 'main-1');
    await until(async () => (await sent(mainDb!, inMain)) === 40, 90_000, 'the other instance to send its 40 messages');
    const whileFull = await sent(fullDb!, inFull);
    assert.ok(whileFull < COUNT, 'the full instance could not finish while its disk was full');

    const during = (await wd.status())!;
    assert.equal(mta(during, name).pid, mainMta, 'the other instance MTA was never restarted');
    assert.equal(mta(during, name).restarts, 0);
    const table = await herald(['status'], main.env);
    assert.match(table.stdout, /^instance brand-full\n(?: .*\n)*? {2}mta +\d+ +ready \(unhealthy: .*(storage full|ENOSPC|SQLITE_FULL)/m, table.stdout);
    assert.ok(
      wd.events().some((e) => e.event === 'WATCHDOG_MODULE_UNHEALTHY' && e.instance === 'brand-full' && e.name === 'mta'),
      "the watchdog's log (on the other instance's disk) names the instance and its module",
    );

    // A start on the full disk fails (its database cannot be opened for writing): the watchdog
    // retries it with backoff, the status says so, the other instance is not touched.
    const restarted = await herald(['restart', 'mta', '--instance', 'brand-full'], main.env);
    assert.notEqual(restarted.code, 0, 'its MTA does not come back ready on a full disk');
    const failing = await wd.waitFor(
      'its MTA failing to start',
      (st) => mta(st, 'brand-full').lastExit?.code === 1 && ['backoff', 'crash-looping', 'starting'].includes(mta(st, 'brand-full').state),
      60_000,
    );
    assert.notEqual(failing.instances!.find((i) => i.instance === 'brand-full')!.condition, 'running');
    assert.equal(mta(failing, name).pid, mainMta, 'the other instance MTA runs on');
    assert.match(wd.output(), /herald mta: SQLITE_FULL: database or disk is full/, 'its error reaches the watchdog output (its own log cannot be written)');

    disk!.free();
    await wd.waitFor('its MTA ready again', (st) => mta(st, 'brand-full').state === 'ready', 120_000);
    await until(async () => (await sent(fullDb!, inFull)) === COUNT, 120_000, 'the full instance to finish its delivery once space is back');

    await wd.waitFor('its MTA healthy again', (st) => unhealthy(mta(st, 'brand-full').details ?? undefined) === '', 60_000);
  });
});
