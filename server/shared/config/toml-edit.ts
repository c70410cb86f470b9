import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'smol-toml';

/**
 * Sets keys in a TOML text written by a person, changing nothing else: a key already set in its
 * table has its line replaced; a missing key is added at the end of its `[table]` (or before the
 * first table, for top-level keys); a missing table is appended. Comments, order and layout stay.
 * Pure. The result is parsed back and must equal the original document with exactly these keys
 * set: when the text is laid out in a way this cannot follow (dotted keys, inline tables,
 * multi-line values), an error names the first key that could not be set, and nothing is changed.
 */

export interface TomlEdit {
  /** Key path, e.g. ['web', 'port'] or ['dataDir']. */
  path: string[];
  value: unknown;
}

export class TomlEditError extends Error {
  constructor(readonly key: string) {
    super(`cannot set ${key} in this file automatically (it is laid out with dotted keys, inline tables or multi-line values)`);
  }
}

type Doc = Record<string, unknown>;

/** A parsed document as plain objects (the parser's tables have no prototype), for comparisons. */
const plain = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(plain)
    : v !== null && typeof v === 'object' && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
      : v;
const parsePlain = (text: string) => plain(parse(text)) as Doc;

const headerOf = (line: string): string | undefined => {
  const m = /^\s*\[\s*([^[\]]+?)\s*\]\s*(#.*)?$/.exec(line);
  return m ? m[1]!.replace(/\s*\.\s*/g, '.') : undefined;
};
const isHeader = (line: string) => /^\s*\[/.test(line);
const keyLine = (key: string) => new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`);

/** `key = value` as TOML writes it. */
const line = (key: string, value: unknown) => stringify({ [key]: value }).trim();

function setOne(lines: string[], edit: TomlEdit): void {
  const key = edit.path[edit.path.length - 1]!;
  const table = edit.path.slice(0, -1).join('.');
  const text = line(key, edit.value);
  let start = 0;
  if (table) {
    start = lines.findIndex((l) => headerOf(l) === table);
    if (start === -1) {
      while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
      lines.push('', `[${table}]`, text);
      return;
    }
    start += 1;
  }
  let end = lines.findIndex((l, i) => i >= start && isHeader(l));
  if (end === -1) end = lines.length;
  const existing = lines.findIndex((l, i) => i >= start && i < end && keyLine(key).test(l));
  if (existing !== -1) {
    lines[existing] = text;
    return;
  }
  let at = end;
  while (at > start && lines[at - 1]!.trim() === '') at--;
  // Before the first table, leave a blank line between the new top-level key and that table.
  lines.splice(at, 0, ...(table === '' && at === end && end < lines.length ? [text, ''] : [text]));
}

function withValue(doc: Doc, path: readonly string[], value: unknown): Doc {
  const copy = structuredClone(doc);
  let node = copy;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Doc;
  node[path[path.length - 1]!] = value;
  return copy;
}

export function setTomlValues(text: string, edits: readonly TomlEdit[]): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let expected = parsePlain(text);
  for (const edit of edits) {
    setOne(lines, edit);
    expected = withValue(expected, edit.path, edit.value);
    const result = lines.join('\n') + '\n';
    let parsed: Doc;
    try {
      parsed = parsePlain(result);
    } catch {
      throw new TomlEditError(edit.path.join('.'));
    }
    if (!isDeepStrictEqual(parsed, expected)) throw new TomlEditError(edit.path.join('.'));
  }
  return lines.join('\n') + '\n';
}
