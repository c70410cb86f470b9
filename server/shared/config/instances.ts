import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { siteFilePath } from './load.js';

/**
 * Several instances on one appliance (Adobe's instances: one per brand or client). The install's
 * own site config (config/herald.toml, or HERALD_CONFIG / --config) is the default instance, as it
 * always was; every other instance is one more site config, `instances/<name>.toml` beside it,
 * written by `herald instance add` with its own secrets, data folder and database. A file there is
 * the whole registry: no list to keep in step.
 *
 * Modules are multi-instance (web, tracking and the watchdog: one process serves every instance of
 * the machine) or mono-instance (one process per instance).
 */

/** Modules of which one process serves every instance of the machine (the watchdog aside). */
export const MULTI_INSTANCE_MODULES: readonly string[] = ['web', 'tracking'];

export const INSTANCE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const INSTANCE_NAME_HINT = '1–40 lowercase letters, digits or dashes, starting with a letter or digit';

export interface InstanceEntry {
  name: string;
  siteFile: string;
  /** The install's own site config. */
  isDefault: boolean;
}

/** The main site config of the install: --config, else HERALD_CONFIG, else config/herald.toml. */
export function mainSiteFile(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  return given ? resolve(given) : siteFilePath(env);
}

/** The folder of the other instances' site configs, beside the main one. */
export function instancesDir(main: string): string {
  return join(dirname(main), 'instances');
}

export function instanceSiteFile(main: string, name: string): string {
  return join(instancesDir(main), `${name}.toml`);
}

/** Why a name cannot be an instance's (undefined: it can). */
export function instanceNameProblem(name: string, defaultName: string): string | undefined {
  if (!INSTANCE_NAME.test(name)) return `"${name}" is not a valid instance name (${INSTANCE_NAME_HINT})`;
  if (name === defaultName) return `"${name}" is the default instance (the install's own site config)`;
  return undefined;
}

/** The added instances (not the default one), by name. */
export function addedInstances(main: string): InstanceEntry[] {
  const dir = instancesDir(main);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.toml') && INSTANCE_NAME.test(f.slice(0, -'.toml'.length)))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.toml'.length), siteFile: join(dir, f), isDefault: false }));
}
