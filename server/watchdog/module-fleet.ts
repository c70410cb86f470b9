import type { HeraldConfig, ModuleName } from '../shared/config/schema.js';
import type { WatchdogStatus } from '../shared/watchdog-client.js';
import { ModuleSupervisor, type SupervisorDeps } from './module-supervisor.js';
import { moduleSettings, restartPolicy, runLevelGroups } from './settings.js';

/**
 * Every module the watchdog knows (those that exist in this build), started in ascending run level
 * (a level waits until each of its modules is ready or has failed its first attempt) and stopped in
 * the reverse order under one shared deadline.
 */
export class ModuleFleet {
  private readonly supervisors: ModuleSupervisor[];
  private readonly deps: SupervisorDeps;
  private readonly startedAt: number;
  private stopping = false;

  constructor(catalog: readonly ModuleName[], config: HeraldConfig, deps: Omit<SupervisorDeps, 'policy'>) {
    this.deps = { ...deps, policy: restartPolicy(config) };
    this.supervisors = catalog.map((name) => new ModuleSupervisor(name, moduleSettings(config, name), this.deps));
    this.startedAt = deps.now();
  }

  get names(): string[] {
    return this.supervisors.map((s) => s.name);
  }

  /** Starts every autoStart module that is stopped, level by level. */
  async startAll(): Promise<void> {
    const stopped = this.supervisors.filter((s) => s.settings.autoStart && s.snapshot().state === 'stopped');
    for (const group of this.groups(stopped)) {
      if (this.stopping) return;
      await Promise.all(group.map((s) => s.start()));
    }
  }

  /** Starts the fleet again after stopAll (an instance stopped alone, then started). */
  async startAgain(): Promise<void> {
    this.stopping = false;
    await this.startAll();
  }

  /** Drains every module, highest run level first; whatever is still running at the deadline is killed. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const deadline = this.deps.now() + (this.supervisors[0]?.settings.stopTimeoutMs ?? 0);
    for (const group of this.groups(this.supervisors).reverse()) await Promise.all(group.map((s) => s.stop(deadline)));
  }

  /** Graceful restart of one module, or of every autoStart or running module in run-level order. */
  async restart(name?: string): Promise<void> {
    const targets = name ? this.supervisors.filter((s) => s.name === name) : this.supervisors.filter((s) => s.settings.autoStart || s.running);
    for (const group of this.groups(targets)) {
      if (this.stopping) return;
      for (const s of group) await s.restart('requested', { forgetCrashes: true });
    }
  }

  /**
   * Takes a new (validated) config: new thresholds and policy, modules switched on are started (as
   * are modules stopped by a config error), modules switched off are stopped, the others get it.
   */
  async reload(config: HeraldConfig, options: { start?: boolean } = {}): Promise<void> {
    this.deps.policy = restartPolicy(config);
    for (const s of this.supervisors) s.settings = moduleSettings(config, s.name as ModuleName);
    for (const s of this.supervisors) {
      if (s.running && !s.settings.autoStart) void s.stop(undefined, 'autoStart switched off');
      else s.reload(config);
    }
    if (options.start !== false) await this.startAll();
  }

  /** Hands `config` again to some running modules only (web and tracking re-read the other instances then). */
  reloadModules(names: readonly string[], config: HeraldConfig): void {
    for (const s of this.supervisors) if (names.includes(s.name) && s.running) s.reload(config);
  }

  status(extra: Pick<WatchdogStatus, 'config'>): WatchdogStatus {
    const now = this.deps.now();
    return {
      ...extra,
      pid: process.pid,
      startedAt: new Date(this.startedAt).toISOString(),
      uptimeMs: now - this.startedAt,
      stopping: this.stopping,
      modules: this.groups(this.supervisors)
        .flat()
        .map((s) => s.snapshot()),
    };
  }

  private groups(list: readonly ModuleSupervisor[]): ModuleSupervisor[][] {
    const byName = new Map(list.map((s) => [s.name, s]));
    return runLevelGroups(list.map((s) => ({ name: s.name, runLevel: s.settings.runLevel }))).map((names) => names.map((n) => byName.get(n)!));
  }
}
