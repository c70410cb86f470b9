import { MAX_PARAMS } from './destination.js';

/**
 * The per-recipient values of a click, `p1`, `p2`… from the raw query string (the first value of
 * each name; other parameters are ignored). Returns the consecutive values from p1, or undefined when
 * a value is malformed. The values only count once the token's MAC has verified them.
 */
export function readParams(query: string): string[] | undefined {
  if (query === '') return [];
  const found: Array<string | undefined> = [];
  for (const pair of query.split('&')) {
    if (pair.charCodeAt(0) !== 0x70 /* p */) continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (!/^p[1-9]\d?$/.test(name)) continue;
    const index = Number(name.slice(1)) - 1;
    if (index >= MAX_PARAMS) return undefined;
    if (found[index] !== undefined) continue;
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (value === undefined) return undefined;
    found[index] = value;
  }
  const values: string[] = [];
  for (const value of found) {
    if (value === undefined) break;
    values.push(value);
  }
  return values;
}

function decode(text: string): string | undefined {
  if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
