import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { ConfigError } from '../errors.js';
import { DEFAULTS_FILE, envName, loadConfig, siteFilePath, type LoadOptions } from './load.js';
import { configSchema, type HeraldConfig } from './schema.js';
import { nodeAt } from './schema-kit.js';

/**
 * The few settings `herald status` and `herald stop` need to reach a running watchdog — where its
 * pid and port files are, its control port, the key its token derives from, how long a stop may
 * take — read even from a broken site file, so a refused reload never leaves an operator unable to
 * see or stop Herald: the whole config when it is valid, else each of these keys from whatever
 * part of the files still reads (every `[section]` of the site file parsed on its own, a value
 * checked against its own rule), falling back to the default.
 */

export interface ControlSettings {
  dataDir: string;
  watchdog: Pick<HeraldConfig['watchdog'], 'pidFile' | 'controlPort' | 'stopTimeoutMs'>;
  secrets: Pick<HeraldConfig['secrets'], 'sessionKey'>;
}

const KEYS = ['dataDir', 'watchdog.pidFile', 'watchdog.controlPort', 'watchdog.stopTimeoutMs', 'secrets.sessionKey'] as const;

export function loadControlSettings(options: LoadOptions = {}): { settings: ControlSettings; problem?: ConfigError } {
  try {
    return { settings: loadConfig(options).config };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { settings: salvage(options), problem: err };
  }
}

function salvage(options: LoadOptions): ControlSettings {
  const env = options.env ?? process.env;
  const layers = [readTables(DEFAULTS_FILE), readTables(options.siteFile ?? siteFilePath(env))];
  const values = new Map<string, unknown>();
  for (const key of KEYS) {
    const leaf = nodeAt(configSchema, key);
    if (leaf?.kind !== 'leaf') continue;
    const candidates = [
      ...layers.map((layer) => valueAt(layer, key)),
      env[envName(key)] === undefined ? undefined : leaf.fromString(env[envName(key)]!),
      ...(options.overrides ?? []).filter((o) => o.startsWith(`${key}=`)).map((o) => leaf.fromString(o.slice(key.length + 1))),
    ];
    for (const candidate of candidates) if (candidate !== undefined && leaf.check(candidate).ok) values.set(key, candidate);
  }
  const get = <T>(key: (typeof KEYS)[number], fallback: T) => (values.get(key) as T | undefined) ?? fallback;
  return {
    dataDir: get('dataDir', 'var'),
    watchdog: { pidFile: get('watchdog.pidFile', 'run/watchdog.pid'), controlPort: get('watchdog.controlPort', 7780), stopTimeoutMs: get('watchdog.stopTimeoutMs', 15_000) },
    secrets: { sessionKey: get('secrets.sessionKey', '') },
  };
}

/** A TOML file as a table; when it does not parse as a whole, each `[section]` on its own (the broken ones left out). */
function readTables(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    const out: Record<string, unknown> = {};
    for (const chunk of text.split(/^(?=\s*\[)/m)) {
      try {
        const table = parse(chunk) as Record<string, unknown>;
        for (const [k, v] of Object.entries(table)) out[k] = typeof v === 'object' && v !== null && typeof out[k] === 'object' ? { ...(out[k] as object), ...v } : v;
      } catch {
        // this section is broken: its keys fall back to the other layers
      }
    }
    return out;
  }
}

function valueAt(table: Record<string, unknown>, path: string): unknown {
  let node: unknown = table;
  for (const part of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}
