import type { Issue } from '../template/plan.js';
import { keyedIssue } from '../issue-texts/index.js';

/**
 * Content blocks included by reference: a delivery, a template or a landing page holds
 * `<herald-block name="footer"></herald-block>` (or `<herald-block name="footer" />`) and gets the
 * block's current source in its place when its content is compiled, so editing a block changes
 * every content that includes it. Blocks do not include other blocks. An MJML content may include
 * MJML blocks (sections) and HTML blocks (wrapped in a section of their own); an HTML content
 * includes HTML blocks only.
 */

export type ContentFormat = 'html' | 'mjml';
export const CONTENT_FORMATS: readonly ContentFormat[] = ['html', 'mjml'];

export interface ContentBlock {
  name: string;
  label: string;
  format: ContentFormat;
  source: string;
}

/** Where a line of an expanded source came from: the content itself, or a line of a block. */
export interface LineOrigin {
  block?: string;
  line: number;
}

export interface Expanded {
  source: string;
  issues: Issue[];
  /** The origin of line n (1-based) of the expanded source. */
  origin(line: number): LineOrigin;
}

export const BLOCK_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const REFERENCE = /<herald-block\s+name\s*=\s*["']([^"']*)["']\s*(?:\/>|>\s*<\/herald-block\s*>)/gi;
const ANY_REFERENCE = /<herald-block\b/i;

/** The block names a source refers to, in order, without repeats. */
export function blockNames(source: string): string[] {
  return [...new Set([...source.matchAll(REFERENCE)].map((m) => m[1]!.trim().toLowerCase()))];
}

/** How a block reference reads in a content (what the editor and the field picker insert). */
export const blockReference = (name: string): string => `<herald-block name="${name}"></herald-block>`;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

function wrapped(block: ContentBlock, into: ContentFormat): string | undefined {
  if (block.format === into) return block.source;
  if (block.format === 'html' && into === 'mjml') return `<mj-section><mj-column><mj-raw>${block.source}</mj-raw></mj-column></mj-section>`;
  return undefined;
}

export function expandBlocks(source: string, format: ContentFormat, blocks: ReadonlyMap<string, ContentBlock>): Expanded {
  const issues: Issue[] = [];
  const origins: LineOrigin[] = [];
  let out = '';
  let last = 0;
  let sourceLine = 1;
  const add = (text: string, from: (k: number) => LineOrigin) => {
    const lines = text.split('\n');
    // the first piece continues the current output line, which already has its origin
    if (origins.length === 0) origins.push(from(0));
    for (let k = 1; k < lines.length; k++) origins.push(from(k));
    out += text;
  };
  for (const m of source.matchAll(REFERENCE)) {
    const before = source.slice(last, m.index);
    const start = sourceLine;
    add(before, (k) => ({ line: start + k }));
    sourceLine += before.split('\n').length - 1;
    const name = m[1]!.trim().toLowerCase();
    const block = blocks.get(name);
    const at = lineAt(source, m.index);
    const body = block && wrapped(block, format);
    if (!block) issues.push(keyedIssue('blocks.missing', 'error', 'check.blocks.missing', { name: name.slice(0, 64) }, `line ${at}`));
    else if (body === undefined) issues.push(keyedIssue('blocks.format', 'error', 'check.blocks.format', { name }, `line ${at}`));
    else if (ANY_REFERENCE.test(body)) issues.push(keyedIssue('blocks.nested', 'error', 'check.blocks.nested', { name }));
    else add(body, (k) => ({ block: name, line: k + 1 }));
    sourceLine += m[0].split('\n').length - 1;
    last = m.index + m[0].length;
  }
  const rest = source.slice(last);
  const start = sourceLine;
  add(rest, (k) => ({ line: start + k }));
  if (ANY_REFERENCE.test(out) && issues.length === 0)
    issues.push(keyedIssue('blocks.reference', 'error', 'check.blocks.reference', undefined, `line ${lineAt(out, out.search(ANY_REFERENCE))}`));
  return { source: out, issues, origin: (line) => origins[Math.min(Math.max(line, 1), origins.length) - 1] ?? { line } };
}

/** "line 12" or "line 3 of block footer", for messages. */
export function describeOrigin(o: LineOrigin): string {
  return o.block ? `line ${o.line} of block "${o.block}"` : `line ${o.line}`;
}
