/**
 * Helpers that keep a catalogue's keys precise for the type checker, so a translation typed
 * `Record<keyof typeof <ENGLISH CONST>, string>` fails to build when it misses a key.
 */

/** `{ a: 'x' }` under `p.` → `{ 'p.a': 'x' }`, keys typed `p.a`. */
export function prefixed<P extends string, K extends string>(prefix: P, entries: Readonly<Record<K, string>>): Record<`${P}${K}`, string> {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}${k}`, v])) as Record<`${P}${K}`, string>;
}
