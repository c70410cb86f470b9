import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { MODULE_NAMES } from '../../server/shared/config/schema.js';
import { watchdogStatus, type ModuleStatus, type WatchdogStatus } from '../../server/shared/watchdog-client.js';
import { isAlive } from '../../server/shared/watchdog-client.js';
import type { TestInstance } from './instance.js';

/** A watchdog started as a real process for a test: `herald start`, or the fake-module fixture. */
export interface WatchdogProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  status(): Promise<WatchdogStatus | undefined>;
  /** Polls the status until `predicate` holds (fails after `timeoutMs` with the last status). */
  waitFor(what: string, predicate: (s: WatchdogStatus) => boolean, timeoutMs?: number): Promise<WatchdogStatus>;
  module(status: WatchdogStatus, name: string): ModuleStatus;
  /** The watchdog's own JSON log lines. */
  events(): Array<Record<string, unknown>>;
}

export const HERALD_CLI = join(APP_ROOT, 'server', 'cli', 'main.ts');
export const FAKE_HERALD = join(APP_ROOT, 'test', 'fixtures', 'watchdog', 'fake-herald.ts');

/** Site config lines: a free control port, and only the listed modules started (with their extra keys). */
export function watchdogToml(modules: Record<string, Record<string, string | number | boolean>>, watchdog: Record<string, number> = {}): string {
  const lines = ['[watchdog]', 'controlPort = 0', ...Object.entries(watchdog).map(([k, v]) => `${k} = ${v}`)];
  for (const name of MODULE_NAMES) {
    lines.push(`[modules.${name}]`, `autoStart = ${name in modules}`);
    for (const [k, v] of Object.entries(modules[name] ?? {})) lines.push(`${k} = ${JSON.stringify(v)}`);
  }
  return lines.join('\n');
}

export function startWatchdog(instance: TestInstance, options: { entry?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): WatchdogProcess {
  const entry = options.entry ?? HERALD_CLI;
  const args = options.args ?? (entry === HERALD_CLI ? ['start'] : ['watchdog']);
  const child = spawn(process.execPath, ['--import=tsx', entry, ...args], {
    cwd: APP_ROOT,
    env: { ...instance.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const status = () => watchdogStatus(instance.config, instance.paths);
  return {
    child,
    exited,
    output: () => output,
    status,
    async waitFor(what, predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: WatchdogStatus | undefined;
      while (Date.now() < deadline) {
        last = await status();
        if (last && predicate(last)) return last;
        await sleep(50);
      }
      throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(last)}\noutput:\n${output}`);
    },
    module(s, name) {
      const found = s.modules.find((m) => m.module === name);
      if (!found) throw new Error(`no module ${name} in the status`);
      return found;
    },
    events: () => readLog(instance, 'watchdog'),
  };
}

export function readLog(instance: TestInstance, module: string): Array<Record<string, unknown>> {
  try {
    return readFileSync(join(instance.paths.logDir, `${module}.log`), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/** Waits until none of `pids` runs any more; returns those still running at the deadline. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(25);
  }
}

/** Stops a watchdog left running by a failed test, and every module it still has. */
export async function killTree(wd: WatchdogProcess | undefined): Promise<void> {
  if (!wd || wd.child.exitCode !== null || wd.child.signalCode !== null) return;
  const pids = ((await wd.status())?.modules ?? []).map((m) => m.pid).filter((p): p is number => p !== null);
  wd.child.kill('SIGKILL');
  for (const pid of await waitGone(pids, 3000)) process.kill(pid, 'SIGKILL');
}
