import type { IssueKey } from '../issue-texts/en.js';
import { HAS_SENTINEL, SENTINEL_RE } from './parse.js';

/**
 * A small HTML tokenizer over a template skeleton (static HTML with tag sentinels). It tells, for
 * every template tag, the output context it sits in, and lists the URL attributes (links, images…)
 * with their value spans, so links can be tracked and personalization inside URLs checked.
 *
 * Outlook's conditional comments (`<!--[if mso]> … <![endif]-->`) hold markup that Outlook renders
 * (VML "bulletproof" buttons): it is scanned like the rest, and the href of a VML shape is a link.
 *
 * Contexts are decided on the static text: code that opens a tag in one branch and closes it in
 * another is not followed (the compiler refuses the shapes that would need it: tags outside quoted
 * attribute values, inside <script>/<style>, event handlers or style attributes).
 */

export type TagContext =
  { kind: 'html' } | { kind: 'attr' } | { kind: 'url'; attr: number } | { kind: 'forbidden'; key: IssueKey; params?: Record<string, string> };

export interface UrlAttr {
  tag: string;
  name: string;
  /** Value span in the skeleton (between the quotes). */
  start: number;
  end: number;
  /** Other attributes of the element (lower-case names, static values). */
  attrs: Record<string, string>;
  /** Text of a link element without its tags (for the link label). */
  text?: string;
}

export interface HtmlScan {
  contexts: Map<number, TagContext>;
  urls: UrlAttr[];
  /** Start of the last </body>, or -1 (the open pixel goes there). */
  bodyClose: number;
}

const URL_ATTRS = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'background',
  'cite',
  'poster',
  'longdesc',
  'usemap',
  'codebase',
  'data',
  'xlink:href',
  'manifest',
  'icon',
]);
const RAW_TEXT = new Set(['script', 'style']);
const TAG_NAME = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)/y;

function markAll(text: string, from: number, to: number, ctx: TagContext, out: Map<number, TagContext>): void {
  for (const m of text.slice(from, to).matchAll(SENTINEL_RE)) out.set(Number(m[1]), ctx);
}

/** Where personalization may not go, as the catalogue key of the reason (server/delivery/issue-texts). */
const forbidden = (key: IssueKey, params?: Record<string, string>): TagContext => ({ kind: 'forbidden', key, ...(params ? { params } : {}) });

interface Attr {
  name: string;
  start: number;
  end: number;
  quoted: boolean;
}

/** Reads the attributes of a start tag from `pos` (after the name); returns them and the index of '>'. */
function readAttributes(s: string, pos: number, contexts: Map<number, TagContext>): { attrs: Attr[]; end: number } {
  const attrs: Attr[] = [];
  let j = pos;
  for (;;) {
    while (j < s.length && /[\s/]/.test(s[j]!)) j++;
    if (j >= s.length || s[j] === '>') return { attrs, end: j };
    const nameMatch = /[^\s/>=]+/y;
    nameMatch.lastIndex = j;
    const name = nameMatch.exec(s)![0];
    markAll(s, j, j + name.length, forbidden('check.context.tag'), contexts);
    j += name.length;
    while (j < s.length && /\s/.test(s[j]!)) j++;
    if (s[j] !== '=') {
      attrs.push({ name: name.toLowerCase(), start: j, end: j, quoted: false });
      continue;
    }
    j++;
    while (j < s.length && /\s/.test(s[j]!)) j++;
    const quote = s[j];
    if (quote === '"' || quote === "'") {
      const close = s.indexOf(quote, j + 1);
      const end = close === -1 ? s.length : close;
      attrs.push({ name: name.toLowerCase(), start: j + 1, end, quoted: true });
      j = end + 1;
    } else {
      const value = /[^\s>]*/y;
      value.lastIndex = j;
      const v = value.exec(s)![0];
      attrs.push({ name: name.toLowerCase(), start: j, end: j + v.length, quoted: false });
      j += v.length;
    }
  }
}

function attrContext(tag: string, attr: Attr, urlIndex: number): TagContext {
  if (!attr.quoted) return forbidden('check.context.unquoted', { name: attr.name });
  if (attr.name.startsWith('on')) return forbidden('check.context.handler', { name: attr.name });
  if (attr.name === 'style') return forbidden('check.context.style');
  if (attr.name === 'srcset') return forbidden('check.context.srcset');
  if (URL_ATTRS.has(attr.name)) return { kind: 'url', attr: urlIndex };
  return tag === 'meta' && attr.name === 'content' ? forbidden('check.context.meta') : { kind: 'attr' };
}

/** Text of a link element (<a>, a VML shape) from the end of its start tag to its end tag. */
function linkText(s: string, from: number, tag: string): string {
  const close = s.slice(from).search(new RegExp(`</${tag}\\s*>`, 'i'));
  const inner = close === -1 ? '' : s.slice(from, from + close);
  return inner.replace(/<[^>]*>/g, ' ');
}

/** Elements whose href is a link a recipient clicks: <a>, <area> and Outlook's VML shapes (v:roundrect…). */
export const isLinkTag = (tag: string) => tag === 'a' || tag === 'area' || tag.startsWith('v:');

/** `<!--[if …]>`: the start of a conditional comment, whose content is markup; returns the index after it. */
const CONDITIONAL_START = /<!--\[if [^\]]{1,200}\]>/iy;

function scanTag(s: string, lt: number, name: string, out: HtmlScan): number {
  const { attrs, end } = readAttributes(s, lt + 1 + name.length, out.contexts);
  const tag = name.toLowerCase();
  const statics: Record<string, string> = {};
  for (const a of attrs) statics[a.name] = s.slice(a.start, a.end);
  for (const a of attrs) {
    const isUrl = URL_ATTRS.has(a.name) && a.quoted;
    const ctx = attrContext(tag, a, out.urls.length);
    const hasTags = HAS_SENTINEL.test(s.slice(a.start, a.end));
    if (isUrl && (hasTags || (a.name === 'href' && isLinkTag(tag)))) {
      out.urls.push({ tag, name: a.name, start: a.start, end: a.end, attrs: statics, text: tag === 'area' ? undefined : linkText(s, end + 1, tag) });
    }
    markAll(s, a.start, a.end, ctx, out.contexts);
  }
  if (RAW_TEXT.has(tag)) {
    const close = s.slice(end).search(new RegExp(`</${tag}\\s*>`, 'i'));
    const stop = close === -1 ? s.length : end + close;
    markAll(s, end, stop, forbidden('check.context.element', { tag }), out.contexts);
    return stop;
  }
  return end + 1;
}

export function scanHtml(s: string): HtmlScan {
  const out: HtmlScan = { contexts: new Map(), urls: [], bodyClose: -1 };
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const stop = lt === -1 ? s.length : lt;
    markAll(s, i, stop, { kind: 'html' }, out.contexts);
    if (lt === -1) break;
    CONDITIONAL_START.lastIndex = lt;
    if (CONDITIONAL_START.test(s)) {
      // Its end, `<![endif]-->`, is read below as a declaration.
      markAll(s, lt, CONDITIONAL_START.lastIndex, forbidden('check.context.conditional'), out.contexts);
      i = CONDITIONAL_START.lastIndex;
      continue;
    }
    if (s.startsWith('<!--', lt)) {
      // `<!-->` and `<!--->` are whole (empty) comments, as in `<!--[if !mso]><!-->`.
      const abrupt = s.startsWith('<!-->', lt) ? 5 : s.startsWith('<!--->', lt) ? 6 : 0;
      const close = abrupt ? lt + abrupt - 3 : s.indexOf('-->', lt + 4);
      const end = close === -1 ? s.length : close + 3;
      markAll(s, lt, end, { kind: 'html' }, out.contexts);
      i = end;
      continue;
    }
    TAG_NAME.lastIndex = lt;
    const m = TAG_NAME.exec(s);
    if (!m) {
      if (s[lt + 1] === '!' || s[lt + 1] === '?') {
        const gt = s.indexOf('>', lt);
        const end = gt === -1 ? s.length : gt + 1;
        markAll(s, lt, end, forbidden('check.context.declaration'), out.contexts);
        i = end;
      } else i = lt + 1;
      continue;
    }
    if (m[1]) {
      const gt = s.indexOf('>', lt);
      const end = gt === -1 ? s.length : gt + 1;
      markAll(s, lt, end, forbidden('check.context.end_tag'), out.contexts);
      if (m[2]!.toLowerCase() === 'body') out.bodyClose = lt;
      i = end;
      continue;
    }
    i = scanTag(s, lt, m[2]!, out);
  }
  return out;
}
