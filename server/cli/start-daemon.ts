import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT } from '../shared/exit-codes.js';
import { watchdogStatus, type WatchdogStatus } from '../shared/watchdog-client.js';
import { allReady, renderStatusTable } from '../shared/watchdog-status-table.js';
import type { CommandInput } from './command.js';
import { commandConfig } from './context.js';

/**
 * `herald start --daemon`: runs `herald start` detached (own session, output appended to
 * <logDir>/watchdog.out), waits until every autoStart module is ready or has failed a first
 * attempt, and prints the status. The daemon writes the pid file itself.
 */
export async function startDaemon(input: CommandInput): Promise<number> {
  const { config, paths } = commandConfig(input);
  const running = await watchdogStatus(config, paths);
  if (running) {
    input.err.write(`herald: Herald is already running (watchdog pid ${running.pid})\n`);
    return EXIT.FAILURE;
  }
  mkdirSync(paths.logDir, { recursive: true, mode: 0o750 });
  const outFile = join(paths.logDir, 'watchdog.out');
  const out = openSync(outFile, 'a');
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    'start',
    ...(input.siteFile ? ['--config', input.siteFile] : []),
    ...input.overrides.flatMap((o) => ['--set', o]),
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, HERALD_LOG__CONSOLE: 'never' } });
  closeSync(out);
  child.unref();
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code ?? EXIT.FAILURE));

  const timeoutMs = Math.max(...Object.values(config.modules).map((m) => m.startupTimeoutMs)) + 10_000;
  const deadline = Date.now() + timeoutMs;
  let status: WatchdogStatus | undefined;
  while (Date.now() < deadline && exitCode === undefined) {
    status = await watchdogStatus(config, paths);
    if (status && status.pid === child.pid && startupSettled(status)) break;
    await sleep(100);
  }
  if (exitCode !== undefined) {
    const tail = readFileSync(outFile, 'utf8').trimEnd().split('\n').slice(-5).join('\n');
    input.err.write(`herald: the watchdog exited with code ${exitCode} (output in ${outFile}):\n${tail}\n`);
    return exitCode || EXIT.FAILURE;
  }
  input.out.write(`Herald started in the background (watchdog pid ${child.pid})\n`);
  if (status) input.out.write(renderStatusTable(status));
  return status && allReady(status) ? EXIT.OK : EXIT.FAILURE;
}

/** Every autoStart module is ready, or has ended its first attempt (its state then tells why). */
function startupSettled(status: WatchdogStatus): boolean {
  return status.modules.every((m) => !m.autoStart || m.state === 'ready' || (m.state !== 'starting' && m.lastExit !== null));
}
