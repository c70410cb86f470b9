import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';
import { FAKE_HERALD, killTree, readLog, startWatchdog, waitGone, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';

/**
 * The watchdog as a real process over fake modules (test/fixtures/watchdog/fake-herald.ts), each a
 * real child process going through the real module lifecycle.
 */

type Modules = Parameters<typeof watchdogToml>[0];
type Watchdog = Parameters<typeof watchdogToml>[1];

function launch(modules: Modules, watchdog: Watchdog = {}, env: NodeJS.ProcessEnv = {}, extraToml = ''): { instance: TestInstance; wd: WatchdogProcess } {
  const instance = createInstance(`${extraToml}\n${watchdogToml(modules, watchdog)}`);
  return { instance, wd: startWatchdog(instance, { entry: FAKE_HERALD, env }) };
}

const events = (wd: WatchdogProcess, event: string, name?: string) => wd.events().filter((e) => e.event === event && (name === undefined || e.name === name));
const portAnswers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

describe('watchdog supervising module processes', function () {
  this.timeout(60_000);
  let instance: TestInstance | undefined;
  let wd: WatchdogProcess | undefined;
  afterEach(async () => {
    await killTree(wd);
    instance?.cleanup();
    instance = wd = undefined;
  });

  it('starts modules in ascending run level, then on SIGTERM drains them in reverse order and leaves no process behind', async () => {
    ({ instance, wd } = launch({ web: { runLevel: 20 }, tracking: { runLevel: 10 }, mta: { runLevel: 30 } }));
    const ready = await wd.waitFor('every module ready', (s) => s.modules.filter((m) => m.autoStart).every((m) => m.state === 'ready' && m.details !== null));
    const order = (event: string) => events(wd!, event).map((e) => e.name);
    assert.deepEqual(order('WATCHDOG_MODULE_READY'), ['tracking', 'web', 'mta']);
    const log = wd.events().map((e) => `${e.event}:${e.name}`);
    assert.ok(log.indexOf('WATCHDOG_MODULE_READY:tracking') < log.indexOf('WATCHDOG_MODULE_STARTING:web'), 'web starts once tracking is ready');
    assert.ok(log.indexOf('WATCHDOG_MODULE_READY:web') < log.indexOf('WATCHDOG_MODULE_STARTING:mta'), 'mta starts once web is ready');
    const pids = ready.modules.flatMap((m) => (m.pid ? [m.pid] : []));
    const ports = ready.modules.flatMap((m) => (m.details ? [m.details.port as number] : []));
    assert.equal(pids.length, 3);
    assert.ok((await Promise.all(ports.map(portAnswers))).every(Boolean), 'every module answers on its port');

    wd.child.kill('SIGTERM');
    assert.deepEqual(await wd.exited, { code: 0, signal: null });
    assert.deepEqual(order('WATCHDOG_MODULE_STOPPED'), ['mta', 'web', 'tracking']);
    for (const name of ['tracking', 'web', 'mta']) {
      assert.ok(
        readLog(instance, name).some((e) => e.event === 'PROCESS_STOPPING' && e.reason === 'stop requested'),
        `${name} drained`,
      );
    }
    assert.deepEqual(await waitGone(pids, 0), [], 'no module process is left');
    assert.deepEqual(await Promise.all(ports.map(portAnswers)), [false, false, false]);
  });

  it('puts a module that exits at once through the backoff into crash-looping, with one error event', async () => {
    const policy = { backoffInitialMs: 20, backoffFactor: 2, crashLoopCount: 4, crashLoopWindowMs: 60_000, crashLoopRestartDelayMs: 60_000 };
    ({ instance, wd } = launch({ mta: {} }, policy, { HERALD_TEST_FAKE_MTA: 'exit' }));
    const status = await wd.waitFor('mta crash-looping', (s) => wd!.module(s, 'mta').state === 'crash-looping');
    const mta = wd.module(status, 'mta');
    assert.equal(mta.restarts, 3);
    assert.equal(mta.lastExit?.code, 1);
    assert.ok(mta.nextStartInMs !== null && mta.nextStartInMs > 0, 'the next start is throttled');
    const scheduled = events(wd, 'WATCHDOG_RESTART_SCHEDULED', 'mta');
    assert.deepEqual(
      scheduled.map((e) => e.delayMs),
      [20, 40, 80, 60_000],
    );
    assert.deepEqual(
      scheduled.map((e) => e.crashLooping),
      [false, false, false, true],
    );
    const loop = events(wd, 'WATCHDOG_CRASH_LOOP', 'mta');
    assert.equal(loop.length, 1);
    assert.equal(loop[0]!.level, 'error');
  });

  it('does not restart a module that exits with code 78, and shows the config error as the reason', async () => {
    ({ instance, wd } = launch({ inmail: {}, web: {} }, {}, { HERALD_TEST_FAKE_INMAIL: 'config' }));
    const status = await wd.waitFor('inmail stopped and web ready', (s) => wd!.module(s, 'inmail').lastExit !== null && wd!.module(s, 'web').state === 'ready');
    const inmail = wd.module(status, 'inmail');
    assert.equal(inmail.state, 'stopped');
    assert.equal(inmail.lastExit?.code, 78);
    assert.match(inmail.lastExit?.reason ?? '', /^config error: fake: fake\.key: rejected on purpose/);
    assert.equal(events(wd, 'WATCHDOG_MODULE_CONFIG_ERROR', 'inmail').length, 1);
    await wd.waitFor('a few heartbeats of web', (s) => wd!.module(s, 'web').uptimeMs! > 500);
    assert.equal(events(wd, 'WATCHDOG_MODULE_STARTING', 'inmail').length, 1, 'started once, never again');
    assert.equal(events(wd, 'WATCHDOG_RESTART_SCHEDULED', 'inmail').length, 0);
  });

  it('kills a module that does not drain within the stop timeout', async () => {
    ({ instance, wd } = launch(
      { web: { heartbeatTimeoutMs: 60_000 } },
      { stopTimeoutMs: 800 },
      { HERALD_TEST_FAKE_WEB: 'deaf' },
      '[process]\nshutdownTimeoutMs = 500',
    ));
    const status = await wd.waitFor('web ready', (s) => wd!.module(s, 'web').state === 'ready');
    wd.child.kill('SIGTERM');
    assert.deepEqual(await wd.exited, { code: 0, signal: null });
    assert.equal(events(wd, 'WATCHDOG_FORCE_KILL', 'web').length, 1);
    assert.deepEqual(await waitGone([wd.module(status, 'web').pid!], 0), []);
  });

  it('leaves no module running 2 s after the watchdog itself is killed with SIGKILL', async () => {
    ({ instance, wd } = launch({ web: {}, tracking: {} }));
    const status = await wd.waitFor('modules ready', (s) => s.modules.filter((m) => m.autoStart).every((m) => m.state === 'ready' && m.details !== null));
    const pids = status.modules.flatMap((m) => (m.pid ? [m.pid] : []));
    const ports = status.modules.flatMap((m) => (m.details ? [m.details.port as number] : []));
    wd.child.kill('SIGKILL');
    await wd.exited;
    assert.deepEqual(await waitGone(pids, 2000), [], 'every module is gone within 2 s');
    assert.deepEqual(await Promise.all(ports.map(portAnswers)), [false, false], 'no port stays taken');
    for (const name of ['web', 'tracking'])
      assert.ok(
        readLog(instance, name).some((e) => e.event === 'PROCESS_PARENT_GONE'),
        `${name} noticed`,
      );
  });

  it('stops a module whose watchdog died even when the IPC channel stays open (parent pid backstop)', async () => {
    instance = createInstance();
    const parent = spawn(process.execPath, ['--import=tsx', join(APP_ROOT, 'test', 'fixtures', 'watchdog', 'ipc-holder-parent.ts')], {
      env: instance.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d))));
    const { module, holder } = JSON.parse(line) as { module: number; holder: number };
    try {
      parent.kill('SIGKILL');
      assert.deepEqual(await waitGone([module], 2000), [], 'the module is gone within 2 s');
      const gone = readLog(instance, 'web').find((e) => e.event === 'PROCESS_PARENT_GONE');
      assert.equal(gone?.how, 'parent process changed');
    } finally {
      process.kill(holder, 'SIGKILL');
    }
  });

  it('reloads on SIGHUP: starts modules switched on, forwards the reload, and rejects a bad config keeping the old one', async () => {
    ({ instance, wd } = launch({ web: {} }));
    await wd.waitFor('web ready', (s) => wd!.module(s, 'web').state === 'ready');
    const site = readFileSync(instance.siteFile, 'utf8');
    writeFileSync(instance.siteFile, site.replace(/\[modules\.mta\]\nautoStart = false/, '[modules.mta]\nautoStart = true'));
    wd.child.kill('SIGHUP');
    const both = await wd.waitFor('mta started by the reload', (s) => wd!.module(s, 'mta').state === 'ready');
    assert.ok(
      readLog(instance, 'web').some((e) => e.event === 'PROCESS_RELOADED'),
      'web re-validated the config',
    );

    writeFileSync(instance.siteFile, `${site}\n[web]\nport = "eighty"\n`);
    wd.child.kill('SIGHUP');
    await wd.waitFor('the reload rejected', () => wd!.events().some((e) => e.event === 'PROCESS_RELOAD_REJECTED'));
    const rejected = wd.events().find((e) => e.event === 'PROCESS_RELOAD_REJECTED')!;
    assert.match(String(rejected.reason), /web\.port: expected an integer/);
    const after = await wd.waitFor('status', () => true);
    assert.deepEqual(
      after.modules.map((m) => [m.module, m.pid, m.state]),
      both.modules.map((m) => [m.module, m.pid, m.state]),
      'the modules run on, untouched',
    );
  });
});

describe('watchdog after a refused reload', function () {
  this.timeout(90_000);
  let instance: TestInstance | undefined;
  let wd: WatchdogProcess | undefined;
  afterEach(async () => {
    await killTree(wd);
    instance?.cleanup();
    instance = wd = undefined;
  });

  it('restarts modules on the last valid configuration, and herald status and stop still work on the broken file', async () => {
    ({ instance, wd } = launch({ web: {}, mta: {} }));
    const ready = await wd.waitFor('web and mta ready', (s) => ['web', 'mta'].every((m) => wd!.module(s, m).state === 'ready'));
    const site = readFileSync(instance.siteFile, 'utf8');
    writeFileSync(instance.siteFile, `${site}\n[web\nport = 8080\n`); // not even TOML any more
    wd.child.kill('SIGHUP');
    await wd.waitFor('the reload refused', (s) => s.config?.refused !== null && s.config?.refused !== undefined);

    const killed = wd.module(ready, 'mta').pid!;
    process.kill(killed, 'SIGKILL');
    const again = await wd.waitFor('mta restarted and ready', (s) => wd!.module(s, 'mta').state === 'ready' && wd!.module(s, 'mta').pid !== killed);
    assert.equal(wd.module(again, 'mta').restarts, 1, 'restarted once, on the last valid configuration, not stopped by the broken file');
    const restarted = readLog(instance, 'mta').filter((e) => e.event === 'PROCESS_READY');
    assert.equal(restarted.length, 2);

    const status = await herald(['status'], instance.env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stderr, /config error: .*herald\.toml: line \d+: invalid TOML.*a running watchdog keeps its last valid configuration/);
    assert.match(status.stdout, /^config reload refused .* ago: .*invalid TOML/m);
    assert.match(status.stdout, /^mta +\d+ +ready/m);
    const json = JSON.parse((await herald(['status', '--json'], instance.env)).stdout) as { running: boolean; config: { refused: { reason: string } } };
    assert.equal(json.running, true);
    assert.match(json.config.refused.reason, /invalid TOML/);

    const stopped = await herald(['stop'], instance.env);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /^Herald stopped/);
    assert.deepEqual(await wd.exited, { code: 0, signal: null });
  });
});

describe('watchdog supervising modules that hang, go deaf or use too much memory', function () {
  this.timeout(60_000);
  let instance: TestInstance | undefined;
  let wd: WatchdogProcess | undefined;
  before(() => {
    ({ instance, wd } = launch(
      {
        tracking: { heartbeatIntervalMs: 100, heartbeatTimeoutMs: 400 },
        mta: { startupTimeoutMs: 400 },
        web: { heartbeatIntervalMs: 100, memoryWarningMb: 1, memoryAlertMb: 2 },
      },
      {},
      { HERALD_TEST_FAKE_TRACKING: 'deaf', HERALD_TEST_FAKE_MTA: 'hang' },
    ));
  });
  after(async () => {
    await killTree(wd);
    instance?.cleanup();
    instance = wd = undefined;
  });
  const sharedWd = () => wd!;

  it('kills and restarts a module that stops answering heartbeats', async () => {
    const w = sharedWd();
    await w.waitFor('tracking restarted', (s) => w.module(s, 'tracking').restarts >= 1);
    const missed = events(w, 'WATCHDOG_HEARTBEAT_MISSED', 'tracking');
    assert.ok(missed.length >= 1);
    assert.ok((missed[0]!.silentMs as number) > 400);
    assert.equal(events(w, 'WATCHDOG_MODULE_EXITED', 'tracking')[0]!.signal, 'SIGKILL');
  });

  it('kills and restarts a module that does not report ready within its startup timeout', async () => {
    const w = sharedWd();
    await w.waitFor('mta restarted', (s) => w.module(s, 'mta').restarts >= 1);
    assert.ok(events(w, 'WATCHDOG_START_TIMEOUT', 'mta').length >= 1);
    assert.equal(events(w, 'WATCHDOG_MODULE_READY', 'mta').length, 0);
  });

  it('restarts a module over its memory alert threshold gracefully, draining it first', async () => {
    const w = sharedWd();
    const status = await w.waitFor('web restarted for memory', (s) => w.module(s, 'web').lastExit?.reason === 'memory alert');
    assert.equal(w.module(status, 'web').lastExit?.code, 0, 'it drained and exited by itself');
    assert.ok(events(w, 'WATCHDOG_MEMORY_ALERT', 'web').length >= 1);
    assert.equal(events(w, 'WATCHDOG_MODULE_EXITED', 'web').length, 0, 'a memory restart is not a crash');
    assert.ok(readLog(instance!, 'web').some((e) => e.event === 'PROCESS_STOPPING' && e.reason === 'stop requested'));
  });
});
