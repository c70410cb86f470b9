import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { APP_ROOT } from '../app-root.js';
import { ConfigError } from '../errors.js';
import { configSchema, crossChecks, resolveDatabase, type HeraldConfig } from './schema.js';
import { leaves, nodeAt, validate, type Issue } from './schema-kit.js';

/**
 * Loads the effective configuration in layers: defaults file → site file → environment → `--set`
 * overrides. Any problem throws a ConfigError naming the source (file or variable), the key and
 * the reason; the process entries turn it into one line on stderr and exit code 78.
 */

export const DEFAULTS_FILE = resolve(APP_ROOT, 'config', 'default.toml');
export const DEFAULT_SITE_FILE = resolve(APP_ROOT, 'config', 'herald.toml');
/** HERALD_* variables that are not config keys (HERALD_SUPERVISED: a module started by the watchdog). */
const RESERVED_ENV = /^HERALD_(CONFIG|TEST_.*|HOME|SUPERVISED)$/;
/** Keys that moved in an earlier version: old path → new path. A config that still sets one is told where it went. */
export const MOVED_KEYS: Readonly<Record<string, string>> = { 'inmail.rulesFile': 'bounce.rulesFile' };
const movedReason = (to: string) => `this key moved: set ${to.split('.').pop()} in [${to.split('.').slice(0, -1).join('.')}] instead (${to})`;

export interface LoadOptions {
  /** Site config path; default HERALD_CONFIG, then config/herald.toml. */
  siteFile?: string;
  env?: NodeJS.ProcessEnv;
  /** `key.path=value` pairs from the command line. */
  overrides?: readonly string[];
}

export interface LoadedConfig {
  readonly config: HeraldConfig;
  readonly siteFile: string;
}

type Table = Record<string, unknown>;
type Origins = Map<string, string>;

export function siteFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HERALD_CONFIG || DEFAULT_SITE_FILE);
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const siteFile = options.siteFile ? resolve(options.siteFile) : siteFilePath(env);
  const origins: Origins = new Map();
  const merged: Table = {};

  mergeLayer(merged, readToml(DEFAULTS_FILE), display(DEFAULTS_FILE), origins);
  mergeLayer(merged, readToml(siteFile), display(siteFile), origins);
  for (const [name, path, value] of envOverrides(env)) setPath(merged, path, value, `environment ${name}`, origins);
  for (const [path, value] of flagOverrides(options.overrides ?? [])) setPath(merged, path, value, `--set ${path}`, origins);

  for (const [from, to] of Object.entries(MOVED_KEYS)) {
    if (hasPath(merged, from)) throw new ConfigError(originOf(from, origins) ?? display(siteFile), from, movedReason(to));
  }
  const { value, issues } = validate(configSchema, merged);
  if (issues.length === 0) issues.push(...resolveDatabase(value as HeraldConfig));
  if (issues.length === 0) issues.push(...crossChecks(value as HeraldConfig));
  if (issues.length > 0) throw toError(issues, origins, display(siteFile));
  return { config: deepFreeze(value as HeraldConfig), siteFile };
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function readToml(file: string): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found (run ./install.sh, or point HERALD_CONFIG at the site config)' : `cannot read file (${code ?? 'error'})`;
    throw new ConfigError(display(file), '(file)', reason);
  }
  try {
    return parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError(display(file), `line ${err.line}`, `invalid TOML: ${reason}`);
    }
    throw err;
  }
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function mergeLayer(target: Table, layer: Table, source: string, origins: Origins, prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix ? `${prefix}.${key}` : key;
    origins.set(path, source);
    if (isTable(value) && isTable(target[key])) mergeLayer(target[key], value, source, origins, path);
    else {
      target[key] = value;
      if (isTable(value)) recordAll(value, source, origins, path);
    }
  }
}

function recordAll(value: Table, source: string, origins: Origins, prefix: string): void {
  for (const [key, child] of Object.entries(value)) {
    origins.set(`${prefix}.${key}`, source);
    if (isTable(child)) recordAll(child, source, origins, `${prefix}.${key}`);
  }
}

function hasPath(target: Table, path: string): boolean {
  let node: unknown = target;
  for (const part of path.split('.')) {
    if (!isTable(node) || !(part in node)) return false;
    node = node[part];
  }
  return true;
}

function setPath(target: Table, path: string, value: unknown, source: string, origins: Origins): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isTable(node[part])) node[part] = {};
    node = node[part] as Table;
  }
  node[parts[parts.length - 1]!] = value;
  origins.set(path, source);
}

/** `web.httpPort` → `HERALD_WEB__HTTP_PORT`. */
export function envName(path: string): string {
  return 'HERALD_' + path.split('.').map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

/** The config keys set by HERALD_* variables, with their typed values; an unknown variable or a bad value throws, naming it. */
export function environmentSettings(env: NodeJS.ProcessEnv): Array<{ name: string; path: string; value: unknown; secret: boolean }> {
  const byName = new Map(leaves(configSchema).map((l) => [envName(l.path), l]));
  const out: Array<{ name: string; path: string; value: unknown; secret: boolean }> = [];
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('HERALD_') || RESERVED_ENV.test(name) || text === undefined) continue;
    const target = byName.get(name);
    const moved = Object.entries(MOVED_KEYS).find(([from]) => envName(from) === name);
    if (moved) throw new ConfigError(`environment ${name}`, name, `this variable moved: use ${envName(moved[1])} instead`);
    if (!target) throw new ConfigError(`environment ${name}`, name, 'unknown variable (not a config key)');
    const value = target.leaf.fromString(text);
    const issues: Issue[] = validate(target.leaf, value, target.path).issues;
    if (issues.length > 0) throw new ConfigError(`environment ${name}`, target.path, issues[0]!.reason);
    out.push({ name, path: target.path, value, secret: target.leaf.secret });
  }
  return out;
}

function envOverrides(env: NodeJS.ProcessEnv): Array<[string, string, unknown]> {
  return environmentSettings(env).map((s) => [s.name, s.path, s.value]);
}

function flagOverrides(pairs: readonly string[]): Array<[string, unknown]> {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    const path = eq > 0 ? pair.slice(0, eq).trim() : pair;
    const node = nodeAt(configSchema, path);
    if (eq <= 0) throw new ConfigError('--set', path, 'expected key=value');
    if (MOVED_KEYS[path]) throw new ConfigError(`--set ${path}`, path, movedReason(MOVED_KEYS[path]));
    if (!node || node.kind !== 'leaf') throw new ConfigError(`--set ${path}`, path, 'unknown key');
    return [path, node.fromString(pair.slice(eq + 1))];
  });
}

function originOf(path: string, origins: Origins): string | undefined {
  let p = path;
  for (;;) {
    const found = origins.get(p) ?? origins.get(p.replace(/\[\d+\]$/, ''));
    if (found) return found;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}

function toError(issues: Issue[], origins: Origins, siteDisplay: string): ConfigError {
  const [first] = issues;
  const node = nodeAt(configSchema, first!.path);
  const isSecret = node?.kind === 'leaf' && node.secret;
  // A key still at its default is fixed in the site file: name that file, not the defaults.
  const origin = originOf(first!.path, origins);
  const source = (isSecret && first!.reason.startsWith('missing')) || origin === display(DEFAULTS_FILE) ? siteDisplay : (origin ?? siteDisplay);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ConfigError(source, first!.path, first!.reason + more);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
