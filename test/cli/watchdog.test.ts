import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { openTestDb, createInstance, type TestInstance } from '../helpers/instance.js';
import { herald } from '../helpers/cli.js';
import { killTree, startWatchdog, waitGone, watchdogToml, type WatchdogProcess } from '../helpers/watchdog.js';
import { controlPort, runFiles } from '../../server/shared/watchdog-client.js';

/** `herald start|status|restart|stop` with the real web module under the real watchdog. */
describe('herald start, status, restart and stop', function () {
  this.timeout(60_000);
  let instance: TestInstance;
  let wd: WatchdogProcess | undefined;
  before(async () => {
    instance = createInstance(`[web]\nport = 0\n${watchdogToml({ web: {} })}`);
    await (await openTestDb(instance)).close();
  });
  after(async () => {
    await killTree(wd);
    instance.cleanup();
  });

  const webReady = (w: WatchdogProcess, notPid?: number) =>
    w.waitFor('web ready', (s) => {
      const web = w.module(s, 'web');
      return web.state === 'ready' && web.pid !== notPid && web.details !== null;
    });
  const health = async (port: unknown) => (await fetch(`http://127.0.0.1:${String(port)}/health`)).status;

  it('runs the web module under the watchdog and shows it in a status table and as JSON', async () => {
    wd = startWatchdog(instance);
    const status = await webReady(wd);
    assert.equal(await health(wd.module(status, 'web').details!.port), 200);
    const table = await herald(['status'], instance.env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^watchdog pid \d+, up /);
    assert.match(table.stdout, /^module +pid +state +uptime +restarts +rss +last exit$/m);
    assert.match(table.stdout, /^web +\d+ +ready +\S+ +0 +\d+ MB +-$/m);
    const json = await herald(['status', '--json'], instance.env);
    const parsed = JSON.parse(json.stdout) as { running: boolean; pid: number; modules: Array<{ module: string; state: string }> };
    assert.equal(parsed.running, true);
    assert.equal(parsed.pid, wd.child.pid);
    assert.deepEqual(
      parsed.modules.filter((m) => m.state !== 'stopped').map((m) => [m.module, m.state]),
      [['web', 'ready']],
      'only the auto-started module runs',
    );
  });

  it('refuses a second watchdog and strangers on the control port', async () => {
    const second = await herald(['start'], instance.env);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Herald is already running \(watchdog pid \d+\)/);
    const stranger = await fetch(`http://127.0.0.1:${controlPort(instance.config, instance.paths)}/status`);
    assert.equal(stranger.status, 401);
  });

  it('restarts the web module killed with SIGKILL, and it answers again', async () => {
    const before = wd!.module((await wd!.status())!, 'web');
    process.kill(before.pid!, 'SIGKILL');
    const status = await webReady(wd!, before.pid!);
    const web = wd!.module(status, 'web');
    assert.equal(web.restarts, 1);
    assert.equal(web.lastExit?.signal, 'SIGKILL');
    assert.equal(await health(web.details!.port), 200);
  });

  it('restarts a module on request, gracefully, and rejects an unknown module', async () => {
    const before = wd!.module((await wd!.status())!, 'web');
    const res = await herald(['restart', 'web'], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /web +\d+ +ready .* code 0, .*: requested\n/);
    const after = wd!.module((await wd!.status())!, 'web');
    assert.notEqual(after.pid, before.pid);
    assert.deepEqual(await waitGone([before.pid!], 0), []);
    const unknown = await herald(['restart', 'nope'], instance.env);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /unknown module: nope/);
  });

  it('stops everything with herald stop: modules drained, no process left, pid file gone', async () => {
    const web = wd!.module((await wd!.status())!, 'web');
    const res = await herald(['stop'], instance.env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Herald stopped \(watchdog pid \d+\)\n$/);
    assert.deepEqual(await wd!.exited, { code: 0, signal: null });
    assert.deepEqual(await waitGone([web.pid!], 0), []);
    assert.equal(existsSync(runFiles(instance.config, instance.paths).pidFile), false);
    const status = await herald(['status'], instance.env);
    assert.equal(status.code, 2);
    assert.equal(status.stdout, 'Herald is not running\n');
    const again = await herald(['stop'], instance.env);
    assert.equal(again.code, 0);
  });

  it('detaches with --daemon and writes the pid file; killing that watchdog leaves no module behind', async () => {
    const res = await herald(['start', '--daemon'], instance.env);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    const pid = Number(/watchdog pid (\d+)/.exec(res.stdout)?.[1]);
    assert.match(res.stdout, /web +\d+ +ready/);
    assert.equal(readFileSync(runFiles(instance.config, instance.paths).pidFile, 'utf8').trim(), String(pid));
    const status = JSON.parse((await herald(['status', '--json'], instance.env)).stdout) as {
      modules: Array<{ module: string; pid: number; details: { port: number } }>;
    };
    const web = status.modules.find((m) => m.module === 'web')!;
    process.kill(pid, 'SIGKILL');
    assert.deepEqual(await waitGone([pid, web.pid], 2000), [], 'the web module is gone within 2 s');
    await assert.rejects(fetch(`http://127.0.0.1:${web.details.port}/health`), 'its port is free');
    const stale = await herald(['stop'], instance.env);
    assert.equal(stale.code, 0);
    assert.equal(stale.stdout, 'Herald is not running\n');
  });
});
