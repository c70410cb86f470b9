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

/** `herald stop|start|reload <instance>`: one instance, through the running watchdog; the others are not touched. */
async function steerInstance(input: CommandInput, verb: 'stop' | 'start' | 'reload', name: string): Promise<number> {
  const { config, paths } = controlSettings(input);
  const timeoutMs = config.watchdog.stopTimeoutMs + 120_000;
  const answer = await controlRequest(config, paths, 'POST', `/instances/${verb}?instance=${encodeURIComponent(name)}`, timeoutMs);
  if (!answer) {
    input.err.write(`herald: Herald is not running${verb === 'start' ? ' (herald start runs every instance)' : ''}\n`);
    return EXIT.UNAVAILABLE;
  }
  if (answer.status === 404) throw new UsageError(`no instance "${name}" (herald instance list shows them)`);
  if (answer.status !== 200) {
    input.err.write(`herald: ${(answer.body as { error?: string }).error ?? `control port answered ${answer.status}`}\n`);
    return verb === 'reload' && answer.status === 422 ? EXIT.CONFIG : EXIT.FAILURE;
  }
  const after = answer.body as WatchdogStatus;
  const done = { stop: 'stopped', start: 'started', reload: 'reloaded' }[verb];
  input.out.write(`instance ${name} ${done}\n${renderStatusTable(after)}`);
  return EXIT.OK;
}

async function stop(input: CommandInput): Promise<number> {
  if (input.args[0]) return steerInstance(input, 'stop', input.args[0]);
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

/** `herald reload`: the watchdog (SIGHUP) re-reads every site config; `herald reload <instance>`: that instance's only. */
async function reload(input: CommandInput): Promise<number> {
  if (input.args[0]) return steerInstance(input, 'reload', input.args[0]);
  const { config, paths } = controlSettings(input);
  const status = await watchdogStatus(config, paths);
  if (!status) {
    notRunning(input);
    return EXIT.UNAVAILABLE;
  }
  process.kill(status.pid, 'SIGHUP');
  input.out.write(`asked the watchdog (pid ${status.pid}) to re-read every site config; herald status shows a refused one\n`);
  return EXIT.OK;
}

async function restart(input: CommandInput): Promise<number> {
  const { config: loaded } = commandConfig({ ...input, instance: undefined });
  const { config, paths } = controlSettings(input);
  const [module] = input.args;
  const instance = input.instance ? `${module ? '&' : '?'}instance=${encodeURIComponent(input.instance)}` : '';
  const perModule = config.watchdog.stopTimeoutMs + Math.max(...Object.values(loaded.modules).map((m) => m.startupTimeoutMs));
  const timeoutMs = perModule * (module ? 1 : Object.keys(MODULES).length) + 5000;
  const answer = await controlRequest(config, paths, 'POST', `/restart${module ? `?module=${encodeURIComponent(module)}` : ''}${instance}`, timeoutMs);
  if (!answer) {
    notRunning(input);
    return EXIT.UNAVAILABLE;
  }
  if (answer.status === 404) throw new UsageError(`${(answer.body as { error?: string }).error ?? 'not found'} (modules: ${Object.keys(MODULES).join(', ')})`);
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
    usage: 'start [<instance>] [--daemon]',
    summary:
      'start Herald: the watchdog runs every autoStart module of every instance (in the foreground; --daemon detaches and writes the pid file); with an instance, start that one in the running Herald',
    options: { daemon: { type: 'boolean' } },
    args: [0, 1],
    run: async (input) => {
      if (input.args[0]) return steerInstance(input, 'start', input.args[0]);
      return input.flags.daemon ? (await import('../start-daemon.js')).startDaemon(input) : runWatchdog(input);
    },
  },
  { words: ['watchdog'], usage: 'watchdog', summary: 'run the watchdog module in the foreground (the same as herald start)', run: runWatchdog },
  {
    words: ['stop'],
    usage: 'stop [<instance>]',
    summary: 'drain every module, then stop them and the watchdog; with an instance, stop only its modules (the others run on)',
    args: [0, 1],
    run: stop,
  },
  {
    words: ['reload'],
    usage: 'reload [<instance>]',
    summary: 'make the running Herald re-read its site configs (an invalid one is refused, the modules run on); with an instance, only its own',
    args: [0, 1],
    run: reload,
  },
  {
    words: ['status'],
    usage: 'status [--json]',
    summary: 'show each module of each instance: pid, state, uptime, restarts, memory, last exit (exit 0: all ready, 1: not all ready, 2: not running)',
    options: { json: { type: 'boolean' } },
    run: status,
  },
  {
    words: ['restart'],
    usage: 'restart [<module>] [--instance <name>]',
    summary: 'restart one module, or every module in run-level order, gracefully (drained first); of the default instance unless --instance names another',
    args: [0, 1],
    run: restart,
  },
];
