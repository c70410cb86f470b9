/**
 * The destination of a tracked link: the URL stored at analysis, where `{pN}` placeholders stand for
 * whole query-parameter values. A URL is checked and compiled once, when its definition is pushed;
 * a click only fills the placeholders with URL-encoded values, so scheme, host and path can never
 * change (no open redirect).
 */

export interface CompiledUrl {
  /** Literal pieces around the placeholders: parts.length = slots.length + 1. */
  readonly parts: readonly string[];
  /** The placeholder number (1-based) between parts[i] and parts[i + 1]. */
  readonly slots: readonly number[];
  /** How many p-values a click must carry (the highest placeholder number). */
  readonly params: number;
}

export const MAX_PARAMS = 20;
const MAX_URL_LENGTH = 4096;
const PLACEHOLDER = /\{p([1-9]\d?)\}/g;
const MARKER_PREFIX = 'zzheraldparam';
const MARKER = /zzheraldparam(\d+)zz/g;
/** Whitespace, control characters and anything a Location header may not carry. */
const UNSAFE_CHARS = /[\u0000-\u0020\u007f-\u009f]/;

export type Compiled = { ok: true; url: CompiledUrl } | { ok: false; reason: string };

const fail = (reason: string): Compiled => ({ ok: false, reason });

/** Checks an authored URL and compiles it; the literal parts are the WHATWG-normalized href. */
export function compileUrl(url: string): Compiled {
  if (url.length === 0 || url.length > MAX_URL_LENGTH) return fail(`a URL must have 1 to ${MAX_URL_LENGTH} characters`);
  if (UNSAFE_CHARS.test(url)) return fail('a URL must not contain spaces or control characters');
  if (url.toLowerCase().includes(MARKER_PREFIX)) return fail('a URL must not contain the reserved word zzheraldparam');
  let highest = 0;
  const marked = url.replace(PLACEHOLDER, (_, n: string) => {
    highest = Math.max(highest, Number(n));
    return `${MARKER_PREFIX}${n}zz`;
  });
  if (highest > MAX_PARAMS) return fail(`at most ${MAX_PARAMS} personalized parameters`);
  let parsed: URL;
  try {
    parsed = new URL(marked);
  } catch {
    return fail('not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail('only http and https URLs are tracked');
  if (parsed.username || parsed.password) return fail('a URL must not carry credentials');
  const outsideQuery = parsed.protocol + parsed.host + parsed.pathname + parsed.hash;
  if (outsideQuery.includes(MARKER_PREFIX)) return fail('personalization is only allowed in query-parameter values');
  if (!wholeValues(parsed.search)) return fail('a placeholder must be a whole query-parameter value');
  return { ok: true, url: split(parsed.href, highest) };
}

/** Every marker in the query is a complete value: `…=<marker>` followed by `&` or the end. */
function wholeValues(search: string): boolean {
  const all = search.match(MARKER)?.length ?? 0;
  const whole = search.match(/[=]zzheraldparam\d+zz(?=&|$)/g)?.length ?? 0;
  return all === whole;
}

function split(href: string, params: number): CompiledUrl {
  const parts: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const match of href.matchAll(MARKER)) {
    parts.push(href.slice(last, match.index));
    slots.push(Number(match[1]));
    last = match.index! + match[0].length;
  }
  parts.push(href.slice(last));
  return { parts, slots, params };
}

/** The final URL for one click: placeholders replaced by the URL-encoded, MAC-verified values. */
export function fillUrl(url: CompiledUrl, values: readonly string[]): string {
  if (url.slots.length === 0) return url.parts[0]!;
  let out = url.parts[0]!;
  for (let i = 0; i < url.slots.length; i++) out += encodeURIComponent(values[url.slots[i]! - 1] ?? '') + url.parts[i + 1]!;
  return out;
}
