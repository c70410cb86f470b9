import { Parser } from 'htmlparser2';

/**
 * What the pre-send checks read off a compiled HTML part (Eta tags still in it): its size, the
 * images without alternative text, how much text a reader sees, whether a preheader opens the
 * body, and the http(s) URLs of links and images (for the link check). Pure.
 */

export interface ContentFacts {
  /** UTF-8 bytes of the HTML part and of the text part, as written (personalization aside). */
  htmlBytes: number;
  textBytes: number;
  /** Tracked links (each becomes a longer tracking URL in every message). */
  trackedLinks: number;
  images: number;
  /** `src` of each image with no or empty alt text (1×1 pixels aside). */
  imagesWithoutAlt: string[];
  /** Characters of text a reader sees in the HTML (hidden elements, head, style and scripts aside). */
  visibleTextChars: number;
  /** Characters of the text part (0 when there is none). */
  textPartChars: number;
  /** A hidden preheader (e.g. MJML's <mj-preview>) opens the body. */
  preheader: boolean;
  /** The example postal address of Herald's default footer block is still there. */
  exampleAddress: boolean;
  /** Distinct http(s) URLs of links and images, personalized query values emptied. */
  urls: Array<{ url: string; kind: 'link' | 'image' }>;
}

const HIDDEN = /display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all|max-height\s*:\s*0/i;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const ETA = /<%[\s\S]*?%>/g;

/** An http(s) URL with its Eta tags emptied, or undefined when a tag sits before the query. */
function checkableUrl(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^https?:\/\//i.test(value)) return undefined;
  const query = value.indexOf('?');
  const firstTag = value.indexOf('<%');
  if (firstTag !== -1 && (query === -1 || firstTag < query)) return undefined;
  return value.replace(ETA, '').replace(/&amp;/g, '&');
}

export function contentFacts(html: string, text: string, trackedLinks: number): ContentFacts {
  const facts: ContentFacts = {
    htmlBytes: Buffer.byteLength(html),
    textBytes: Buffer.byteLength(text),
    trackedLinks,
    images: 0,
    imagesWithoutAlt: [],
    visibleTextChars: 0,
    textPartChars: text.replace(ETA, '').replace(/\s+/g, ' ').trim().length,
    preheader: false,
    exampleAddress: html.includes('1 Example Street'),
    urls: [],
  };
  const seen = new Set<string>();
  const addUrl = (raw: string | undefined, kind: 'link' | 'image') => {
    const url = raw === undefined ? undefined : checkableUrl(raw);
    if (url && !seen.has(url)) {
      seen.add(url);
      facts.urls.push({ url, kind });
    }
  };
  const stack: Array<{ name: string; hidden: boolean }> = [];
  let inBody = false;
  let seenVisible = false;
  let hiddenDepth = 0;
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const hidden = HIDDEN.test(attrs.style ?? '') || 'hidden' in attrs;
        const skip = name === 'head' || name === 'style' || name === 'script' || name === 'title';
        if (name === 'body') inBody = true;
        if (name === 'a') addUrl(attrs.href, 'link');
        if (name === 'img') {
          facts.images++;
          addUrl(attrs.src, 'image');
          const pixel = attrs.width === '1' && attrs.height === '1';
          if (!pixel && !(attrs.alt ?? '').replace(ETA, 'x').trim()) facts.imagesWithoutAlt.push((attrs.src ?? '').slice(0, 120));
        }
        if (VOID.has(name)) return;
        stack.push({ name, hidden: hidden || skip });
        if (hidden) hiddenDepth++;
        if (skip) skipDepth++;
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        const i = stack.map((e) => e.name).lastIndexOf(name);
        if (i === -1) return;
        for (const e of stack.splice(i)) {
          if (e.hidden && (e.name === 'head' || e.name === 'style' || e.name === 'script' || e.name === 'title')) skipDepth--;
          else if (e.hidden) hiddenDepth--;
        }
      },
      ontext(data) {
        const chars = data
          .replace(ETA, 'x')
          .replace(/&nbsp;|&#8199;|&#65279;|&zwnj;|[\s\u00a0\u200c\u2007\ufeff]+/g, ' ')
          .trim().length;
        if (!chars || !inBody || skipDepth > 0) return;
        if (hiddenDepth > 0) {
          if (!seenVisible) facts.preheader = true;
          return;
        }
        seenVisible = true;
        facts.visibleTextChars += chars;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return facts;
}
