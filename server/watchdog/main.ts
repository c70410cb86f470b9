import type { StartModule } from '../shared/run-process.js';
import { controlToken } from '../shared/watchdog-client.js';
import { startControlServer } from './control-server.js';
import { InstanceFleets } from './instance-fleets.js';
import { LastGoodConfig } from './last-good-config.js';
import { registerWatchdogMetrics } from './metrics.js';
import { ModuleFleet } from './module-fleet.js';
import { refuseSecondWatchdog, removeRunFiles, writeRunFiles } from './run-files.js';
import { moduleSpawner, type WatchdogOptions } from './spawn-module.js';

/**
 * The watchdog module: runs every autoStart module of every instance as a child process (the
 * default instance's fleet, with web and tracking, and one fleet per added instance) and serves the
 * control port.
 */
export function watchdogModule(options: WatchdogOptions): StartModule {
  return async ({ config, paths, siteFile, log, metrics }) => {
    await refuseSecondWatchdog(config, paths);
    const lastGood = new LastGoodConfig(config, siteFile, log);
    const spawn = moduleSpawner({ ...options.command, siteFile });
    const fleet = new ModuleFleet(options.catalog, config, { spawn, config: () => lastGood.get(), log, now: Date.now });
    const fleets = new InstanceFleets(
      { name: config.instanceName, siteFile, lastGood, fleet },
      { catalog: options.catalog, command: options.command, log, now: Date.now },
    );
    const actions = {
      status: () => ({ ...fleets.status({ config: lastGood.state }), metricsPort: metrics.port }),
      has: (m: string, instance = config.instanceName) => fleets.hasModule(instance, m),
      restart: (m?: string, instance = config.instanceName) => fleets.restart(instance, m),
      stop: () => process.kill(process.pid, 'SIGTERM'),
      instances: {
        has: (name: string) => fleets.has(name),
        stop: (name: string) => fleets.stopInstance(name),
        start: (name: string) => fleets.startInstance(name),
        reload: (name: string) => fleets.reloadInstance(name),
        forget: (name: string) => fleets.forget(name),
      },
    };
    registerWatchdogMetrics(metrics.registry, () => actions.status());
    const control = await startControlServer(config.watchdog.controlPort, controlToken(config), actions, log);
    const files = writeRunFiles(config, paths, control.port);
    log.info('WATCHDOG_STARTED', { pid: process.pid, controlPort: control.port, modules: fleet.names, instances: fleets.names });
    void fleets.startAll();
    const hooks = lastGood.reloadHooks(fleet);
    return {
      shutdownTimeoutMs: config.watchdog.stopTimeoutMs + 2000,
      async stop() {
        log.info('WATCHDOG_STOPPING');
        await fleets.stopAll();
        await control.close();
        removeRunFiles(files);
        log.info('WATCHDOG_STOPPED');
      },
      // SIGHUP: the whole appliance re-reads its site configs (the added instances each on their own).
      reload: async (next, changed) => {
        const result = await hooks.reload!(next, changed);
        await fleets.reloadAdded();
        return result;
      },
      reloadRefused: hooks.reloadRefused,
    };
  };
}
