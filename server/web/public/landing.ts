import Router from '@koa/router';
import type { Context } from 'koa';
import { countLandingPage, findLandingPageBySlug } from '../../db/repos/landing-pages.js';
import { fillForms, SLUG, type FormSlot } from '../../delivery/source/landing-page.js';
import { HONEYPOT_FIELD, TOKEN_FIELD } from './form-guard.js';
import { formTokenFor, offeredServices, renderPage, type PublicDeps } from './public-deps.js';

/**
 * Published landing pages at /l/<slug>: the HTML compiled at publication, with Herald's
 * subscription form put where the page embeds it (its guard token made for this visitor), and a
 * visit counted per view. The page's own markup is the marketer's: its CSP allows inline styles
 * (MJML needs them) but no script at all, and forms only to Herald itself.
 */

const LANDING_CSP = [
  "default-src 'none'",
  'img-src https: http: data:',
  "style-src 'self' 'unsafe-inline' https:",
  'font-src https: data:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

async function landing(ctx: Context, deps: PublicDeps): Promise<void> {
  const slug = ctx.params.slug ?? '';
  const page = SLUG.test(slug) ? await findLandingPageBySlug(deps.db, slug) : undefined;
  if (!page?.compiledHtml) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  const offered = await offeredServices(deps.db, deps.config);
  let token: string | undefined;
  const form = (slot: FormSlot) => {
    token ??= formTokenFor(ctx, deps);
    const services = slot.services.length ? offered.filter((s) => slot.services.includes(s.name)) : offered;
    const query = [...(slot.services.length ? [`services=${encodeURIComponent(slot.services.join(','))}`] : []), `landing=${page.slug}`];
    return deps.views.render('/forms/landing-subscribe', {
      t: deps.t,
      honeypot: HONEYPOT_FIELD,
      tokenField: TOKEN_FIELD,
      token,
      action: `/subscribe?${query.join('&')}`,
      services,
    });
  };
  const html = fillForms(page.compiledHtml, form);
  if (ctx.method === 'GET') await countLandingPage(deps.db, page.id, 'visits');
  ctx.set('Content-Security-Policy', LANDING_CSP);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.type = 'html';
  ctx.body = html;
}

export function landingRoutes(deps: PublicDeps): Router {
  const router = new Router();
  router.get('/l/:slug', (ctx) => landing(ctx, deps));
  return router;
}
