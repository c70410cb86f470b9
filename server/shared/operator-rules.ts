import { NAMED_RIGHTS, type NamedRight } from './glossary.js';

/** A login is 1–64 characters: a-z, 0-9, ".", "_" or "-" (stored in lower case). */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The named rights among `values`, deduplicated, in glossary order; unknown words are dropped. */
export function knownRights(values: readonly string[]): NamedRight[] {
  return NAMED_RIGHTS.filter((r) => values.includes(r));
}
