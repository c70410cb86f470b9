import type { IssueKey } from '../issue-texts/en.js';
import { HAS_SENTINEL, sentinel, splitSkeleton, type Tag } from './parse.js';

/**
 * The shape of one URL of a template (an href, a src, a link in the text part), decided at
 * analysis. Personalization is allowed only in whole query-parameter values: those become the
 * placeholders {p1}, {p2}… of the stored tracking URL and travel signed in the tracked link. A tag
 * in the scheme, host, path, fragment or a parameter name is refused (it could send recipients to
 * another site), and so is code (<% %>) inside a URL.
 */

const SYSTEM_LINKS = ['unsubscribe', 'mirror', 'preferences'] as const;
export type SystemLink = (typeof SYSTEM_LINKS)[number];

/** A static piece of text (decoded) or the index of a template tag. */
export type Piece = string | number;

export type UrlShape =
  | { kind: 'static'; url: string }
  | { kind: 'system'; link: SystemLink }
  | { kind: 'personalized'; url: string; params: Piece[][]; tags: number[] }
  | { kind: 'refused'; rule: 'links.host' | 'links.path' | 'links.code' | 'links.invalid'; key: IssueKey };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const SYSTEM = new RegExp(`^links\\.(${SYSTEM_LINKS.join('|')})$`);
const AUTHORITY = /^[a-z][a-z0-9+.-]*:(\/\/[^/?#]*)?/i;

/** `raw` is the URL as written in the skeleton; HTML attribute values have their entities decoded. */
export function analyseUrl(raw: string, tags: readonly Tag[], html: boolean): UrlShape {
  const pieces = splitSkeleton(raw.trim());
  const tagIndexes = pieces.filter((p): p is number => typeof p === 'number');
  if (tagIndexes.some((t) => tags[t]!.kind === 'e')) return { kind: 'refused', rule: 'links.code', key: 'check.links.code' };
  const flat = pieces.map((p) => (typeof p === 'number' ? sentinel(p) : html ? decodeEntities(p) : p)).join('');
  if (tagIndexes.length === 0) return { kind: 'static', url: flat };
  const system = pieces.length === 1 ? SYSTEM.exec(tags[tagIndexes[0]!]!.code.trim()) : null;
  if (system) return { kind: 'system', link: system[1] as SystemLink };

  const hash = flat.indexOf('#');
  let query = flat.indexOf('?');
  if (hash !== -1 && query > hash) query = -1;
  const prefixEnd = query !== -1 ? query : hash !== -1 ? hash : flat.length;
  const firstTag = flat.search(HAS_SENTINEL);
  if (firstTag < prefixEnd) {
    const authority = AUTHORITY.exec(flat);
    if (!authority || firstTag < authority[0].length) return { kind: 'refused', rule: 'links.host', key: 'check.links.host' };
    return { kind: 'refused', rule: 'links.path', key: 'check.links.path' };
  }
  const fragment = hash === -1 ? '' : flat.slice(hash);
  if (HAS_SENTINEL.test(fragment)) return { kind: 'refused', rule: 'links.path', key: 'check.links.fragment' };
  return queryShape(flat.slice(0, prefixEnd), flat.slice(prefixEnd + 1, hash === -1 ? flat.length : hash), fragment);
}

function queryShape(prefix: string, query: string, fragment: string): UrlShape {
  const params: Piece[][] = [];
  const tags: number[] = [];
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    if (HAS_SENTINEL.test(name)) return undefined;
    if (!HAS_SENTINEL.test(value)) return pair;
    const pieces = splitSkeleton(value).map((p) => (typeof p === 'number' ? p : percentDecode(p)));
    tags.push(...pieces.filter((p): p is number => typeof p === 'number'));
    params.push(pieces);
    return `${name}={p${params.length}}`;
  });
  if (pairs.includes(undefined)) return { kind: 'refused', rule: 'links.path', key: 'check.links.query_name' };
  return { kind: 'personalized', url: `${prefix}?${pairs.join('&')}${fragment}`, params, tags };
}

/** What a tracking server accepts (server/tracking/destination.ts checks the same when URLs are published). */
const TRACKABLE = { maxLength: 4096, maxParams: 20 };

/** Why a link cannot be tracked (stored URL with {pN} placeholders), or undefined. */
export function untrackable(url: string): { key: IssueKey; params?: Record<string, number> } | undefined {
  if (url.length > TRACKABLE.maxLength) return { key: 'check.links.too_long', params: { max: TRACKABLE.maxLength } };
  if (/[\u0000-\u0020\u007f-\u009f]/.test(url)) return { key: 'check.links.spaces' };
  if ((url.match(/\{p\d+\}/g) ?? []).length > TRACKABLE.maxParams) return { key: 'check.links.too_many_params', params: { max: TRACKABLE.maxParams } };
  try {
    const parsed = new URL(url.replace(/\{p(\d+)\}/g, 'p$1'));
    return parsed.username || parsed.password ? { key: 'check.links.credentials' } : undefined;
  } catch {
    return { key: 'check.links.not_absolute' };
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'()[\]{}]+/gi;

/** Spans of the http(s) URLs in a plain-text skeleton; trailing punctuation is not part of a URL. */
export function findTextUrls(skeleton: string): Array<{ start: number; end: number }> {
  return [...skeleton.matchAll(URL_IN_TEXT)].map((m) => ({ start: m.index, end: m.index + m[0].replace(/[.,;:!?]+$/, '').length }));
}
