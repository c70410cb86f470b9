/**
 * The preview's dark mode: a mail reader in dark mode answers `prefers-color-scheme: dark`, and the
 * content's dark styles (written in `@media (prefers-color-scheme: dark)` rules, as MJML's
 * mj-style and hand-written emails do) apply. The preview's frame runs no script, so the choice
 * cannot be emulated in the browser: the previewed HTML is rewritten instead, its dark rules made to
 * always apply and its light-only rules never, and its root element marked
 * `data-color-scheme="dark"` for templates that style that attribute.
 */

export const PREVIEW_SCHEMES = ['light', 'dark'] as const;
export type PreviewScheme = (typeof PREVIEW_SCHEMES)[number];
export const PREVIEW_VIEWS = ['desktop', 'mobile'] as const;
export type PreviewView = (typeof PREVIEW_VIEWS)[number];

/** A media feature that always holds and one that never does in a frame (never 0 px wide). */
const ALWAYS = '(min-width: 0px)';
const NEVER = '(max-width: 0px)';
const FEATURE = /\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)/gi;

/** The HTML as a dark-mode reader shows it (media queries inside <style> elements and media attributes). */
export function darkPreview(html: string): string {
  const rewrite = (css: string) => css.replace(FEATURE, (_m, scheme: string) => (scheme.toLowerCase() === 'dark' ? ALWAYS : NEVER));
  const styled = html
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi, (_m, open: string, css: string, close: string) => `${rewrite(open)}${rewrite(css)}${close}`)
    .replace(/(<(?:link|source|meta)\b[^>]*\bmedia=")([^"]*)(")/gi, (_m, before: string, media: string, after: string) => `${before}${rewrite(media)}${after}`);
  return /<html\b/i.test(styled) ? styled.replace(/<html\b/i, '<html data-color-scheme="dark"') : `<div data-color-scheme="dark">${styled}</div>`;
}

/** The value of a query parameter among the allowed ones, else the first (the default). */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : allowed[0]!;
}
