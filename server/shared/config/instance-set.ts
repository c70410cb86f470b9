import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describeError } from '../errors.js';
import { duplicateHosts, type HostClaim } from './host-table.js';
import { addedInstances } from './instances.js';
import { loadConfig } from './load.js';
import type { HeraldConfig } from './schema.js';

/**
 * Every instance of the appliance as the multi-instance modules (web, tracking) see it: the default
 * one (the config the module was started with) and each added one, loaded from its site config.
 * An added instance whose site config fails to load, or that claims a host another instance
 * declared first (the default instance, then the added ones by name), is listed as failed with the
 * reason: its hosts are refused, the others are served.
 */

export interface LoadedInstance {
  name: string;
  siteFile: string;
  isDefault: boolean;
  config: HeraldConfig;
}

export interface FailedInstance {
  name: string;
  siteFile: string;
  reason: string;
  /** The hosts its file declares, read as well as it can be (to refuse them rather than serve another instance). */
  hosts: { web: string[]; tracking: string[] };
}

export interface InstanceSet {
  loaded: LoadedInstance[];
  failed: FailedInstance[];
}

const HOST_KEYS = ['web.hosts', 'tracking.hosts'] as const;

export function loadInstanceSet(main: { config: HeraldConfig; siteFile: string }, overrides: readonly string[] = []): InstanceSet {
  const loaded: LoadedInstance[] = [{ name: main.config.instanceName, siteFile: main.siteFile, isDefault: true, config: main.config }];
  const failed: FailedInstance[] = [];
  for (const added of addedInstances(main.siteFile)) {
    try {
      loaded.push({ ...added, config: loadConfig({ siteFile: added.siteFile, overrides }).config });
    } catch (err) {
      failed.push({ name: added.name, siteFile: added.siteFile, reason: describeError(err), hosts: declaredHosts(added.siteFile) });
    }
  }
  const claims = loaded.flatMap((i) => HOST_KEYS.map((key) => ({ instance: i.name, siteFile: i.siteFile, key, hosts: hostsOf(i.config, key) })));
  for (const problem of duplicateHosts(claims)) {
    const index = loaded.findIndex((i) => i.name === problem.instance);
    if (index < 0) continue;
    const [refused] = loaded.splice(index, 1);
    failed.push({
      name: refused!.name,
      siteFile: refused!.siteFile,
      reason: `${refused!.siteFile}: ${problem.key}: ${problem.reason}`,
      hosts: { web: [...refused!.config.web.hosts], tracking: [...refused!.config.tracking.hosts] },
    });
  }
  return { loaded, failed };
}

export const hostsOf = (config: HeraldConfig, key: (typeof HOST_KEYS)[number]): readonly string[] =>
  key === 'web.hosts' ? config.web.hosts : config.tracking.hosts;

/** The host claims of one module (web or tracking): loaded instances first, failed ones after (refused). */
export function hostClaims(set: InstanceSet, module: 'web' | 'tracking'): HostClaim[] {
  return [
    ...set.loaded.map((i) => ({ instance: i.name, hosts: module === 'web' ? i.config.web.hosts : i.config.tracking.hosts })),
    ...set.failed.map((f) => ({ instance: f.name, hosts: f.hosts[module], unavailable: true })),
  ];
}

function declaredHosts(siteFile: string): { web: string[]; tracking: string[] } {
  const read = (doc: Record<string, unknown>, section: string): string[] => {
    const table = doc[section] as Record<string, unknown> | undefined;
    const hosts = table && typeof table === 'object' ? table.hosts : undefined;
    return Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string') : [];
  };
  try {
    const doc = parse(readFileSync(siteFile, 'utf8')) as Record<string, unknown>;
    return { web: read(doc, 'web'), tracking: read(doc, 'tracking') };
  } catch {
    return { web: [], tracking: [] };
  }
}
