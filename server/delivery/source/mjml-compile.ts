import { keyedIssue } from '../issue-texts/index.js';
import mjml from 'mjml';
import type { Issue } from '../template/plan.js';
import { describeOrigin, type Expanded } from './blocks.js';
import { lineOfTag, restoreTags, shieldTags } from './eta-shield.js';

/**
 * MJML to HTML (the `mjml` package), once per content: the Eta tags are shielded from the MJML
 * parser and put back in the HTML it returns, so personalization, escaping and link tracking then
 * treat the result like any HTML. MJML's own validation errors become control-rule errors with the
 * line of the source (or of the block) they are on. `<mj-include>` is refused: it would read files
 * of the server; shared content is a Herald block. MJML's default web fonts (a Google Fonts link)
 * are left out: Herald works offline, and a font fetched from a third party tells it who reads.
 */

interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}
type Mjml2Html = (source: string, options: Record<string, unknown>) => Promise<{ html: string; errors: MjmlError[] }>;
const mjml2html = mjml as unknown as Mjml2Html;

export interface CompiledMjml {
  /** The HTML, or '' when the source could not be compiled. */
  html: string;
  issues: Issue[];
}

/**
 * MJML indents its output for reading; each message would carry (and sign, and encode) that
 * indentation. Whitespace at the start of a line collapses in HTML, so it goes, with empty lines,
 * unless the HTML has preformatted text. The Eta tags are still shielded here, so code is untouched.
 */
export function compact(html: string): string {
  if (/<(pre|textarea)\b/i.test(html)) return html;
  return html.replace(/\n[ \t]*(?:\n[ \t]*)*/g, '\n');
}

const issue = (message: string): Issue => ({ rule: 'mjml.invalid', level: 'error', message });

export async function compileMjml(expanded: Expanded): Promise<CompiledMjml> {
  const where = (line: number) => describeOrigin(expanded.origin(line));
  const include = expanded.source.search(/<mj-include\b/i);
  if (include !== -1)
    return {
      html: '',
      issues: [keyedIssue('mjml.invalid', 'error', 'check.mjml.include', undefined, where(expanded.source.slice(0, include).split('\n').length))],
    };
  const shielded = shieldTags(expanded.source);
  let result: Awaited<ReturnType<Mjml2Html>>;
  try {
    result = await mjml2html(shielded.text, { validationLevel: 'soft', ignoreIncludes: true, fonts: {}, keepComments: true, minify: false, beautify: false });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'the MJML could not be read';
    return { html: '', issues: [issue(`line 1: ${message}`)] };
  }
  const issues = result.errors.map((e) => issue(`${where(shielded.sourceLine(e.line))}: ${e.message}`));
  const restored = restoreTags(compact(result.html), shielded.tags);
  for (const i of restored.missing) {
    const tag = shielded.tags[i]!;
    const shown = tag.length > 60 ? `${tag.slice(0, 57)}…` : tag;
    issues.push(keyedIssue('mjml.invalid', 'error', 'check.mjml.dropped', { tag: shown }, where(lineOfTag(shielded, i))));
  }
  return { html: restored.text, issues };
}
