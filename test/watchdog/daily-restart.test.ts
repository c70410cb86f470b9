import assert from 'node:assert/strict';
import { silentLogger } from '../../server/shared/logger.js';
import { ModuleSupervisor } from '../../server/watchdog/module-supervisor.js';
import { moduleSettings, restartPolicy } from '../../server/watchdog/settings.js';
import { moduleSpawner } from '../../server/watchdog/spawn-module.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';
import { FAKE_HERALD } from '../helpers/watchdog.js';

/**
 * Adobe's processRestartTime with a real module process: the supervisor's clock is set to one
 * second before the configured time, so the daily restart comes at once instead of tomorrow.
 */
describe('daily restart of a module (processRestartTime)', function () {
  this.timeout(30_000);
  let instance: TestInstance;
  let supervisor: ModuleSupervisor | undefined;
  before(() => (instance = createInstance()));
  after(async () => {
    await supervisor?.stop();
    instance.cleanup();
  });

  async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const value = check();
      if (value !== undefined) return value;
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('drains and restarts the module once at the configured time, then waits for the next day', async () => {
    const target = new Date();
    target.setHours(3, 59, 59, 0);
    // the clock stands at 03:59:59 until the module is ready (however long a loaded machine takes to start it), then runs
    let runningSince: number | undefined = undefined;
    const now = () => target.getTime() + (runningSince === undefined ? 0 : Date.now() - runningSince);
    const spawn = moduleSpawner({ execPath: process.execPath, execArgv: ['--import=tsx'], entry: FAKE_HERALD, siteFile: instance.siteFile, overrides: [] });
    const settings = { ...moduleSettings(instance.config, 'web'), heartbeatIntervalMs: 100, processRestartTime: '04:00' };
    const config = () => ({ config: instance.config, siteFile: instance.siteFile });
    supervisor = new ModuleSupervisor('web', settings, { spawn, config, log: silentLogger(), policy: restartPolicy(instance.config), now });
    await supervisor.start();
    runningSince = Date.now();
    const first = supervisor.snapshot();
    assert.deepEqual([first.state, first.restarts], ['ready', 0]);

    const restarted = await until('the daily restart', () => {
      const s = supervisor!.snapshot();
      return s.restarts === 1 && s.state === 'ready' ? s : undefined;
    });
    assert.notEqual(restarted.pid, first.pid, 'a new process');
    assert.deepEqual([restarted.lastExit?.reason, restarted.lastExit?.code], ['daily restart', 0], 'drained and exited by itself, not counted as a crash');

    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(supervisor.snapshot().restarts, 1, 'the next daily restart is tomorrow');
  });
});
