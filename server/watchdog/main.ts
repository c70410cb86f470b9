import type { StartModule } from '../shared/run-process.js';
import { controlToken } from '../shared/watchdog-client.js';
import { startControlServer } from './control-server.js';
import { superviseInstances } from './instance-fleets.js';
import { registerWatchdogMetrics } from './metrics.js';
import { refuseSecondWatchdog, removeRunFiles, writeRunFiles } from './run-files.js';
import type { WatchdogOptions } from './spawn-module.js';

/** The watchdog module: runs every autoStart module of every instance (instance-fleets.ts) and serves the control port. */
export function watchdogModule(options: WatchdogOptions): StartModule {
  return async ({ config, paths, siteFile, log, metrics }) => {
    await refuseSecondWatchdog(config, paths);
    const { fleets, lastGood, hooks } = superviseInstances(options, { config, paths, siteFile, log });
    const actions = {
      status: () => ({ ...fleets.status({ config: lastGood.state }), metricsPort: metrics.port }),
      has: (m: string, instance = config.instanceName) => fleets.hasModule(instance, m),
      restart: (m?: string, instance = config.instanceName) => fleets.restart(instance, m),
      stop: () => process.kill(process.pid, 'SIGTERM'),
      instances: fleets.steering(),
    };
    registerWatchdogMetrics(metrics.registry, () => actions.status());
    const control = await startControlServer(config.watchdog.controlPort, controlToken(config), actions, log);
    const files = writeRunFiles(config, paths, control.port);
    log.info('WATCHDOG_STARTED', { pid: process.pid, controlPort: control.port, modules: fleets.main.fleet.names, instances: fleets.names });
    void fleets.startAll();
    return {
      shutdownTimeoutMs: config.watchdog.stopTimeoutMs + 2000,
      async stop() {
        log.info('WATCHDOG_STOPPING');
        await fleets.stopAll();
        await control.close();
        removeRunFiles(files);
        log.info('WATCHDOG_STOPPED');
      },
      ...hooks,
    };
  };
}
