import type { Issue } from '../template/plan.js';
import { describeOrigin, expandBlocks, type ContentBlock, type ContentFormat } from './blocks.js';
import { renderMarkup } from './render-source.js';
import { keyedIssue } from '../issue-texts/index.js';

/**
 * Landing pages: written like an email (HTML or MJML, with content blocks), compiled once when
 * published, and served as they are at /l/<slug> to every visitor, so they hold no
 * personalization (`<% … %>`). They may embed Herald's subscription form with
 * `<herald-form name="subscribe" services="news,offers"></herald-form>` (in MJML, inside
 * <mj-text> or <mj-raw>); the web module puts the form, with its guard token, in its place.
 */

const FORM = /<herald-form\s+name\s*=\s*["']([^"']*)["'](?:\s+services\s*=\s*["']([^"']*)["'])?\s*(?:\/>|>\s*<\/herald-form\s*>)/gi;
export const LANDING_FORMS = ['subscribe'] as const;
export const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface FormSlot {
  name: (typeof LANDING_FORMS)[number];
  /** Service names the form offers ([] = every service the public form offers). */
  services: string[];
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page's title in its <title> when the source gave none (browsers, tabs and screen readers show it). */
export function withTitle(html: string, title: string): string {
  const tag = `<title>${escapeHtml(title)}</title>`;
  if (/<title>\s*<\/title>/i.test(html)) return html.replace(/<title>\s*<\/title>/i, tag);
  if (/<title[\s>]/i.test(html)) return html;
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${tag}`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${tag}</head><body>${html}</body></html>`;
}

export async function compileLandingPage(
  source: string,
  format: ContentFormat,
  blocks: ReadonlyMap<string, ContentBlock>,
  title = '',
): Promise<{ html: string; issues: Issue[] }> {
  const expanded = expandBlocks(source, format, blocks);
  const issues: Issue[] = [];
  const tag = expanded.source.search(/<%/);
  if (tag !== -1) {
    const where = describeOrigin(expanded.origin(expanded.source.slice(0, tag).split('\n').length));
    issues.push(keyedIssue('landing.personalized', 'error', 'check.landing.personalized', undefined, where));
  }
  for (const m of expanded.source.matchAll(FORM))
    if (!(LANDING_FORMS as readonly string[]).includes(m[1]!))
      issues.push(keyedIssue('landing.form', 'error', 'check.landing.form', { name: m[1]!.slice(0, 40) }));
  if (issues.length) return { html: '', issues };
  const rendered = await renderMarkup(source, format, blocks);
  return { html: rendered.issues.some((i) => i.level === 'error') ? '' : withTitle(rendered.html, title), issues: rendered.issues };
}

/** The published HTML with each embedded form given by `fill` (unknown forms are left out). */
export function fillForms(html: string, fill: (slot: FormSlot) => string): string {
  return html.replace(FORM, (_whole, name: string, services: string | undefined) =>
    (LANDING_FORMS as readonly string[]).includes(name)
      ? fill({
          name: name as FormSlot['name'],
          services: (services ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        })
      : '',
  );
}
