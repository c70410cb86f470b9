import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import type { RunningModule } from '../shared/run-process.js';
import type { WatchdogStatus } from '../shared/watchdog-client.js';

/**
 * The watchdog's last valid configuration: every module start and restart is handed it, whatever
 * the files hold now, so a refused reload leaves no trap (a module restarted later does not read
 * the broken file). `state` (when it was loaded, the last refusal) is shown by `herald status`;
 * `reloadHooks` are the watchdog's own reload and refusal.
 */
export class LastGoodConfig {
  private current: { config: HeraldConfig; siteFile: string };
  readonly state: NonNullable<WatchdogStatus['config']>;

  constructor(
    config: HeraldConfig,
    private readonly siteFile: string,
    private readonly log: Logger,
    private readonly now = () => new Date(),
  ) {
    this.current = { config, siteFile };
    this.state = { loadedAt: now().toISOString(), refused: null };
  }

  get(): { config: HeraldConfig; siteFile: string } {
    return this.current;
  }

  /** A reload was accepted: modules started from now on get this configuration. */
  loaded(config: HeraldConfig): void {
    this.current = { config, siteFile: this.siteFile };
    this.state.loadedAt = this.now().toISOString();
    this.state.refused = null;
  }

  /** A reload was refused (the files are invalid): modules keep running, and restarting, on the last good one. */
  refused(reason: string): void {
    this.state.refused = { at: this.now().toISOString(), reason };
    this.log.warn('WATCHDOG_RELOAD_REFUSED', { reason, loadedAt: this.state.loadedAt });
  }

  /** The watchdog's reload: a valid config becomes the last good one and goes to every running module. */
  reloadHooks(fleet: { names: readonly string[]; reload(config: HeraldConfig): Promise<void> }): Pick<RunningModule, 'reload' | 'reloadRefused'> {
    return {
      reload: async (next) => {
        this.log.info('WATCHDOG_RELOAD', { modules: fleet.names });
        this.loaded(next);
        await fleet.reload(next);
        return { applied: ['modules', 'watchdog'] };
      },
      reloadRefused: (reason) => this.refused(reason),
    };
  }
}
