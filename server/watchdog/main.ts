import type { StartModule } from '../shared/run-process.js';
import { controlToken, type WatchdogStatus } from '../shared/watchdog-client.js';
import { startControlServer } from './control-server.js';
import { ModuleFleet } from './module-fleet.js';
import { refuseSecondWatchdog, removeRunFiles, writeRunFiles } from './run-files.js';
import { moduleSpawner, type WatchdogOptions } from './spawn-module.js';

/** The watchdog module: runs every autoStart module as a child process and serves the control port. */
export function watchdogModule(options: WatchdogOptions): StartModule {
  return async ({ config, paths, siteFile, log }) => {
    await refuseSecondWatchdog(config, paths);
    // The last valid configuration: every module start and restart gets it, whatever the files hold now.
    let current = { config, siteFile };
    const state: NonNullable<WatchdogStatus['config']> = { loadedAt: new Date().toISOString(), refused: null };
    const fleet = new ModuleFleet(options.catalog, config, {
      spawn: moduleSpawner({ ...options.command, siteFile }),
      config: () => current,
      log,
      now: Date.now,
    });
    const actions = {
      status: () => fleet.status({ config: state }),
      has: (m: string) => fleet.names.includes(m),
      restart: (m?: string) => fleet.restart(m),
      stop: () => process.kill(process.pid, 'SIGTERM'),
    };
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
      async reload(next) {
        log.info('WATCHDOG_RELOAD', { modules: fleet.names });
        current = { config: next, siteFile };
        state.loadedAt = new Date().toISOString();
        state.refused = null;
        await fleet.reload(next);
        return { applied: ['modules', 'watchdog'] };
      },
      reloadRefused(reason) {
        state.refused = { at: new Date().toISOString(), reason };
        log.warn('WATCHDOG_RELOAD_REFUSED', { reason, loadedAt: state.loadedAt });
      },
    };
  };
}
