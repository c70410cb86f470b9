import { existsSync } from 'node:fs';
import { addedInstances, MULTI_INSTANCE_MODULES } from '../shared/config/instances.js';
import { loadConfig } from '../shared/config/load.js';
import type { HeraldConfig, ModuleName } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { InstancePaths } from '../shared/config/paths.js';
import { StoppedInstances } from '../shared/stopped-instances.js';
import type { InstanceStatus, WatchdogStatus } from '../shared/watchdog-client.js';
import { instanceCondition } from './instance-condition.js';
import { LastGoodConfig } from './last-good-config.js';
import { ModuleFleet } from './module-fleet.js';
import type { RunningModule } from '../shared/run-process.js';
import { moduleSpawner, type ModuleCommand, type WatchdogOptions } from './spawn-module.js';

/**
 * Every instance of the appliance under the one watchdog (Adobe's multi-instance watchdog): the
 * default instance's fleet runs every module (web and tracking serve every instance from there),
 * each added instance's fleet runs its mono-instance modules as processes of their own, started
 * with that instance's site config (its database, data folder, logs). Fleets share nothing: one
 * instance's crash loop, config error or full disk never touches another's modules, and one
 * instance can be stopped, started or reloaded alone.
 */

interface Entry {
  name: string;
  siteFile: string;
  isDefault: boolean;
  /** Stopped on request: its modules stay down (the watchdog restarts nothing of it), across watchdog restarts. */
  stopped: boolean;
  stoppedAt: string | null;
  configError: string | null;
  lastGood?: LastGoodConfig;
  fleet?: ModuleFleet;
}

export interface FleetsDeps {
  catalog: readonly ModuleName[];
  command: Omit<ModuleCommand, 'siteFile'>;
  log: Logger;
  now(): number;
  /** Where stops on request are written down (absent: they last as long as this watchdog). */
  marks?: StoppedInstances;
}

/**
 * The watchdog's instances: the default one from the site config it was started with, the added
 * ones beside it; and its reload (SIGHUP), which re-reads every instance's site config.
 */
export function superviseInstances(options: WatchdogOptions, ctx: { config: HeraldConfig; paths: InstancePaths; siteFile: string; log: Logger }) {
  const { config, siteFile, log } = ctx;
  const marks = StoppedInstances.of(config, ctx.paths);
  const lastGood = new LastGoodConfig(config, siteFile, log);
  const spawn = moduleSpawner({ ...options.command, siteFile });
  const fleet = new ModuleFleet(options.catalog, config, { spawn, config: () => lastGood.get(), log, now: Date.now });
  const fleets = new InstanceFleets({ name: config.instanceName, siteFile, lastGood, fleet }, { ...options, log, now: Date.now, marks });
  const own = lastGood.reloadHooks(fleet);
  const reloadStopped = async (next: HeraldConfig) => {
    log.info('WATCHDOG_RELOAD', { modules: fleet.names, stopped: true });
    lastGood.loaded(next);
    await fleet.reload(next, { start: false });
    return { applied: ['watchdog'] };
  };
  const hooks: Pick<RunningModule, 'reload' | 'reloadRefused'> = {
    reload: async (next, changed) => {
      // A default instance stopped on request takes the new config without starting.
      const result = fleets.defaultStopped ? await reloadStopped(next) : await own.reload!(next, changed);
      await fleets.reloadAdded();
      return result;
    },
    reloadRefused: own.reloadRefused,
  };
  return { fleets, lastGood, hooks };
}

export class InstanceFleets {
  private readonly entries: Entry[] = [];
  private stopping = false;

  constructor(
    readonly main: { name: string; siteFile: string; lastGood: LastGoodConfig; fleet: ModuleFleet },
    private readonly deps: FleetsDeps,
  ) {
    const stops = deps.marks?.read() ?? new Map<string, string>();
    const stop = (name: string) => ({ stopped: stops.has(name), stoppedAt: stops.get(name) ?? null });
    this.entries.push({ ...main, isDefault: true, ...stop(main.name), configError: null });
    for (const added of addedInstances(main.siteFile)) this.entries.push(this.load({ ...added, isDefault: false, ...stop(added.name), configError: null }));
    for (const name of stops.keys()) {
      if (this.entries.some((e) => e.name === name)) deps.log.info('WATCHDOG_INSTANCE_STAYS_STOPPED', { instance: name, stoppedAt: stops.get(name) });
      else deps.marks!.clear(name); // an instance removed meanwhile
    }
  }

  /** Whether the default instance is stopped on request (a SIGHUP must not start it). */
  get defaultStopped(): boolean {
    return this.entries[0]!.stopped;
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name) || addedInstances(this.main.siteFile).some((a) => a.name === name);
  }

  /** An added instance's fleet, from its site config as it reads now (a config error is kept, and shown). */
  private load(entry: Entry): Entry {
    const log = this.deps.log.child({ instance: entry.name });
    let config: HeraldConfig;
    try {
      config = loadConfig({ siteFile: entry.siteFile, overrides: this.deps.command.overrides }).config;
    } catch (err) {
      this.deps.log.error('WATCHDOG_INSTANCE_CONFIG_ERROR', { instance: entry.name, reason: describeError(err) });
      return { ...entry, configError: describeError(err), lastGood: undefined, fleet: undefined };
    }
    const lastGood = new LastGoodConfig(config, entry.siteFile, log);
    const spawn = moduleSpawner({ ...this.deps.command, siteFile: entry.siteFile });
    const catalog = this.deps.catalog.filter((m) => !MULTI_INSTANCE_MODULES.includes(m));
    const fleet = new ModuleFleet(catalog, config, { spawn, config: () => lastGood.get(), log, now: this.deps.now });
    return { ...entry, configError: null, lastGood, fleet };
  }

  /** Starts every instance's autoStart modules side by side (each fleet in its own run-level order). */
  async startAll(): Promise<void> {
    await Promise.all(this.entries.filter((e) => !e.stopped && e.fleet).map((e) => e.fleet!.startAll()));
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.entries.filter((e) => e.fleet).map((e) => e.fleet!.stopAll()));
  }

  /** Drains one instance's modules; they stay down until startInstance. */
  async stopInstance(name: string): Promise<void> {
    const entry = this.entry(name);
    entry.stopped = true;
    entry.stoppedAt = new Date(this.deps.now()).toISOString();
    const unwritten = this.deps.marks?.mark(name, new Date(this.deps.now()));
    if (unwritten) this.deps.log.warn('WATCHDOG_INSTANCE_STOP_UNRECORDED', { instance: name, reason: unwritten });
    this.deps.log.info('WATCHDOG_INSTANCE_STOPPING', { instance: name });
    if (entry.fleet) await entry.fleet.stopAll();
    this.deps.log.info('WATCHDOG_INSTANCE_STOPPED', { instance: name });
  }

  /**
   * Starts one instance's modules: an instance added since the watchdog started (or whose config
   * could not be read) is loaded from its site config now.
   */
  async startInstance(name: string): Promise<void> {
    if (this.stopping) return;
    let entry = this.entries.find((e) => e.name === name);
    if (!entry) {
      const added = addedInstances(this.main.siteFile).find((a) => a.name === name)!;
      entry = this.load({ ...added, isDefault: false, stopped: false, stoppedAt: null, configError: null });
      this.entries.push(entry);
    } else if (!entry.isDefault && (entry.configError || entry.stopped)) {
      const index = this.entries.indexOf(entry);
      entry = this.load({ ...entry, stopped: false });
      this.entries[index] = entry;
    }
    entry.stopped = false;
    entry.stoppedAt = null;
    this.deps.marks?.clear(name);
    this.multiInstanceReread();
    this.deps.log.info('WATCHDOG_INSTANCE_STARTING', { instance: name });
    if (entry.fleet) await entry.fleet.startAgain();
  }

  /** Re-reads one added instance's site config: a valid one goes to its modules, an invalid one is refused (they run on). */
  async reloadInstance(name: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const entry = this.entry(name);
    let config: HeraldConfig;
    try {
      config = loadConfig({ siteFile: entry.siteFile, overrides: this.deps.command.overrides }).config;
    } catch (err) {
      const reason = describeError(err);
      if (entry.lastGood) entry.lastGood.refused(reason);
      else entry.configError = reason;
      return { ok: false, reason };
    }
    if (entry.isDefault && entry.stopped) {
      entry.lastGood!.loaded(config);
      await entry.fleet!.reload(config, { start: false });
      return { ok: true };
    }
    if (!entry.fleet || !entry.lastGood || entry.stopped) {
      // Nothing of it runs: its next start takes the new config (web and tracking serve it from now).
      const index = this.entries.indexOf(entry);
      this.entries[index] = this.load({ ...entry });
      this.multiInstanceReread();
      return { ok: true };
    }
    this.deps.log.info('WATCHDOG_RELOAD', { instance: name, modules: entry.fleet.names });
    entry.lastGood.loaded(config);
    await entry.fleet.reload(config);
    if (!entry.isDefault) this.multiInstanceReread();
    return { ok: true };
  }

  /**
   * The default fleet's web and tracking processes serve every instance: they re-read the instances'
   * site configs (an added, changed or removed one) when handed the default config again.
   */
  private multiInstanceReread(): void {
    this.main.fleet.reloadModules(MULTI_INSTANCE_MODULES, this.main.lastGood.get().config);
  }

  /** The watchdog's own reload (SIGHUP): every added instance re-reads its site config; new ones start, removed ones stop. */
  async reloadAdded(): Promise<void> {
    for (const added of addedInstances(this.main.siteFile)) {
      if (!this.entries.some((e) => e.name === added.name)) await this.startInstance(added.name);
      else await this.reloadInstance(added.name);
    }
    for (const entry of this.entries.filter((e) => !e.isDefault && !existsSync(e.siteFile))) {
      if (entry.fleet) await entry.fleet.stopAll();
      this.forget(entry.name);
    }
  }

  /** Lets go of a stopped instance (removed with herald instance remove). */
  forget(name: string): boolean {
    const entry = this.entries.find((e) => e.name === name && !e.isDefault);
    if (!entry || entry.fleet?.status({}).modules.some((m) => m.pid !== null)) return false;
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.deps.marks?.clear(name);
    return true;
  }

  /** What the control port's /instances routes call. */
  steering() {
    return {
      has: (name: string) => this.has(name),
      stop: (name: string) => this.stopInstance(name),
      start: (name: string) => this.startInstance(name),
      reload: (name: string) => this.reloadInstance(name),
      forget: (name: string) => this.forget(name),
    };
  }

  restart(instance: string, module?: string): Promise<void> {
    const entry = this.entry(instance);
    return entry.fleet && !entry.stopped ? entry.fleet.restart(module) : Promise.resolve();
  }

  hasModule(instance: string, module: string): boolean {
    return this.entries.find((e) => e.name === instance)?.fleet?.names.includes(module) ?? false;
  }

  /** The default instance's status (as before several instances), with every instance's modules under `instances`. */
  status(extra: Pick<WatchdogStatus, 'config'>): WatchdogStatus {
    const main = this.main.fleet.status(extra);
    const instances: InstanceStatus[] = this.entries.map((e) => {
      const modules = e.fleet ? e.fleet.status({}).modules : [];
      return {
        instance: e.name,
        default: e.isDefault,
        siteFile: e.siteFile,
        stopped: e.stopped,
        stoppedAt: e.stoppedAt,
        configError: e.configError,
        ...instanceCondition({ stopped: e.stopped, configError: e.configError, modules }),
        ...(e.lastGood ? { config: e.lastGood.state } : {}),
        modules,
      };
    });
    return { ...main, stopping: this.stopping, instances };
  }

  private entry(name: string): Entry {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`unknown instance: ${name}`);
    return entry;
  }
}
