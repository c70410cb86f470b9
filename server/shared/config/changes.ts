import { configSchema, type HeraldConfig } from './schema.js';
import { keyPaths } from './schema-kit.js';

/**
 * What a reload changes (pure): the key paths whose value differs between two configs — leaves
 * (`web.port`) and lists of tables as a whole (`mta.domainRules`). Only names: a secret's value
 * never leaves this function.
 */
export function configChanges(before: HeraldConfig, after: HeraldConfig): string[] {
  return keyPaths(configSchema).filter((path) => JSON.stringify(valueAt(before, path)) !== JSON.stringify(valueAt(after, path)));
}

function valueAt(config: HeraldConfig, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** Whether `key` is `prefix` or lies under it (`mta` covers `mta.tls`, not `mtaX`). */
export function under(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(`${prefix}.`);
}
