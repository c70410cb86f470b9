import type { ChildProcess } from 'node:child_process';
import type { HeraldConfig } from '../shared/config/schema.js';
import { unhealthy } from '../shared/health.js';
import type { Logger } from '../shared/logger.js';
import type { ChildMessage, ParentMessage } from '../shared/run-process.js';
import type { LastExit, ModuleState, ModuleStatus } from '../shared/watchdog-client.js';
import { decideRestart, NO_CRASHES, type CrashHistory, type RestartPolicy } from './restart-policy.js';
import { memoryLevel, nextDailyRestart, toMb, type MemoryLevel } from './schedule.js';
import type { ModuleSettings } from './settings.js';

/**
 * Runs one module as a child process and keeps it running: spawn, wait for `ready` (within
 * startupTimeoutMs), heartbeat (ping/pong with RSS), restart after an unexpected exit following the
 * restart policy, graceful restarts (memory alert, daily restart, operator request) and stop with
 * a deadline. Exits it asked for are never counted as crashes.
 */

export interface SupervisorDeps {
  /** Starts `herald <module>` with an IPC channel. */
  spawn(module: string): ChildProcess;
  /** The last valid configuration, handed to a module that asks for it (every start and restart). */
  config(): { config: HeraldConfig; siteFile: string };
  log: Logger;
  policy: RestartPolicy;
  now(): number;
}

type Timer = ReturnType<typeof setTimeout>;
type TimerName = 'restart' | 'startup' | 'kill' | 'heartbeat';

export class ModuleSupervisor {
  private state: ModuleState = 'stopped';
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private readyAt: number | undefined;
  /** Processes spawned so far; every one after the first is a restart. */
  private spawns = 0;
  private rss: number | null = null;
  private memory: MemoryLevel = 'ok';
  private details: Record<string, unknown> | null = null;
  private lastExit: LastExit | null = null;
  private history: CrashHistory = NO_CRASHES;
  private configError: string | undefined;
  /** Why the current process is being stopped (then its exit is not a crash), and whether to start again. */
  private stopReason: string | undefined;
  private startAgain = false;
  private lastPongAt = 0;
  private pingId = 0;
  private dailyAt: number | undefined;
  private startAt: number | undefined;
  private timers: Partial<Record<TimerName, Timer>> = {};
  private settledWaiters: Array<() => void> = [];
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly name: string,
    public settings: ModuleSettings,
    private readonly deps: SupervisorDeps,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the module unless it runs; resolves when it is ready or this attempt has ended. */
  start(): Promise<void> {
    if (this.child) return this.state === 'starting' ? this.settled() : Promise.resolve();
    this.clearTimer('restart');
    this.spawnChild();
    return this.settled();
  }

  /** Drains the module (IPC stop), killing it at `deadline` (ms); resolves once it has exited. */
  stop(deadline = this.deps.now() + this.settings.stopTimeoutMs, reason = 'stop requested'): Promise<void> {
    this.startAgain = false;
    this.clearTimer('restart');
    this.startAt = undefined;
    if (!this.child) {
      this.state = 'stopped';
      return Promise.resolve();
    }
    this.requestExit(reason, deadline);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Graceful restart: drain, then start again; resolves when the new process is ready or has ended. */
  async restart(reason: string, options: { forgetCrashes?: boolean } = {}): Promise<void> {
    if (options.forgetCrashes) this.history = NO_CRASHES;
    if (!this.child) return this.start();
    if (this.stopReason !== undefined && !this.startAgain) return; // a stop is under way: it wins
    this.deps.log.info('WATCHDOG_MODULE_RESTARTING', { name: this.name, pid: this.child.pid, reason });
    this.requestExit(reason, this.deps.now() + this.settings.stopTimeoutMs);
    this.startAgain = true;
    await new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (this.child) await this.settled();
  }

  /** Hands a new, validated config to the running process. */
  reload(config: HeraldConfig): void {
    this.send({ type: 'reload', config });
  }

  /** The module's line in the status (times relative to now). */
  snapshot(): ModuleStatus {
    const now = this.deps.now();
    return {
      module: this.name,
      state: this.state,
      autoStart: this.settings.autoStart,
      runLevel: this.settings.runLevel,
      pid: this.child?.pid ?? null,
      uptimeMs: this.child ? now - this.startedAt : null,
      restarts: Math.max(0, this.spawns - 1),
      rssBytes: this.child ? this.rss : null,
      memory: this.memory,
      lastExit: this.lastExit,
      nextStartInMs: this.startAt !== undefined ? Math.max(0, this.startAt - now) : null,
      details: this.child ? this.details : null,
    };
  }

  private spawnChild(): void {
    const child = this.deps.spawn(this.name);
    this.spawns += 1;
    this.child = child;
    this.state = 'starting';
    this.startedAt = this.deps.now();
    this.startAt = this.readyAt = this.stopReason = this.configError = undefined;
    this.rss = this.details = null;
    this.memory = 'ok';
    this.deps.log.info('WATCHDOG_MODULE_STARTING', { name: this.name, pid: child.pid });
    child.on('message', (message: ChildMessage) => child === this.child && this.onMessage(message));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    child.on('error', (err) => {
      if (child.pid !== undefined) return; // a kill or send on a process that just ended: its exit event follows
      this.deps.log.error('WATCHDOG_MODULE_EXITED', { name: this.name, err });
      this.onExit(child, null, null); // a failed spawn: no exit event will follow
    });
    this.timers.startup = setTimeout(() => {
      this.deps.log.error('WATCHDOG_START_TIMEOUT', { name: this.name, pid: child.pid, timeoutMs: this.settings.startupTimeoutMs });
      child.kill('SIGKILL');
    }, this.settings.startupTimeoutMs);
  }

  private onMessage(message: ChildMessage): void {
    if (message?.type === 'config-request') this.send({ type: 'config', ...this.deps.config() });
    else if (message?.type === 'ready') this.onReady();
    else if (message?.type === 'pong') this.onPong(message.rss, message.status);
    else if (message?.type === 'config-error') this.configError = message.message;
  }

  private onReady(): void {
    if (this.state !== 'starting') return;
    this.clearTimer('startup');
    const now = this.deps.now();
    this.state = 'ready';
    this.readyAt = this.lastPongAt = now;
    this.dailyAt = nextDailyRestart(now, this.settings.processRestartTime);
    this.deps.log.info('WATCHDOG_MODULE_READY', { name: this.name, pid: this.child?.pid, startMs: now - this.startedAt });
    this.timers.heartbeat = setInterval(() => this.heartbeat(), this.settings.heartbeatIntervalMs);
    this.send({ type: 'ping', id: ++this.pingId });
    this.release('settledWaiters');
  }

  private heartbeat(): void {
    const now = this.deps.now();
    if (now - this.lastPongAt > this.settings.heartbeatTimeoutMs) {
      this.deps.log.error('WATCHDOG_HEARTBEAT_MISSED', { name: this.name, pid: this.child?.pid, silentMs: now - this.lastPongAt });
      this.clearTimer('heartbeat');
      this.child?.kill('SIGKILL');
      return;
    }
    if (this.dailyAt !== undefined && now >= this.dailyAt && this.state === 'ready') {
      this.dailyAt = undefined;
      void this.restart('daily restart');
      return;
    }
    this.send({ type: 'ping', id: ++this.pingId });
  }

  private onPong(rss: number, details: Record<string, unknown> | undefined): void {
    this.lastPongAt = this.deps.now();
    this.rss = rss;
    const problems = unhealthy(details);
    if (problems !== unhealthy(this.details ?? undefined)) {
      if (problems) this.deps.log.error('WATCHDOG_MODULE_UNHEALTHY', { name: this.name, pid: this.child?.pid, problems });
      else this.deps.log.info('WATCHDOG_MODULE_HEALTHY', { name: this.name, pid: this.child?.pid });
    }
    this.details = details ?? null;
    const level = memoryLevel(rss, this.settings);
    const fields = { name: this.name, pid: this.child?.pid, rssMb: toMb(rss) };
    if (level === 'alert' && this.state === 'ready') {
      this.deps.log.error('WATCHDOG_MEMORY_ALERT', { ...fields, limitMb: this.settings.memoryAlertMb });
      void this.restart('memory alert');
    } else if (level === 'warning' && this.memory === 'ok') {
      this.deps.log.warn('WATCHDOG_MEMORY_WARNING', { ...fields, limitMb: this.settings.memoryWarningMb });
    }
    this.memory = level;
  }

  private requestExit(reason: string, deadline: number): void {
    const child = this.child!;
    const ready = this.state === 'ready';
    this.stopReason ??= reason;
    this.state = 'stopping';
    this.clearTimer('startup');
    this.clearTimer('heartbeat');
    // A module still starting may not listen for IPC yet; SIGTERM reaches it either way.
    if (ready && child.connected) this.send({ type: 'stop' });
    else child.kill('SIGTERM');
    this.timers.kill ??= setTimeout(
      () => {
        this.deps.log.error('WATCHDOG_FORCE_KILL', { name: this.name, pid: child.pid });
        child.kill('SIGKILL');
      },
      Math.max(0, deadline - this.deps.now()),
    );
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    for (const name of ['startup', 'kill', 'heartbeat'] as const) this.clearTimer(name);
    this.child = undefined;
    const now = this.deps.now();
    const fields = { name: this.name, pid: child.pid, code, signal };
    this.lastExit = { code, signal, at: new Date(now).toISOString(), ...(this.stopReason ? { reason: this.stopReason } : {}) };
    if (this.stopReason !== undefined) {
      this.deps.log.info('WATCHDOG_MODULE_STOPPED', fields);
      this.state = 'stopped';
      if (this.startAgain) this.relaunch();
    } else {
      this.deps.log.warn('WATCHDOG_MODULE_EXITED', { ...fields, uptimeMs: now - this.startedAt });
      this.afterCrash(code, now);
    }
    this.release('exitWaiters');
    this.release('settledWaiters');
  }

  private afterCrash(code: number | null, now: number): void {
    const decision = decideRestart(this.history, { code, readyAt: this.readyAt, now }, this.deps.policy);
    this.history = decision.history;
    if (decision.action === 'give-up') {
      const reason = `config error: ${this.configError ?? 'see the module log'}`;
      this.lastExit = { ...this.lastExit!, reason };
      this.state = 'stopped';
      this.deps.log.error('WATCHDOG_MODULE_CONFIG_ERROR', { name: this.name, reason: this.configError });
      return;
    }
    const { delayMs, history } = decision;
    if (decision.enteredCrashLoop) {
      this.deps.log.error('WATCHDOG_CRASH_LOOP', {
        name: this.name,
        crashes: history.crashes.length,
        windowMs: this.deps.policy.crashLoopWindowMs,
        retryEveryMs: this.deps.policy.crashLoopRestartDelayMs,
      });
    }
    this.deps.log.info('WATCHDOG_RESTART_SCHEDULED', { name: this.name, delayMs, consecutive: history.consecutive, crashLooping: history.crashLooping });
    this.state = history.crashLooping ? 'crash-looping' : 'backoff';
    this.startAt = now + delayMs;
    this.timers.restart = setTimeout(() => this.relaunch(), delayMs);
  }

  private relaunch(): void {
    this.startAgain = false;
    this.spawnChild();
  }

  private send(message: ParentMessage): void {
    const child = this.child;
    if (!child?.connected) return;
    child.send(message, () => undefined); // an error means the channel closed in between: the exit event follows
  }

  private settled(): Promise<void> {
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private release(list: 'settledWaiters' | 'exitWaiters'): void {
    const waiters = this[list];
    this[list] = [];
    for (const resolve of waiters) resolve();
  }

  private clearTimer(name: TimerName): void {
    clearTimeout(this.timers[name]);
    this.timers[name] = undefined;
  }
}
