import { setTimeout as sleep } from 'node:timers/promises';
import { fromRoot } from '../../shared/app-root.js';
import { loadControlSettings } from '../../shared/config/control-settings.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { runModule } from '../../shared/run-process.js';
import { isModuleName } from '../../shared/config/schema.js';
import { controlRequest, isAlive, readPid, watchdogStatus, type WatchdogStatus } from '../../shared/watchdog-client.js';
import { allReady, renderStatusTable } from '../../shared/watchdog-status-table.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig } from '../context.js';
import { MODULES } from './modules.js';

/** Exit codes of `herald status`, as Adobe's `nlserver status`. */
const STATUS = { READY: 0, NOT_READY: 1, NOT_RUNNING: 2 } as const;

async function runWatchdog(input: CommandInput): Promise<'running'> {
  if (input.siteFile) process.env.HERALD_CONFIG = input.siteFile;
  const catalog = Object.keys(MODULES).filter(isModuleName);
  const command = { execPath: process.execPath, execArgv: process.execArgv, entry: process.argv[1]!, overrides: input.overrides };
  const { watchdogModule } = await import('../../watchdog/main.js'); // loaded only when run, like the modules
  await runModule('watchdog', watchdogModule({ catalog, command }), { overrides: input.overrides });
  return 'running';
}

const notRunning = (input: CommandInput) => input.err.write('herald: Herald is not running (start it with: herald start)\n');

/**
 * The settings to reach the watchdog, from the config, or salvaged from a broken one (a refused
 * reload must not make the running Herald unreachable): the problem is reported on stderr, the
 * command goes on.
 */
function controlSettings(input: CommandInput) {
  const { settings, problem } = loadControlSettings({ siteFile: input.siteFile, overrides: input.overrides });
  if (problem) input.err.write(`herald: config error: ${problem.message} (a running watchdog keeps its last valid configuration)\n`);
  return { config: settings, paths: { dataDir: fromRoot(settings.dataDir) } };
}

async function stop(input: CommandInput): Promise<number> {
  const { config, paths } = controlSettings(input);
  const status = await watchdogStatus(config, paths);
  const pid = status?.pid ?? readPid(config, paths);
  if (pid === undefined || !isAlive(pid)) {
    input.out.write('Herald is not running\n');
    return EXIT.OK;
  }
  const asked = status !== undefined && (await controlRequest(config, paths, 'POST', '/stop'))?.status === 202;
  if (!asked) process.kill(pid, 'SIGTERM'); // the control port did not take the request: signal the process
  const deadline = Date.now() + config.watchdog.stopTimeoutMs + 5000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    input.err.write(`herald: the watchdog (pid ${pid}) is still running after ${Math.round((config.watchdog.stopTimeoutMs + 5000) / 1000)} s\n`);
    return EXIT.FAILURE;
  }
  input.out.write(`Herald stopped (watchdog pid ${pid})\n`);
  return EXIT.OK;
}

async function status(input: CommandInput): Promise<number> {
  const { config, paths } = controlSettings(input);
  const current = await watchdogStatus(config, paths);
  if (!current) {
    if (input.flags.json) input.out.write('{"running":false}\n');
    else input.out.write('Herald is not running\n');
    return STATUS.NOT_RUNNING;
  }
  input.out.write(input.flags.json ? `${JSON.stringify({ running: true, ...current })}\n` : renderStatusTable(current));
  return allReady(current) ? STATUS.READY : STATUS.NOT_READY;
}

async function restart(input: CommandInput): Promise<number> {
  const { config, paths } = commandConfig(input);
  const [module] = input.args;
  const perModule = config.watchdog.stopTimeoutMs + Math.max(...Object.values(config.modules).map((m) => m.startupTimeoutMs));
  const timeoutMs = perModule * (module ? 1 : Object.keys(MODULES).length) + 5000;
  const answer = await controlRequest(config, paths, 'POST', `/restart${module ? `?module=${encodeURIComponent(module)}` : ''}`, timeoutMs);
  if (!answer) {
    notRunning(input);
    return EXIT.UNAVAILABLE;
  }
  if (answer.status === 404) throw new UsageError(`unknown module: ${module} (modules: ${Object.keys(MODULES).join(', ')})`);
  if (answer.status !== 200) {
    input.err.write(`herald: ${(answer.body as { error?: string }).error ?? `control port answered ${answer.status}`}\n`);
    return EXIT.FAILURE;
  }
  const after = answer.body as WatchdogStatus;
  input.out.write(renderStatusTable(after));
  return allReady(after) ? EXIT.OK : EXIT.FAILURE;
}

export const watchdogCommands: Command[] = [
  {
    words: ['start'],
    usage: 'start [--daemon]',
    summary: 'start Herald: the watchdog runs every autoStart module (in the foreground; --daemon detaches and writes the pid file)',
    options: { daemon: { type: 'boolean' } },
    run: async (input) => (input.flags.daemon ? (await import('../start-daemon.js')).startDaemon(input) : runWatchdog(input)),
  },
  { words: ['watchdog'], usage: 'watchdog', summary: 'run the watchdog module in the foreground (the same as herald start)', run: runWatchdog },
  { words: ['stop'], usage: 'stop', summary: 'drain every module, then stop them and the watchdog', run: stop },
  {
    words: ['status'],
    usage: 'status [--json]',
    summary: 'show each module: pid, state, uptime, restarts, memory, last exit (exit 0: all ready, 1: not all ready, 2: not running)',
    options: { json: { type: 'boolean' } },
    run: status,
  },
  {
    words: ['restart'],
    usage: 'restart [<module>]',
    summary: 'restart one module, or every module in run-level order, gracefully (drained first)',
    args: [0, 1],
    run: restart,
  },
];
