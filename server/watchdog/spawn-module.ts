import { spawn, type ChildProcess } from 'node:child_process';
import type { ModuleName } from '../shared/config/schema.js';

/** How to run `herald <module>` the way the watchdog itself was run (from dist/ or under tsx). */
export interface ModuleCommand {
  execPath: string;
  /** Node options of the watchdog (e.g. `--import=tsx`); debugger flags are dropped. */
  execArgv: readonly string[];
  /** The CLI entry script. */
  entry: string;
  siteFile: string;
  /** `--set key=value` overrides given to the watchdog, passed on to every module. */
  overrides: readonly string[];
}

/** What the CLI gives the watchdog: the modules of this build and how to run each. */
export interface WatchdogOptions {
  /** The modules that exist in this build (the CLI's module table). */
  catalog: readonly ModuleName[];
  command: Omit<ModuleCommand, 'siteFile'>;
}

/**
 * Spawns module processes with an IPC channel, in their own process group (a Ctrl-C in the terminal
 * reaches only the watchdog, which then drains the modules in order). They share the watchdog's
 * stdout/stderr.
 */
export function moduleSpawner(command: ModuleCommand): (module: string) => ChildProcess {
  const nodeOptions = command.execArgv.filter((a) => !a.startsWith('--inspect'));
  const sets = command.overrides.flatMap((o) => ['--set', o]);
  // HERALD_SUPERVISED: the module asks the watchdog for its config (the last valid one) instead of reading the files.
  const env = { ...process.env, HERALD_CONFIG: command.siteFile, HERALD_SUPERVISED: '1' };
  return (module) =>
    spawn(command.execPath, [...nodeOptions, command.entry, module, ...sets], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true, env });
}
