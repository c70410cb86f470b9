import { configChanges, under } from './config/changes.js';
import { format } from 'node:util';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { instancePaths, type InstancePaths } from './config/paths.js';
import type { HeraldConfig } from './config/schema.js';
import { ConfigError, describeError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { healthStatus } from './health.js';
import { createLogger, type Logger } from './logger.js';
import type { HttpServer } from './http-server.js';
import { startMetricsServer } from './metrics/metrics-server.js';
import { createRegistry, type Registry } from './metrics/registry.js';

/**
 * The lifecycle every module process shares: load and validate the config (exit 78 on error),
 * open the log, start the module, report readiness to the watchdog over IPC, answer heartbeats, and
 * on SIGTERM/SIGINT drain, then exit — forced after process.shutdownTimeoutMs. Modules provide only
 * `start`, which returns how to stop.
 *
 * - Config: a module started by the watchdog (HERALD_SUPERVISED=1) takes its config from the
 *   watchdog over IPC — the last configuration the watchdog validated — so a broken site file never
 *   stops a restart; run alone, it reads the files.
 * - Reload: `{type:'reload', config}` from the watchdog hands over a config the watchdog validated;
 *   SIGHUP to a module run alone re-reads and re-validates the files (a bad config is rejected and
 *   the old one kept). The module's optional `reload` applies what it can; PROCESS_RELOADED names
 *   the keys that changed, those applied and those waiting for the next start.
 * - Never crash on output: stdout and stderr errors (a full disk under `--daemon`'s output file, a
 *   closed pipe) are ignored, and what libraries print with console.* goes to the module log
 *   (PROCESS_CONSOLE) instead of stderr. The health of the process (shared/health.ts) rides on every
 *   heartbeat answer; its changes are logged (PROCESS_UNHEALTHY / PROCESS_HEALTHY).
 * - No orphans: when the watchdog disappears (IPC channel closed, or — as a backstop — the parent
 *   process id changes) the module drains with a hard deadline of PARENT_GONE_DEADLINE_MS, so no
 *   port stays taken when a new watchdog starts.
 */

export interface ModuleContext {
  readonly module: string;
  readonly config: HeraldConfig;
  readonly paths: InstancePaths;
  readonly siteFile: string;
  readonly log: Logger;
  /** Aborted when the module must stop (use it to cancel waits such as database retries). */
  readonly signal: AbortSignal;
  /** The process's Prometheus registry (process metrics already in): the module adds its own. */
  readonly metrics: ModuleMetrics;
}

export interface ModuleMetrics {
  readonly registry: Registry;
  /** The port serving GET /metrics; null when metrics are off or the port could not be opened. */
  readonly port: number | null;
}

export interface RunningModule {
  /** Stop taking work, finish in-flight work, close listeners and resources. */
  stop(): Promise<void>;
  /** Extra fields for heartbeat answers (queue depth, connections…). */
  status?(): Record<string, unknown>;
  /**
   * Applies a new, already validated config (`changed`: the key paths that differ); returns the keys
   * it applied (the others take effect at the next start). Throws to refuse it (the old one stays).
   */
  reload?(config: HeraldConfig, changed: readonly string[]): ReloadResult | Promise<ReloadResult>;
  /** Told when a reload was refused (the config is invalid): the module keeps its current one. */
  reloadRefused?(reason: string): void;
  /** How long stop() may take before the exit is forced (default process.shutdownTimeoutMs). */
  shutdownTimeoutMs?: number;
}

export interface ReloadResult {
  /** Changed keys now in force. */
  applied: readonly string[];
  /** What else the reload did, for the log line (e.g. the number of bounce rules read again). */
  notes?: Record<string, unknown>;
}

export type StartModule = (ctx: ModuleContext) => Promise<RunningModule>;

/** Messages exchanged with the watchdog over the IPC channel. */
export type ParentMessage =
  { type: 'ping'; id: number } | { type: 'stop' } | { type: 'reload'; config?: HeraldConfig } | { type: 'config'; config: HeraldConfig; siteFile: string };
export type ChildMessage =
  | { type: 'config-request' }
  | { type: 'ready'; pid: number }
  | { type: 'pong'; id: number; rss: number; status?: Record<string, unknown> }
  | { type: 'config-error'; message: string }
  | { type: 'reloaded'; ok: boolean; message?: string };

/** A module whose watchdog is gone must be gone within 2 s; its drain is cut short after this. */
export const PARENT_GONE_DEADLINE_MS = 1000;
const PARENT_POLL_MS = 250;

const send = (message: ChildMessage) => {
  if (process.send && process.connected) process.send(message);
};

export interface RunOptions {
  /** `key=value` config overrides from the command line. */
  overrides?: readonly string[];
}

/** How long a supervised module waits for its config from the watchdog before reading the files. */
const CONFIG_FROM_WATCHDOG_MS = 10_000;

/** The config the watchdog validated last (null when it does not answer in time). */
function configFromWatchdog(): Promise<LoadedConfig | null> {
  if (process.env.HERALD_SUPERVISED !== '1' || !process.send) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), CONFIG_FROM_WATCHDOG_MS);
    const onMessage = (message: ParentMessage) => message?.type === 'config' && done({ config: deepFreeze(message.config), siteFile: message.siteFile });
    function done(value: LoadedConfig | null) {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(value);
    }
    process.on('message', onMessage);
    send({ type: 'config-request' });
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

async function loadOrExit(module: string, options: RunOptions): Promise<LoadedConfig> {
  const given = await configFromWatchdog();
  if (given) return given;
  try {
    return loadConfig({ overrides: options.overrides });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`herald ${module}: config error: ${err.message}\n`);
    send({ type: 'config-error', message: err.message });
    process.exit(EXIT.CONFIG);
  }
}

const logsToConsole = (config: HeraldConfig) => config.log.console === 'always' || (config.log.console === 'auto' && !process.send);

function moduleLogger(module: string, config: HeraldConfig, paths: InstancePaths): Logger {
  return createLogger({
    module,
    dir: paths.logDir,
    level: config.log.level,
    console: logsToConsole(config),
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    secrets: Object.values(config.secrets).concat(config.database.password, config.database.url),
  });
}

/** Output that fails (ENOSPC, EPIPE) must never end the process. */
function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
}

/** console.* of libraries (Sequelize warns on a failed commit) into the module log, never to stderr. */
function consoleToLog(log: Logger): void {
  const route =
    (stream: 'log' | 'info' | 'warn' | 'error' | 'debug', level: 'info' | 'warn' | 'error' | 'debug') =>
    (...args: unknown[]) =>
      log[level]('PROCESS_CONSOLE', { stream, text: format(...args).slice(0, 2000) });
  console.log = route('log', 'info');
  console.info = route('info', 'info');
  console.warn = route('warn', 'warn');
  console.error = route('error', 'error');
  console.debug = route('debug', 'debug');
}

export async function runModule(module: string, start: StartModule, options: RunOptions = {}): Promise<void> {
  guardOutput();
  const { config, siteFile } = await loadOrExit(module, options);
  const paths = instancePaths(config);
  const log = moduleLogger(module, config, paths);
  if (!logsToConsole(config)) consoleToLog(log);
  const controller = new AbortController();
  const life = lifecycle(log, config, controller, options);

  log.info('PROCESS_STARTING', { pid: process.pid, node: process.version });
  const metrics = await openMetrics(module, config, log);
  life.metricsServer = metrics.server;
  life.metricsPort = metrics.port;
  try {
    life.running = await start({ module, config, paths, siteFile, log, signal: controller.signal, metrics });
  } catch (err) {
    if (controller.signal.aborted) return; // stopped while starting: shutdown() exits
    log.error('PROCESS_START_FAILED', { err: describeError(err) });
    process.stderr.write(`herald ${module}: ${describeError(err)}\n`);
    if (err instanceof ConfigError) send({ type: 'config-error', message: err.message });
    await life.exit((err as { hints?: { exitCode?: number } }).hints?.exitCode ?? EXIT.FAILURE);
    return;
  }
  if (controller.signal.aborted) return;
  log.info('PROCESS_READY');
  send({ type: 'ready', pid: process.pid });
}

/** The module's registry and, when metrics are on, its exposition on metrics.host:metrics.ports.<module>. */
async function openMetrics(module: string, config: HeraldConfig, log: Logger): Promise<ModuleMetrics & { server?: HttpServer }> {
  const registry = createRegistry(module);
  const port = (config.metrics.ports as Record<string, number | undefined>)[module];
  if (!config.metrics.enabled || port === undefined) return { registry, port: null };
  const server = await startMetricsServer(registry, config.metrics.host, port, log);
  if (server) log.info('METRICS_LISTENING', { host: config.metrics.host, port: server.port });
  return { registry, port: server?.port ?? null, server };
}

/** Signal, IPC and parent-watch handlers of a module process; `running` is set once started. */
function lifecycle(log: Logger, config: HeraldConfig, controller: AbortController, options: RunOptions) {
  const life = {
    running: undefined as RunningModule | undefined,
    metricsServer: undefined as HttpServer | undefined,
    metricsPort: null as number | null,
    config,
    exit,
    shutdown,
  };
  let stopping: Promise<void> | undefined;

  async function exit(code: number): Promise<void> {
    await log.close();
    process.exit(code);
  }
  function shutdown(reason: string): Promise<void> {
    stopping ??= (async () => {
      log.info('PROCESS_STOPPING', { reason });
      controller.abort();
      const timeoutMs = life.running?.shutdownTimeoutMs ?? config.process.shutdownTimeoutMs;
      const timer = setTimeout(() => {
        log.error('PROCESS_SHUTDOWN_FORCED', { timeoutMs });
        void exit(EXIT.OK);
      }, timeoutMs);
      try {
        await life.running?.stop();
      } catch (err) {
        log.error('PROCESS_CRASHED', { err });
      }
      clearTimeout(timer);
      await life.metricsServer?.close();
      log.info('PROCESS_STOPPED');
      await exit(EXIT.OK);
    })();
    return stopping;
  }
  const crash = (err: unknown) => {
    log.error('PROCESS_CRASHED', { err });
    void exit(EXIT.FAILURE);
  };

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void reload(log, life, options));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('message', (message: ParentMessage) => {
    if (message?.type === 'ping')
      send({
        type: 'pong',
        id: message.id,
        rss: process.memoryUsage.rss(),
        status: { ...life.running?.status?.(), metricsPort: life.metricsPort, health: health() },
      });
    else if (message?.type === 'stop') void shutdown('stop requested');
    else if (message?.type === 'reload') void reload(log, life, options, message.config && deepFreeze(message.config));
  });
  const known = new Map<string, string>();
  /** The health to report, logging what changed since the last heartbeat. */
  function health() {
    const now = healthStatus();
    for (const p of now.problems) if (known.get(p.area) !== p.reason) log.error('PROCESS_UNHEALTHY', { area: p.area, reason: p.reason });
    for (const area of known.keys()) if (!now.problems.some((p) => p.area === area)) log.info('PROCESS_HEALTHY', { area });
    known.clear();
    for (const p of now.problems) known.set(p.area, p.reason);
    return now;
  }
  watchParent((how) => {
    log.warn('PROCESS_PARENT_GONE', { how });
    setTimeout(() => void exit(EXIT.OK), PARENT_GONE_DEADLINE_MS); // even when a drain is already under way
    void shutdown('watchdog gone');
  });
  return life;
}

/** Calls `gone` once when the watchdog that started this process (over IPC) disappears. */
function watchParent(gone: (how: string) => void): void {
  if (!process.send) return;
  let fired = false;
  const once = (how: string) => {
    if (fired) return;
    fired = true;
    gone(how);
  };
  process.on('disconnect', () => once('ipc channel closed'));
  const ppid = process.ppid;
  setInterval(() => process.ppid !== ppid && once('parent process changed'), PARENT_POLL_MS).unref();
}

/**
 * Applies a new config: the one the watchdog validated, or (SIGHUP to a module run alone) the files
 * read and validated again — a bad one is rejected and the module keeps running on the old one.
 */
async function reload(log: Logger, life: { running?: RunningModule; config: HeraldConfig }, options: RunOptions, given?: HeraldConfig): Promise<void> {
  let config: HeraldConfig;
  try {
    config = given ?? loadConfig({ overrides: options.overrides }).config;
  } catch (err) {
    const message = describeError(err);
    log.error('PROCESS_RELOAD_REJECTED', { reason: message });
    life.running?.reloadRefused?.(message);
    send({ type: 'reloaded', ok: false, message });
    return;
  }
  const changed = configChanges(life.config, config);
  let result: ReloadResult | undefined;
  try {
    result = (await life.running?.reload?.(config, changed)) ?? undefined;
  } catch (err) {
    log.error('PROCESS_RELOAD_REJECTED', { reason: describeError(err) });
    send({ type: 'reloaded', ok: false, message: describeError(err) });
    return;
  }
  life.config = config;
  const applied = changed.filter((key) => result?.applied.some((prefix) => under(key, prefix)));
  const atNextStart = changed.filter((key) => !applied.includes(key));
  log.info('PROCESS_RELOADED', { changed, applied, atNextStart, ...result?.notes });
  send({ type: 'reloaded', ok: true });
}
