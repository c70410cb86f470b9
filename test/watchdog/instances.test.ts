import assert from 'node:assert/strict';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { openDatabase, type Database } from '../../server/db/connect.js';
import { instanceSiteFile } from '../../server/shared/config/instances.js';
import { loadConfig } from '../../server/shared/config/load.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { InstanceStatus, WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { spawnSync } from 'node:child_process';
import { herald } from '../helpers/cli.js';
import { parseExposition } from '../shared/metrics/parse-exposition.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';
import { startedDelivery, statusesOf, until } from '../helpers/mta.js';
import { killTree, readLog, startWatchdog, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';

/**
 * Two instances under one `herald start`: each runs its own MTA process on its own database and
 * capture spool; a kill -9 of one instance's MTA, or stopping one instance, leaves the other
 * sending; an instance whose site config is broken stays down without stopping the others.
 */

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const instanceOf = (s: WatchdogStatus, name: string): InstanceStatus => {
  const found = s.instances?.find((i) => i.instance === name);
  if (!found) throw new Error(`no instance ${name} in ${JSON.stringify(s.instances?.map((i) => i.instance))}`);
  return found;
};
const mtaOf = (s: WatchdogStatus, name: string) => instanceOf(s, name).modules.find((m) => m.module === 'mta')!;
const sentCount = async (db: Database, id: number) => [...(await statusesOf(db, id)).values()].filter((b) => b.status === 'sent').length;
const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);

describe('herald start with several instances', function () {
  this.timeout(240_000);
  let main: TestInstance;
  let mainDb: Database;
  let brandDb: Database;
  let brand: { config: ReturnType<typeof loadConfig>['config'] };
  let wd: WatchdogProcess | undefined;

  before(async () => {
    main = createInstance(watchdogToml({ mta: { heartbeatIntervalMs: 500 } }, { backoffInitialMs: 200 }));
    mainDb = await openTestDb(main);
    const added = await herald(['instance', 'add', 'brand-b'], main.env);
    assert.equal(added.code, 0, added.stderr);
    // Only its MTA, on a quick heartbeat (inMail and the workflow server are not what this test is about).
    appendFileSync(instanceSiteFile(main.siteFile, 'brand-b'), `\n${watchdogToml({ mta: { heartbeatIntervalMs: 500 } }).replace(/^\[watchdog\][^[]*/, '')}\n`);
    // A third instance whose site config does not load: it must not keep the others down.
    writeFileSync(instanceSiteFile(main.siteFile, 'brand-broken'), 'instanceName = "brand-broken"\n[web]\nport = "eighty"\n');
    brand = { config: loadConfig({ siteFile: instanceSiteFile(main.siteFile, 'brand-b'), env: {} }).config };
    brandDb = await openDatabase(brand.config, instancePaths(brand.config));
  });
  after(async () => {
    await killTree(wd);
    await brandDb?.close();
    await mainDb?.close();
    main.cleanup();
  });

  it('runs each instance its own MTA process on its own database, and shows them grouped by instance', async () => {
    wd = startWatchdog(main);
    const s = await wd.waitFor(
      'both MTAs ready',
      (st) => mtaOf(st, main.config.instanceName)?.state === 'ready' && mtaOf(st, 'brand-b')?.state === 'ready',
      90_000,
    );
    assert.deepEqual(
      s.instances!.map((i) => i.instance),
      [main.config.instanceName, 'brand-b', 'brand-broken'],
    );
    assert.notEqual(mtaOf(s, main.config.instanceName).pid, mtaOf(s, 'brand-b').pid);
    assert.deepEqual(
      instanceOf(s, 'brand-b')
        .modules.map((m) => m.module)
        .filter((m) => m === 'web' || m === 'tracking'),
      [],
      'web and tracking are multi-instance: only the default instance runs them',
    );
    assert.match(instanceOf(s, 'brand-broken').configError ?? '', /brand-broken\.toml: secrets\.trackingKey: missing secret/);
    assert.equal(instanceOf(s, 'brand-broken').condition, 'blocked');
    assert.equal(instanceOf(s, 'brand-broken').blockedBy, instanceOf(s, 'brand-broken').configError);
    assert.equal(
      readLog({ paths: instancePaths(brand.config) } as TestInstance, 'mta').some((l) => l.event === 'PROCESS_READY'),
      true,
      'its MTA logs into its own data folder',
    );

    const table = await herald(['status'], main.env);
    assert.equal(table.code, 1, 'not all ready: one instance has a config error');
    assert.match(table.stdout, new RegExp(`^instance ${main.config.instanceName} \\(default`, 'm'));
    assert.match(table.stdout, /^instance brand-b\n {2}module +pid/m);
    assert.match(table.stdout, /^instance brand-broken: config error: .*brand-broken\.toml/m);
    const json = JSON.parse((await herald(['status', '--json'], main.env)).stdout) as WatchdogStatus & { running: boolean };
    assert.equal(json.running, true);
    assert.equal(json.instances?.length, 3);
    assert.deepEqual(
      json.instances!.map((i) => [i.instance, i.condition, i.stopped, i.stoppedAt]),
      [
        [main.config.instanceName, 'running', false, null],
        ['brand-b', 'running', false, null],
        ['brand-broken', 'blocked', false, null],
      ],
    );
    const list = JSON.parse((await herald(['instance', 'list', '--json'], main.env)).stdout) as { instances: Array<{ name: string; state: string }> };
    assert.deepEqual(
      list.instances.map((i) => [i.name, i.state]),
      [
        [main.config.instanceName, 'running'],
        ['brand-b', 'running'],
        ['brand-broken', 'config error'],
      ],
    );
  });

  it("reports every instance's modules in the watchdog's metrics and in herald metrics, with a bounded instance label", async () => {
    const exposition = await herald(['metrics', 'watchdog'], main.env);
    assert.equal(exposition.code, 0, exposition.stderr);
    const samples = parseExposition(exposition.stdout);
    const sample = (name: string, labels: Record<string, string>) =>
      samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
    const mta = { supervised: 'mta', state: 'ready' };
    assert.equal(sample('herald_watchdog_module_state', { herald_instance: main.config.instanceName, ...mta }), 1);
    assert.equal(sample('herald_watchdog_module_state', { herald_instance: 'brand-b', ...mta }), 1);
    assert.equal(sample('herald_watchdog_module_restarts_total', { herald_instance: 'brand-b', supervised: 'mta' }), 0);
    assert.ok(sample('herald_watchdog_module_resident_memory_bytes', { herald_instance: 'brand-b', supervised: 'mta' })! > 0);
    assert.equal(sample('herald_watchdog_instance_condition', { herald_instance: 'brand-broken', condition: 'blocked' }), 1);
    assert.equal(sample('herald_watchdog_instance_condition', { herald_instance: 'brand-b', condition: 'running' }), 1);
    const instances = new Set(samples.filter((x) => x.name.startsWith('herald_watchdog_')).map((x) => x.labels.herald_instance));
    assert.deepEqual([...instances].sort(), [main.config.instanceName, 'brand-b', 'brand-broken'].sort(), 'one label value per instance, no other');
    if (PROMTOOL) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition.stdout, encoding: 'utf8' });
      assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    } else if (process.env.HERALD_TEST_REQUIRE_PROMTOOL === '1') throw new Error('promtool is missing (Debian package prometheus)');

    const every = await herald(['metrics'], main.env);
    assert.equal(every.code, 0, every.stderr);
    assert.match(every.stdout, /^# herald module: mta \(port \d+\)$/m, "the default instance's MTA");
    assert.match(every.stdout, /^# herald module: mta \(instance brand-b, port \d+\)$/m, "brand-b's MTA");
    const brandMta = await herald(['--instance', 'brand-b', 'metrics', 'mta'], main.env);
    assert.equal(brandMta.code, 0, brandMta.stderr);
    const brandPort = mtaOf((await wd!.status())!, 'brand-b').details?.metricsPort;
    assert.ok(every.stdout.includes(`# herald module: mta (instance brand-b, port ${brandPort})`), 'read from its own metrics port');
    assert.match(brandMta.stdout, /^# TYPE herald_mta_/m, "herald --instance brand-b metrics mta prints brand-b's MTA exposition");
  });

  it('keeps one instance sending while the other instance MTA is killed with SIGKILL, and restarts the killed one', async () => {
    const before = (await wd!.status())!;
    const killed = mtaOf(before, main.config.instanceName);
    const other = mtaOf(before, 'brand-b');
    const inMain = await startedDelivery(mainDb, main, emails('a', 20), 'main-1');
    process.kill(killed.pid!, 'SIGKILL');
    const inBrand = await startedDelivery(brandDb, brand as TestInstance, emails('b', 60), 'brand-1');
    await until(async () => (await sentCount(brandDb, inBrand)) === 60, 90_000, 'brand-b to send its 60 messages');
    const after = await wd!.waitFor(
      'the killed MTA restarted',
      (st) => mtaOf(st, main.config.instanceName).state === 'ready' && mtaOf(st, main.config.instanceName).pid !== killed.pid,
      60_000,
    );
    assert.equal(mtaOf(after, 'brand-b').pid, other.pid, 'the other instance MTA was never touched');
    assert.equal(mtaOf(after, 'brand-b').restarts, 0);
    assert.equal(mtaOf(after, main.config.instanceName).restarts, 1);
    assert.equal(mtaOf(after, main.config.instanceName).lastExit?.signal, 'SIGKILL');
    await until(async () => (await sentCount(mainDb, inMain)) === 20, 90_000, 'the default instance to send its 20 messages after its restart');
    assert.equal((await brandDb.models.Delivery.findOne({ where: { internalName: 'main-1' } })) === null, true, 'the other database knows nothing of it');
  });

  it('stops, reloads and starts one instance alone; remove is refused while it runs', async () => {
    const refused = await herald(['instance', 'remove', 'brand-b'], main.env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /instance brand-b is running \(mta\): stop it first with herald stop brand-b/);

    const mainMta = mtaOf((await wd!.status())!, main.config.instanceName).pid;
    const stopped = await herald(['stop', 'brand-b'], main.env);
    assert.equal(stopped.code, 0, stopped.stderr);
    let s = (await wd!.status())!;
    assert.equal(instanceOf(s, 'brand-b').stopped, true);
    assert.equal(mtaOf(s, 'brand-b').pid, null);
    assert.equal(mtaOf(s, main.config.instanceName).pid, mainMta, 'the default instance runs on');
    // Stopped stays stopped: nothing restarts it, and its queue waits.
    const waiting = await startedDelivery(brandDb, brand as TestInstance, emails('c', 5), 'brand-2');
    await new Promise((r) => setTimeout(r, 1500));
    const targets = (await statusesOf(brandDb, waiting)).size; // every recipient of its database
    assert.ok(targets >= 5);
    assert.equal(await sentCount(brandDb, waiting), 0);

    appendFileSync(instanceSiteFile(main.siteFile, 'brand-b'), '\n[log]\nlevel = "debug"\n');
    const reloaded = await herald(['reload', 'brand-b'], main.env);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    assert.equal(instanceOf((await wd!.status())!, 'brand-b').stopped, true, 'a reload does not start a stopped instance');

    const started = await herald(['start', 'brand-b'], main.env);
    assert.equal(started.code, 0, started.stderr);
    s = await wd!.waitFor('brand-b MTA ready again', (st) => mtaOf(st, 'brand-b').state === 'ready');
    assert.equal(instanceOf(s, 'brand-b').stopped, false);
    await until(async () => (await sentCount(brandDb, waiting)) === targets, 60_000, 'brand-b to send after its start');
    assert.equal(mtaOf(s, main.config.instanceName).pid, mainMta);
    assert.equal((await herald(['reload', 'nope'], main.env)).code, 64, 'an unknown instance');
  });

  it('keeps the default instance stopped on request through a reload (SIGHUP) and a restart of the watchdog', async () => {
    const name = main.config.instanceName;
    const brandMta = mtaOf((await wd!.status())!, 'brand-b').pid;
    const stopped = await herald(['stop', name], main.env);
    assert.equal(stopped.code, 0, stopped.stderr);
    const reloadsBefore = wd!.events().filter((e) => e.event === 'WATCHDOG_RELOAD').length;
    const reloaded = await herald(['reload'], main.env);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    await until(async () => wd!.events().filter((e) => e.event === 'WATCHDOG_RELOAD').length > reloadsBefore, 30_000, 'the watchdog to reload');
    await new Promise((r) => setTimeout(r, 1000));
    let s = (await wd!.status())!;
    assert.equal(mtaOf(s, name).pid, null, 'herald reload does not start an instance stopped on request');
    assert.equal(instanceOf(s, name).condition, 'stopped');
    assert.equal(mtaOf(s, 'brand-b').pid, brandMta, 'the other instance runs on');
    const json = JSON.parse((await herald(['status', '--json'], main.env)).stdout) as WatchdogStatus;
    assert.equal(instanceOf(json, name).stopped, true);
    assert.ok(Date.parse(instanceOf(json, name).stoppedAt!) > Date.now() - 120_000, 'when it was stopped');
    assert.match(
      (await herald(['status'], main.env)).stdout,
      new RegExp(`^instance ${name} \\(default.*: stopped on request .* ago \\(herald start ${name} starts it\\)$`, 'm'),
    );

    // The watchdog stops and starts again (systemd, a reboot): the stop holds.
    assert.equal((await herald(['stop'], main.env)).code, 0);
    await wd!.exited;
    wd = startWatchdog(main);
    await wd.waitFor('brand-b MTA ready under the new watchdog', (st) => mtaOf(st, 'brand-b')?.state === 'ready', 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    s = (await wd.status())!;
    assert.equal(instanceOf(s, name).stopped, true);
    assert.equal(mtaOf(s, name).pid, null, 'a restarted watchdog leaves an instance stopped on request down');
    assert.equal(
      wd.events().some((e) => e.event === 'WATCHDOG_INSTANCE_STAYS_STOPPED' && e.instance === name),
      true,
    );
    const started = await herald(['start', name], main.env);
    assert.equal(started.code, 0, started.stderr);
    s = await wd.waitFor('the default MTA ready again', (st) => mtaOf(st, name).state === 'ready');
    assert.equal(instanceOf(s, name).stoppedAt, null);
  });

  it('removes a stopped instance and lets the watchdog forget it', async () => {
    assert.equal((await herald(['stop', 'brand-b'], main.env)).code, 0);
    const removed = await herald(['instance', 'remove', 'brand-b'], main.env);
    assert.equal(removed.code, 0, removed.stderr);
    const s = (await wd!.status())!;
    assert.deepEqual(
      s.instances!.map((i) => i.instance),
      [main.config.instanceName, 'brand-broken'],
    );
    const stop = await herald(['stop'], main.env);
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(await wd!.exited, { code: 0, signal: null });
  });
});
