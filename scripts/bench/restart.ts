import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fromRoot } from '../../server/shared/app-root.js';
import { instancePaths } from '../../server/shared/config/paths.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { watchdogStatus, type ModuleStatus } from '../../server/shared/watchdog-client.js';
import { benchInstance } from './instance.js';

/**
 * Kill-to-ready time of a module under the watchdog (G-24): `herald start` runs the web module
 * alone; it is SIGKILLed `kills` times and each time the clock runs from the kill until the watchdog
 * reports the new process ready (its IPC `ready`, sent once it listens). Each kill is a first crash:
 * the instance counts a module stable after 1 s (not 30 s) and the next kill waits for that, so the
 * backoff starts at its first step every time and the crash-loop detector stays out of the way.
 * `load_1m` (the machine's load average at the end) comes after the fields the benchmark promises:
 * on a shared 2-core box most of the time is node booting and loading the module's code.
 */

const SITE = `
[web]
port = 0
[log]
console = "never"
[watchdog]
controlPort = 0
stableAfterMs = 1000
crashLoopCount = 1000
${['tracking', 'mta', 'inmail', 'wfserver'].map((m) => `[modules.${m}]\nautoStart = false`).join('\n')}
`;

async function webStatus(config: HeraldConfig): Promise<ModuleStatus | undefined> {
  return (await watchdogStatus(config, instancePaths(config)))?.modules.find((m) => m.module === 'web');
}

async function waitReady(config: HeraldConfig, notPid: number | undefined, timeoutMs = 30_000): Promise<ModuleStatus> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const web = await webStatus(config);
    if (web?.state === 'ready' && web.pid !== notPid) return web;
    await sleep(20);
  }
  throw new Error('the web module did not become ready within 30 s');
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** `herald start` from the sources under tsx, or (`--dist 1`) from the build in dist/ as installed. */
function heraldArgs(dist: boolean): string[] {
  if (!dist) return [...process.execArgv, fromRoot('server/cli/main.ts'), 'start'];
  const built = fromRoot('dist/server/cli/main.js');
  if (!existsSync(built)) throw new Error('no build in dist/: run npm run build first');
  return [built, 'start'];
}

export async function benchRestart(options: { kills: number; dist: boolean }): Promise<Record<string, unknown>> {
  const args = heraldArgs(options.dist);
  const instance = await benchInstance(SITE);
  const watchdog = spawn(process.execPath, args, { env: { ...process.env, HERALD_CONFIG: instance.siteFile }, stdio: 'ignore' });
  const times: number[] = [];
  try {
    let web = await waitReady(instance.config, undefined);
    for (let i = 0; i < options.kills; i++) {
      await sleep(1200); // past stableAfterMs: the next kill is a first crash again
      const started = performance.now();
      process.kill(web.pid!, 'SIGKILL');
      web = await waitReady(instance.config, web.pid!);
      times.push(performance.now() - started);
      process.stderr.write(`kill ${i + 1}/${options.kills}: ready after ${Math.round(times.at(-1)!)} ms\n`);
    }
  } finally {
    watchdog.kill('SIGTERM');
    await new Promise((resolve) => watchdog.once('exit', resolve));
    await instance.cleanup();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const load = Math.round(loadavg()[0]! * 100) / 100;
  return {
    kills: times.length,
    p50_ready_ms: Math.round(percentile(sorted, 50)),
    p95_ready_ms: Math.round(percentile(sorted, 95)),
    max_ready_ms: Math.round(sorted.at(-1)!),
    load_1m: load,
  };
}
