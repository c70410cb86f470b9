import { loadConfig } from './config/load.js';
import { instancePaths, type InstancePaths } from './config/paths.js';
import type { HeraldConfig } from './config/schema.js';
import { ConfigError, describeError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { createLogger, type Logger } from './logger.js';

/**
 * The lifecycle every module process shares: load and validate the config (exit 78 on error),
 * open the log, start the module, report readiness to the watchdog over IPC, answer heartbeats, and
 * on SIGTERM/SIGINT (or when the watchdog disappears) drain, then exit — forced after
 * process.shutdownTimeoutMs. Modules provide only `start`, which returns how to stop.
 */

export interface ModuleContext {
  readonly module: string;
  readonly config: HeraldConfig;
  readonly paths: InstancePaths;
  readonly siteFile: string;
  readonly log: Logger;
  /** Aborted when the module must stop (use it to cancel waits such as database retries). */
  readonly signal: AbortSignal;
}

export interface RunningModule {
  /** Stop taking work, finish in-flight work, close listeners and resources. */
  stop(): Promise<void>;
  /** Extra fields for heartbeat answers (queue depth, connections…). */
  status?(): Record<string, unknown>;
}

export type StartModule = (ctx: ModuleContext) => Promise<RunningModule>;

/** Messages exchanged with the watchdog over the IPC channel. */
export type ParentMessage = { type: 'ping'; id: number } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; pid: number }
  | { type: 'pong'; id: number; rss: number; status?: Record<string, unknown> }
  | { type: 'config-error'; message: string };

const send = (message: ChildMessage) => {
  if (process.send && process.connected) process.send(message);
};

export interface RunOptions {
  /** `key=value` config overrides from the command line. */
  overrides?: readonly string[];
}

export async function runModule(module: string, start: StartModule, options: RunOptions = {}): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig({ overrides: options.overrides });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`herald ${module}: config error: ${err.message}\n`);
    send({ type: 'config-error', message: err.message });
    process.exit(EXIT.CONFIG);
  }
  const { config, siteFile } = loaded;
  const paths = instancePaths(config);
  const foreground = !process.send;
  const log = createLogger({
    module,
    dir: paths.logDir,
    level: config.log.level,
    console: config.log.console === 'always' || (config.log.console === 'auto' && foreground),
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    secrets: Object.values(config.secrets).concat(config.database.password),
  });
  const controller = new AbortController();
  let running: RunningModule | undefined;
  let stopping: Promise<void> | undefined;

  const exit = async (code: number) => {
    await log.close();
    process.exit(code);
  };
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info('PROCESS_STOPPING', { reason });
      controller.abort();
      const timer = setTimeout(() => {
        log.error('PROCESS_SHUTDOWN_FORCED', { timeoutMs: config.process.shutdownTimeoutMs });
        void exit(EXIT.OK);
      }, config.process.shutdownTimeoutMs);
      try {
        await running?.stop();
      } catch (err) {
        log.error('PROCESS_CRASHED', { err });
      }
      clearTimeout(timer);
      log.info('PROCESS_STOPPED');
      await exit(EXIT.OK);
    })();
    return stopping;
  };
  const crash = (err: unknown) => {
    log.error('PROCESS_CRASHED', { err });
    void exit(EXIT.FAILURE);
  };

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('disconnect', () => {
    log.warn('PROCESS_PARENT_GONE');
    void shutdown('watchdog gone');
  });
  process.on('message', (message: ParentMessage) => {
    if (message?.type === 'ping') send({ type: 'pong', id: message.id, rss: process.memoryUsage.rss(), status: running?.status?.() });
    else if (message?.type === 'stop') void shutdown('stop requested');
  });

  log.info('PROCESS_STARTING', { pid: process.pid, node: process.version });
  try {
    running = await start({ module, config, paths, siteFile, log, signal: controller.signal });
  } catch (err) {
    if (controller.signal.aborted) return; // stopped while starting: shutdown() exits
    log.error('PROCESS_START_FAILED', { err: describeError(err) });
    process.stderr.write(`herald ${module}: ${describeError(err)}\n`);
    await exit((err as { hints?: { exitCode?: number } }).hints?.exitCode ?? EXIT.FAILURE);
    return;
  }
  if (controller.signal.aborted) return;
  log.info('PROCESS_READY');
  send({ type: 'ready', pid: process.pid });
}
