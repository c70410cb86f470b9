import type { StartModule } from '../shared/run-process.js';
import { controlToken } from '../shared/watchdog-client.js';
import { startControlServer } from './control-server.js';
import { LastGoodConfig } from './last-good-config.js';
import { registerWatchdogMetrics } from './metrics.js';
import { ModuleFleet } from './module-fleet.js';
import { refuseSecondWatchdog, removeRunFiles, writeRunFiles } from './run-files.js';
import { moduleSpawner, type WatchdogOptions } from './spawn-module.js';

/** The watchdog module: runs every autoStart module as a child process and serves the control port. */
export function watchdogModule(options: WatchdogOptions): StartModule {
  return async ({ config, paths, siteFile, log, metrics }) => {
    await refuseSecondWatchdog(config, paths);
    const lastGood = new LastGoodConfig(config, siteFile, log);
    const spawn = moduleSpawner({ ...options.command, siteFile });
    const fleet = new ModuleFleet(options.catalog, config, { spawn, config: () => lastGood.get(), log, now: Date.now });
    const actions = {
      status: () => ({ ...fleet.status({ config: lastGood.state }), metricsPort: metrics.port }),
      has: (m: string) => fleet.names.includes(m),
      restart: (m?: string) => fleet.restart(m),
      stop: () => process.kill(process.pid, 'SIGTERM'),
    };
    registerWatchdogMetrics(metrics.registry, () => actions.status());
    const control = await startControlServer(config.watchdog.controlPort, controlToken(config), actions, log);
    const files = writeRunFiles(config, paths, control.port);
    log.info('WATCHDOG_STARTED', { pid: process.pid, controlPort: control.port, modules: fleet.names });
    void fleet.startAll();
    return {
      shutdownTimeoutMs: config.watchdog.stopTimeoutMs + 2000,
      async stop() {
        log.info('WATCHDOG_STOPPING');
        await fleet.stopAll();
        await control.close();
        removeRunFiles(files);
        log.info('WATCHDOG_STOPPED');
      },
      ...lastGood.reloadHooks(fleet),
    };
  };
}
