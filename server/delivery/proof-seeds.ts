import { addressProblem } from '../shared/email-address.js';

/**
 * Seed addresses typed in the proof form (or given to `herald delivery proof --to`): one per line
 * or separated by commas (semicolons too, as mail clients copy them). Spaces belong to the seed
 * they are in, so "not an address" is one invalid seed, named as typed, not three. Pure.
 */
export interface SeedList {
  /** Valid addresses in lower case, each once, at most `max + 1` (the control rule reports the excess). */
  seeds: string[];
  /** The seeds that are not addresses, as typed. */
  invalid: string[];
}

export function parseSeeds(value: string, max: number): SeedList {
  const seeds = new Set<string>();
  const invalid: string[] = [];
  for (const part of value.split(/[,;\r\n]+/)) {
    const seed = part.trim();
    if (seed === '') continue;
    if (addressProblem(seed) !== undefined) invalid.push(seed.slice(0, 320));
    else seeds.add(seed.toLowerCase());
  }
  return { seeds: [...seeds].slice(0, max + 1), invalid };
}
