import { Eta } from 'eta';

/**
 * Eta's parser, used to split a template into static text and tags. The compiler never lets Eta
 * choose escaping on its own: every tag gets an output context (HTML text, attribute, URL part,
 * header, plain text) from the text around it, see html-scan.ts and compile.ts.
 *
 * The parts are laid out as a "skeleton": the static text with each tag replaced by a sentinel
 * (`\uE000<index>\uE001`), so the HTML scanner and the link detector work on one string and still
 * know where every tag sits.
 */

/** `i` = `<%= %>` (escaped output), `r` = `<%~ %>` (raw output), `e` = `<% %>` (code). */
export interface Tag {
  kind: 'i' | 'r' | 'e';
  code: string;
}

export interface ParsedTemplate {
  skeleton: string;
  tags: Tag[];
}

const SENTINEL_OPEN = '\uE000';
const SENTINEL_CLOSE = '\uE001';
/** Characters Herald reserves for its own markers: never allowed in templates, stripped from data. */
const RESERVED_CHARS = /[\uE000-\uE00F]/;

/**
 * Whitespace: a line break right after a code tag (`<% … %>`) is dropped, so conditions and loops on
 * their own lines leave no blank lines; output tags keep the text around them (text parts depend on
 * it). `-%>` / `<%-` trim one line break explicitly, `_%>` / `<%_` all whitespace (Eta's modifiers).
 */
const eta = new Eta({ autoEscape: true, autoFilter: false, autoTrim: false, useWith: false, varName: 'it' });

export class TemplateSyntaxError extends Error {}

type EtaNode = string | { t: string; val: string };

/** Eta keeps static text as an escaped JS string body; this gives back the text. */
function unescapeStatic(escaped: string): string {
  return escaped.replace(/\\([\\'n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

export const sentinel = (index: number): string => `${SENTINEL_OPEN}${index}${SENTINEL_CLOSE}`;
export const SENTINEL_RE = /\uE000(\d+)\uE001/g;
export const HAS_SENTINEL = /\uE000\d+\uE001/;

export function parseTemplate(source: string): ParsedTemplate {
  if (RESERVED_CHARS.test(source)) throw new TemplateSyntaxError('the template holds reserved characters (U+E000–U+E00F)');
  let ast: EtaNode[];
  try {
    ast = eta.parse(source) as EtaNode[];
  } catch (err) {
    throw new TemplateSyntaxError((err as Error).message.split('\n')[0]!.replace(/^EtaParser Error: /, ''));
  }
  const tags: Tag[] = [];
  let skeleton = '';
  let afterCode = false;
  for (const node of ast) {
    if (typeof node === 'string') {
      const text = unescapeStatic(node);
      skeleton += afterCode ? text.replace(/^\n/, '') : text;
      afterCode = false;
      continue;
    }
    afterCode = node.t === 'e';
    if (node.t !== 'i' && node.t !== 'r' && node.t !== 'e') throw new TemplateSyntaxError(`unsupported tag type "${node.t}"`);
    skeleton += sentinel(tags.length);
    tags.push({ kind: node.t, code: node.val });
  }
  return { skeleton, tags };
}

/** Splits a skeleton back into static text and tag indexes, in order. */
export function splitSkeleton(skeleton: string): Array<string | number> {
  const out: Array<string | number> = [];
  let last = 0;
  for (const m of skeleton.matchAll(SENTINEL_RE)) {
    if (m.index > last) out.push(skeleton.slice(last, m.index));
    out.push(Number(m[1]));
    last = m.index + m[0].length;
  }
  if (last < skeleton.length) out.push(skeleton.slice(last));
  return out;
}

/** Eta's code generator on our own node list: static text, or output/code with a ready expression. */
export function etaBody(nodes: ReadonlyArray<string | { kind: 'out' | 'code'; code: string }>): string {
  const ast: EtaNode[] = nodes.map((n) =>
    typeof n === 'string' ? n.replace(/\\|'/g, '\\$&').replace(/\r\n|\n|\r/g, '\\n') : { t: n.kind === 'out' ? 'r' : 'e', val: n.code },
  );
  return eta.compileBody(ast as never);
}
