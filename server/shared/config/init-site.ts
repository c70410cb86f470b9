import { createECDH, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.js';
import { environmentSettings } from './load.js';
import { setTomlValues, TomlEditError, type TomlEdit } from './toml-edit.js';

/**
 * Writes the site config, or completes the one an admin wrote first (`herald config init`, run by
 * install.sh): the secrets it lacks are generated and added, and the settings given as HERALD_*
 * variables are written in, so later `herald` commands find them without the variables. What the
 * file says already is never touched, except a key a variable sets to another value; secrets it
 * holds are never replaced (they signed every link already sent). The file ends readable by its
 * owner only. A file that cannot be completed safely is left as it was, with an error naming it.
 */


export interface InitChange {
  key: string;
  /** The variable it came from (absent: a generated secret). */
  from?: string;
  /** The value the file had before, for a setting a variable changed. */
  was?: unknown;
  /** What to print (secrets masked). */
  shown: string;
}

export interface InitResult {
  action: 'created' | 'updated' | 'kept';
  changes: InitChange[];
}

const HEADER = [
  '# Herald site configuration, written by install.sh (herald config init): it only adds what is missing.',
  '# Every key and its default is listed in config/default.toml; set here only what differs.',
  '# Keep this file private: it holds the secrets that sign tracking links, sessions and bounces.',
  '',
].join('\n');

const key = () => randomBytes(32).toString('base64url');
const vapidKey = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const raw = ecdh.getPrivateKey();
  return Buffer.concat([Buffer.alloc(32 - raw.length), raw]).toString('base64url');
};

/** The secrets written when missing (previous keys only ever come from a rotation), and how each is made. */
const GENERATED_SECRETS = {
  trackingKey: () => key(),
  sessionKey: () => key(),
  bounceKey: () => key(),
  trackingApiKey: () => key(),
  statKey: () => key(),
  /** Web push's VAPID key: a P-256 private key (its public key is derived when needed). */
  vapidPrivateKey: vapidKey,
} as const;
type Doc = Record<string, unknown>;

function valueAt(doc: Doc, path: readonly string[]): unknown {
  let node: unknown = doc;
  for (const part of path) node = node && typeof node === 'object' ? (node as Doc)[part] : undefined;
  return node;
}

function readSite(file: string): { text: string; doc: Doc } {
  const text = readFileSync(file, 'utf8');
  try {
    return { text, doc: parse(text) as Doc };
  } catch (err) {
    if (err instanceof TomlError) throw new ConfigError(file, `line ${err.line}`, `invalid TOML: ${err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '')}`);
    throw err;
  }
}

export interface InitOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Settings written when the file does not set them (e.g. an added instance's name and database). */
  values?: ReadonlyArray<{ path: string[]; value: unknown; secret?: boolean }>;
}

export function initSiteConfig(file: string, options: InitOptions = {}): InitResult {
  const exists = existsSync(file);
  const { text, doc } = exists ? readSite(file) : { text: HEADER, doc: {} };
  const edits: Array<TomlEdit & InitChange> = [];
  const fromEnv = environmentSettings(options.env ?? process.env);
  const set = (path: string[], value: unknown, from?: string, secret = false) => {
    const was = valueAt(doc, path);
    if (was !== undefined && isDeepStrictEqual(was, value)) return;
    const shown = `${path.join('.')} = ${secret ? '********' : JSON.stringify(value)}`;
    edits.push({ path, value, key: path.join('.'), from, was, shown });
  };
  if (options.dataDir && valueAt(doc, ['dataDir']) === undefined) set(['dataDir'], options.dataDir);
  for (const v of options.values ?? []) if (valueAt(doc, v.path) === undefined) set(v.path, v.value, undefined, v.secret);
  for (const s of fromEnv) set(s.path.split('.'), s.value, s.name, s.secret);
  for (const [name, make] of Object.entries(GENERATED_SECRETS)) {
    const path = ['secrets', name];
    if (!valueAt(doc, path) && !edits.some((e) => e.key === path.join('.'))) set(path, make(), undefined, true);
  }
  if (exists && edits.length === 0) return { action: 'kept', changes: [] };
  let result: string;
  try {
    result = setTomlValues(text, edits);
  } catch (err) {
    if (err instanceof TomlEditError) throw new ConfigError(file, err.key, `${err.message}: add it by hand (see config/default.toml), then run this again`);
    throw err;
  }
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, result, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
  return { action: exists ? 'updated' : 'created', changes: edits.map(({ key: k, from, was, shown }) => ({ key: k, from, was, shown })) };
}
