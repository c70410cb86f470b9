/**
 * A small typed schema for the config: leaves (scalars and scalar lists), tables and lists of tables.
 * Each leaf knows how to check a value, how to read it from an environment string and whether it is a
 * secret. The config type is inferred from the schema, so code reads `config.web.port` as a number.
 */

export type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Leaf<T> {
  readonly kind: 'leaf';
  readonly secret: boolean;
  /** The value of a key left out (only keys of list tables have one: other keys come from the defaults file). */
  readonly fallback?: { value: T };
  check(value: unknown): Check<T>;
  /** Turns an environment or `--set` string into a value for check(). */
  fromString(text: string): unknown;
}

export type Shape = { readonly [key: string]: Node };
export interface Table<S extends Shape> {
  readonly kind: 'table';
  readonly shape: S;
}
export interface TableList<S extends Shape> {
  readonly kind: 'tableList';
  readonly shape: S;
  /** Values of the keys an item may leave out (a list of tables has no defaults file of its own). */
  readonly defaults?: Readonly<Record<string, unknown>>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = Leaf<any> | Table<any> | TableList<any>;

export type Infer<N> =
  N extends Leaf<infer T>
    ? T
    : N extends Table<infer S>
      ? { readonly [K in keyof S]: Infer<S[K]> }
      : N extends TableList<infer S>
        ? ReadonlyArray<{ readonly [K in keyof S]: Infer<S[K]> }>
        : never;

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(reason: string): Check<T> => ({ ok: false, reason });
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'a table' : String(v));

function leaf<T>(check: (v: unknown) => Check<T>, fromString: (s: string) => unknown, secret = false): Leaf<T> {
  return { kind: 'leaf', secret, check, fromString };
}

export interface StringOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Human wording of the pattern, used in the error. */
  patternHint?: string;
}

function checkString(v: unknown, o: StringOptions): Check<string> {
  if (typeof v !== 'string') return fail(`expected a string, got ${shown(v)}`);
  if (o.min !== undefined && v.length < o.min) return fail(`must be at least ${o.min} characters long`);
  if (o.max !== undefined && v.length > o.max) return fail(`must be at most ${o.max} characters long`);
  if (o.pattern && !o.pattern.test(v)) return fail(`expected ${o.patternHint ?? `a value matching ${o.pattern}`}, got ${shown(v)}`);
  return ok(v);
}

export const str = (o: StringOptions = {}): Leaf<string> => leaf((v) => checkString(v, o), (s) => s);

/**
 * A secret: masked by `config show`, never logged. Empty means "not set", which fails validation
 * with `missing secret` unless the secret is optional (then it may stay empty).
 */
export const secret = (o: { minLength?: number; optional?: boolean } = {}): Leaf<string> =>
  leaf(
    (v) => {
      if (typeof v !== 'string') return fail(`expected a string, got ${shown(v)}`);
      if (v === '') return o.optional ? ok(v) : fail('missing secret (install.sh generates one; or: openssl rand -base64 32)');
      if (o.minLength !== undefined && v.length < o.minLength) return fail(`secret too short: at least ${o.minLength} characters required`);
      return ok(v);
    },
    (s) => s,
    true,
  );

export const int = (o: { min?: number; max?: number } = {}): Leaf<number> =>
  leaf(
    (v) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`expected an integer, got ${shown(v)}`);
      if (o.min !== undefined && v < o.min) return fail(`must be ≥ ${o.min}, got ${v}`);
      if (o.max !== undefined && v > o.max) return fail(`must be ≤ ${o.max}, got ${v}`);
      return ok(v);
    },
    (s) => (/^-?\d+$/.test(s.trim()) ? Number(s.trim()) : s),
  );

export const num = (o: { min?: number; max?: number } = {}): Leaf<number> =>
  leaf(
    (v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`expected a number, got ${shown(v)}`);
      if (o.min !== undefined && v < o.min) return fail(`must be ≥ ${o.min}, got ${v}`);
      if (o.max !== undefined && v > o.max) return fail(`must be ≤ ${o.max}, got ${v}`);
      return ok(v);
    },
    (s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s),
  );

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export const bool = (): Leaf<boolean> =>
  leaf(
    (v) => (typeof v === 'boolean' ? ok(v) : fail(`expected true or false, got ${shown(v)}`)),
    (s) => (TRUE.has(s.trim().toLowerCase()) ? true : FALSE.has(s.trim().toLowerCase()) ? false : s),
  );

export const oneOf = <const T extends string>(values: readonly T[]): Leaf<T> =>
  leaf(
    (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? ok(v as T) : fail(`expected one of ${values.map((x) => `"${x}"`).join(', ')}, got ${shown(v)}`)),
    (s) => s,
  );

/** A list of scalars; from the environment it is comma-separated. */
export const list = <T>(item: Leaf<T>): Leaf<T[]> =>
  leaf(
    (v) => {
      if (!Array.isArray(v)) return fail(`expected a list, got ${shown(v)}`);
      const out: T[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = item.check(v[i]);
        if (!r.ok) return fail(`item ${i + 1}: ${r.reason}`);
        out.push(r.value);
      }
      return ok(out);
    },
    (s) => (s.trim() === '' ? [] : s.split(',').map((x) => item.fromString(x.trim()))),
  );

/** A leaf with an extra rule on top of another leaf's check. */
export const refine = <T>(base: Leaf<T>, rule: (value: T) => string | undefined): Leaf<T> => ({
  ...base,
  check(v) {
    const r = base.check(v);
    if (!r.ok) return r;
    const reason = rule(r.value);
    return reason ? fail(reason) : r;
  },
});

/** A key of a list table ([[…]]) that may be left out: it then takes `value`. */
export const withDefault = <T>(node: Leaf<T>, value: T): Leaf<T> => ({ ...node, fallback: { value } });

export const table = <S extends Shape>(shape: S): Table<S> => ({ kind: 'table', shape });
export const tableList = <S extends Shape>(shape: S, defaults?: { readonly [K in keyof S]?: unknown }): TableList<S> => ({
  kind: 'tableList',
  shape,
  ...(defaults ? { defaults } : {}),
});

/** One problem found while validating: the key path (e.g. `web.port`, `mta.rules[2].domain`) and why. */
export interface Issue {
  path: string;
  reason: string;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Validates `value` against `node`; returns the typed value and every issue found (in key order). */
export function validate(node: Node, value: unknown, path = ''): { value: unknown; issues: Issue[] } {
  const issues: Issue[] = [];
  const out = walk(node, value, path, issues);
  return { value: out, issues };
}

function walk(node: Node, value: unknown, path: string, issues: Issue[]): unknown {
  if (node.kind === 'leaf') {
    if (value === undefined && node.fallback) return node.fallback.value;
    if (value === undefined) {
      issues.push({ path, reason: 'missing key' });
      return undefined;
    }
    const r = node.check(value);
    if (!r.ok) issues.push({ path, reason: r.reason });
    return r.ok ? r.value : undefined;
  }
  if (node.kind === 'table') return walkTable(node.shape, value, path, issues);
  // A list of tables may be absent: it is then empty (TOML cannot write an empty [[list]]).
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path, reason: `expected a list of tables ([[${path}]]), got ${shown(value)}` });
    return [];
  }
  return value.map((item, i) => walkTable(node.shape, node.defaults && isTable(item) ? { ...node.defaults, ...item } : item, `${path}[${i}]`, issues));
}

function walkTable(shape: Shape, value: unknown, path: string, issues: Issue[]): Record<string, unknown> {
  if (!isTable(value)) {
    issues.push({ path, reason: value === undefined ? 'missing table' : `expected a table, got ${shown(value)}` });
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!(key in shape)) issues.push({ path: join(path, key), reason: 'unknown key' });
  }
  for (const [key, child] of Object.entries(shape)) out[key] = walk(child, value[key], join(path, key), issues);
  return out;
}

/** Every leaf of a schema with its dotted path (lists of tables are not leaves and are skipped). */
export function leaves(node: Node, path = ''): Array<{ path: string; leaf: Leaf<unknown> }> {
  if (node.kind === 'leaf') return [{ path, leaf: node }];
  if (node.kind === 'tableList') return [];
  return Object.entries(node.shape as Shape).flatMap(([k, child]) => leaves(child, join(path, k)));
}

/** Every key path a config file may set: leaves and lists of tables (their items are checked by validate). */
export function keyPaths(node: Node, path = ''): string[] {
  if (node.kind !== 'table') return [path];
  return Object.entries(node.shape as Shape).flatMap(([k, child]) => keyPaths(child, join(path, k)));
}

/** The schema node at a dotted path, if any (used to read secrets inside lists of tables). */
export function nodeAt(root: Node, path: string): Node | undefined {
  let node: Node | undefined = root;
  for (const part of path.replace(/\[\d+\]/g, '').split('.')) {
    if (!node || node.kind === 'leaf') return undefined;
    node = (node.shape as Shape)[part];
  }
  return node;
}
