import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ControlSettings } from './config/control-settings.js';

/** What the client needs: the config, or the control settings salvaged from a broken one (any HeraldConfig fits). */
type ControlConfig = Pick<ControlSettings, 'watchdog' | 'secrets'>;
type ControlPaths = { dataDir: string };

/**
 * How the CLI and the web console talk to a running watchdog: its status as JSON on a loopback
 * control port, and stop/restart requests. Every request carries a bearer token derived from
 * secrets.sessionKey, so only what can read the site config can read or steer the watchdog (a web
 * page in a browser on the same machine cannot: it has no token).
 */

export type ModuleState = 'starting' | 'ready' | 'stopping' | 'backoff' | 'crash-looping' | 'stopped';

export interface LastExit {
  code: number | null;
  signal: string | null;
  at: string;
  /** Why the watchdog will not restart it (config error), or what ended it (stop, memory, heartbeat…). */
  reason?: string;
}

export interface ModuleStatus {
  module: string;
  state: ModuleState;
  autoStart: boolean;
  runLevel: number;
  pid: number | null;
  /** Milliseconds since the current process was started; null when none runs. */
  uptimeMs: number | null;
  /** Restarts done by the watchdog since it started (crashes, memory, daily and requested restarts). */
  restarts: number;
  rssBytes: number | null;
  memory: 'ok' | 'warning' | 'alert';
  lastExit: LastExit | null;
  /** When in backoff or crash-looping: milliseconds until the next start. */
  nextStartInMs: number | null;
  /** What the module adds to its heartbeat answers (e.g. the port it listens on). */
  details: Record<string, unknown> | null;
}

export interface WatchdogStatus {
  pid: number;
  startedAt: string;
  uptimeMs: number;
  stopping: boolean;
  /** The configuration the modules run on: when it was loaded, and the last reload refused since (its reason). */
  config?: { loadedAt: string; refused: { at: string; reason: string } | null };
  /** The port of the watchdog's own Prometheus metrics (null: metrics off); each module's is in its details. */
  metricsPort?: number | null;
  /** The default instance's modules (as before there were several instances; also in `instances`). */
  modules: ModuleStatus[];
  /** Every instance the watchdog supervises, the default one first, each with its modules. */
  instances?: InstanceStatus[];
}

export type InstanceCondition = 'running' | 'not ready' | 'crash-looping' | 'blocked' | 'stopped';

/** One instance under the watchdog: its mono-instance modules (the default one also runs web and tracking for all). */
export interface InstanceStatus {
  instance: string;
  default: boolean;
  siteFile: string;
  /** Stopped on request (`herald stop <instance>`): its modules stay down until `herald start <instance>`, across watchdog restarts. */
  stopped: boolean;
  /** When it was stopped on request (null: it was not). */
  stoppedAt: string | null;
  /** In a word: stopped on request, blocked by its config, crash-looping, not ready or running (server/watchdog/instance-condition.ts). */
  condition: InstanceCondition;
  /** Its modules that are crash-looping. */
  crashLooping: string[];
  /** What keeps it from running: its site config's error, or a module's config error (null: nothing). */
  blockedBy: string | null;
  /** Its site config could not be loaded at start: none of its modules run (the others do). */
  configError: string | null;
  config?: { loadedAt: string; refused: { at: string; reason: string } | null };
  modules: ModuleStatus[];
}

/** The bearer token of the control port. */
export function controlToken(config: ControlConfig): string {
  return createHmac('sha256', config.secrets.sessionKey).update('herald:watchdog-control').digest('base64url');
}

export interface RunFiles {
  pidFile: string;
  portFile: string;
}

/** The pid file (watchdog.pidFile, from dataDir) and, next to it, the file with the bound control port. */
export function runFiles(config: ControlConfig, paths: ControlPaths): RunFiles {
  const pidFile = resolve(paths.dataDir, config.watchdog.pidFile);
  return { pidFile, portFile: join(dirname(pidFile), 'watchdog.port') };
}

function readNumber(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The watchdog's pid from the pid file, if the file exists. */
export function readPid(config: ControlConfig, paths: ControlPaths): number | undefined {
  return readNumber(runFiles(config, paths).pidFile);
}

/** The control port: the one the running watchdog wrote down, else the configured one. */
export function controlPort(config: ControlConfig, paths: ControlPaths): number {
  return readNumber(runFiles(config, paths).portFile) ?? config.watchdog.controlPort;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** One request to the control port; undefined when no watchdog answers. */
export async function controlRequest(
  config: ControlConfig,
  paths: ControlPaths,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs = 5000,
): Promise<ControlAnswer | undefined> {
  const port = controlPort(config, paths);
  if (port === 0) return undefined;
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${controlToken(config)}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return undefined;
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** The running watchdog's status, or undefined when none answers. */
export async function watchdogStatus(config: ControlConfig, paths: ControlPaths): Promise<WatchdogStatus | undefined> {
  const answer = await controlRequest(config, paths, 'GET', '/status');
  return answer?.status === 200 ? (answer.body as WatchdogStatus) : undefined;
}

/** Whether a process runs (a zombie, ended but not yet reaped, does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return !existsSync('/proc/self/stat'); // gone in between, or no /proc (not Linux): then trust kill(0)
  }
}
