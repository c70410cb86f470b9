import type { MessageContent } from '../message-content.js';
import type { Issue } from '../template/plan.js';
import { blockNames, expandBlocks, type ContentBlock, type ContentFormat } from './blocks.js';
import { compileMjml } from './mjml-compile.js';
import { textFromHtml } from './text-part.js';
import { keyedIssue } from '../issue-texts/index.js';

/**
 * A content as written (HTML or MJML, with block references) to the HTML and text that Herald
 * plans, personalizes and sends: blocks expanded, MJML compiled, the text part generated from the
 * HTML when it was left empty. Runs once per content (the analysis freezes the result on the
 * delivery; previews and landing pages run it on demand), never per message.
 */

export interface RenderedSource {
  /** The content in HTML (format 'html'), ready for contentPlan(). */
  content: MessageContent;
  issues: Issue[];
}

/** Compiles one HTML or MJML source with its blocks: the HTML, or '' with the issues that stopped it. */
export async function renderMarkup(
  source: string,
  format: ContentFormat,
  blocks: ReadonlyMap<string, ContentBlock>,
): Promise<{ html: string; issues: Issue[] }> {
  const expanded = expandBlocks(source, format, blocks);
  if (format === 'html') return { html: expanded.source, issues: expanded.issues };
  if (expanded.issues.some((i) => i.level === 'error')) return { html: '', issues: expanded.issues };
  const compiled = await compileMjml(expanded);
  return { html: compiled.html, issues: [...expanded.issues, ...compiled.issues] };
}

export async function renderSource(content: MessageContent, blocks: ReadonlyMap<string, ContentBlock>): Promise<RenderedSource> {
  const format = content.format ?? 'html';
  const written = content.html !== null && content.html.trim() !== '';
  const { html, issues } = written ? await renderMarkup(content.html!, format, blocks) : { html: '', issues: [] };
  const failed = issues.some((i) => i.level === 'error');
  let text = content.text;
  if (written && !failed && (text === null || text.trim() === '')) {
    text = textFromHtml(html);
    issues.push(keyedIssue('text.generated', 'info', 'check.text.generated'));
  }
  return { content: { ...content, format: 'html', html: written && !failed ? html : written ? '' : content.html, text }, issues };
}

/** The block names a content refers to (to read them before rendering it). */
export const contentBlockNames = (content: Pick<MessageContent, 'html'>): string[] => blockNames(content.html ?? '');
