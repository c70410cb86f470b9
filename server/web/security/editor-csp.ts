import type { Context } from 'koa';

/**
 * The Content-Security-Policy of the visual editor's pages, the console's strict policy with two
 * additions the editor cannot work without, on those pages only:
 * - style-src 'unsafe-inline': GrapesJS positions its panels, toolbars and drop markers with inline
 *   styles, and shows the content in its canvas (an about:blank frame that inherits this policy)
 *   with the style attributes and <style> elements MJML produces. Scripts stay 'self' only, so an
 *   injected style cannot run code.
 * - img-src https:: the canvas shows the pictures the content links to (as the message will).
 */
export const EDITOR_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Gives this response the editor's policy instead of the console's. */
export function allowVisualEditor(ctx: Context): void {
  ctx.set('Content-Security-Policy', EDITOR_CSP);
}
