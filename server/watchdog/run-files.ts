import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { HeraldError } from '../shared/errors.js';
import { isAlive, readPid, runFiles, watchdogStatus, type RunFiles } from '../shared/watchdog-client.js';

/** The pid file and control-port file of a running watchdog (under dataDir/run by default). */

/** Refuses to start a second watchdog for the same instance; a stale pid file is simply replaced. */
export async function refuseSecondWatchdog(config: HeraldConfig, paths: InstancePaths): Promise<void> {
  const pid = readPid(config, paths);
  if (pid === undefined || pid === process.pid || !isAlive(pid)) return;
  const status = await watchdogStatus(config, paths);
  if (status?.pid === pid) throw new HeraldError('WATCHDOG_RUNNING', `Herald is already running (watchdog pid ${pid}); see: herald status`);
}

export function writeRunFiles(config: HeraldConfig, paths: InstancePaths, port: number): RunFiles {
  const files = runFiles(config, paths);
  mkdirSync(dirname(files.pidFile), { recursive: true, mode: 0o750 });
  writeFileSync(files.pidFile, `${process.pid}\n`);
  writeFileSync(files.portFile, `${port}\n`);
  return files;
}

/** Removes the files if they are still ours (a newer watchdog may have replaced them). */
export function removeRunFiles(files: RunFiles): void {
  let owner: string | undefined;
  try {
    owner = readFileSync(files.pidFile, 'utf8').trim();
  } catch {
    return;
  }
  if (owner !== String(process.pid)) return;
  rmSync(files.portFile, { force: true });
  rmSync(files.pidFile, { force: true });
}
