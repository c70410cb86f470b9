import Router from '@koa/router';
import type { Context } from 'koa';
import { startDoubleOptIn } from '../../events/double-opt-in.js';
import { addressProblem } from '../../shared/email-address.js';
import { currentLanguage } from '../../shared/i18n/language-scope.js';
import { confirmSignup, signupState } from '../../db/repos/signups.js';
import { countLandingPage, findLandingPageBySlug } from '../../db/repos/landing-pages.js';
import { SLUG } from '../../delivery/source/landing-page.js';
import { readForm } from './body.js';
import { isBlockedAddress } from './form-guard.js';
import { admitSubmit, claimsOf, formTokenFor, offeredServices, renderPage, type PublicDeps } from './public-deps.js';

/**
 * Subscription with double opt-in. GET /subscribe shows the form (`?services=a,b` narrows and ticks
 * services); POST stores a signup and queues the confirmation mail, and answers with the same page
 * whatever the address (known, unknown, or out of confirmations for the day). GET /confirm?t=…
 * shows a button (a GET never subscribes: mail scanners open links); its POST activates the
 * subscriptions.
 */

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

interface SubscribeForm {
  email: string;
  firstName: string;
  lastName: string;
  serviceIds: number[];
}

/** The landing page a subscription form was embedded in (`?landing=<slug>`), to count its conversions. */
const landingSlug = (ctx: Context): string | undefined => {
  const slug = text(ctx.query.landing, 64);
  return SLUG.test(slug) ? slug : undefined;
};

async function showForm(ctx: Context, deps: PublicDeps, form: Partial<SubscribeForm>, errors: Record<string, string> = {}, status = 200): Promise<void> {
  const wanted = list(ctx.query.services).flatMap((s) => s.split(','));
  const offered = await offeredServices(deps.db, deps.config);
  const services = wanted.length ? offered.filter((s) => wanted.includes(s.name)) : offered;
  const checked = new Set(form.serviceIds ?? (wanted.length ? services.map((s) => s.id) : []));
  const landing = landingSlug(ctx);
  const query = [...(wanted.length ? [`services=${encodeURIComponent(wanted.join(','))}`] : []), ...(landing ? [`landing=${landing}`] : [])];
  const action = `/subscribe${query.length ? `?${query.join('&')}` : ''}`;
  renderPage(
    ctx,
    deps,
    'subscribe',
    { action, token: formTokenFor(ctx, deps), form, errors, services: services.map((s) => ({ ...s, checked: checked.has(s.id) })) },
    status,
  );
}

function subscribeForm(body: Record<string, unknown>): SubscribeForm {
  return {
    email: text(body.email, 320).toLowerCase(),
    firstName: text(body.firstName, 255),
    lastName: text(body.lastName, 255),
    serviceIds: list(body.services).map(Number).filter(Number.isSafeInteger),
  };
}

function formErrors(deps: PublicDeps, form: SubscribeForm, offered: ReadonlySet<number>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (addressProblem(form.email)) errors.email = 'forms.error.email';
  else if (isBlockedAddress(form.email, deps.config.forms.blockedLocalParts)) errors.email = 'forms.error.role_address';
  if (!form.serviceIds.some((id) => offered.has(id))) errors.services = 'forms.error.services';
  return errors;
}

async function subscribe(ctx: Context, deps: PublicDeps): Promise<void> {
  await readForm(ctx, deps.config.web.formMaxKb * 1024);
  const admission = await admitSubmit(ctx, deps);
  if (admission === 'refused') return;
  const form = subscribeForm((ctx.request as { body?: Record<string, unknown> }).body ?? {});
  const offered = await offeredServices(deps.db, deps.config);
  const errors = formErrors(deps, form, new Set(offered.map((s) => s.id)));
  if (Object.keys(errors).length > 0) return showForm(ctx, deps, form, errors, 400);
  if (admission === 'bot') {
    deps.log.info('PUBLIC_SIGNUP_DROPPED', { reason: 'automated' });
    return renderPage(ctx, deps, 'subscribe-sent');
  }
  const chosen = offered.filter((s) => form.serviceIds.includes(s.id));
  const outcome = await startDoubleOptIn(
    { config: deps.config, db: deps.db, events: deps.events },
    {
      email: form.email,
      firstName: form.firstName || null,
      lastName: form.lastName || null,
      serviceIds: chosen.map((s) => s.id),
      serviceLabels: chosen.map((s) => s.label),
      language: currentLanguage(),
    },
    deps.clock(),
  );
  if (outcome.queued) deps.log.info('PUBLIC_SIGNUP_ACCEPTED', { signupId: outcome.signupId, services: chosen.map((s) => s.name), language: outcome.language });
  else deps.log.info('PUBLIC_SIGNUP_DROPPED', { reason: outcome.reason });
  const landing = landingSlug(ctx);
  const page = landing ? await findLandingPageBySlug(deps.db, landing) : undefined;
  if (page?.compiledHtml) await countLandingPage(deps.db, page.id, 'conversions');
  renderPage(ctx, deps, 'subscribe-sent');
}

async function confirm(ctx: Context, deps: PublicDeps): Promise<void> {
  await readForm(ctx, deps.config.web.formMaxKb * 1024);
  const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
  const token = ctx.method === 'GET' ? text(ctx.query.t, 200) : text(body.t, 200);
  const claims = claimsOf(deps, token, 'confirm');
  if (!claims) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  if (ctx.method === 'GET') {
    // A link opened again after it was used says so instead of asking to confirm once more.
    const state = await signupState(deps.db, claims.recipientId, deps.clock());
    if (state === 'invalid') return renderPage(ctx, deps, 'link-invalid', {}, 404);
    if (state === 'already') return renderPage(ctx, deps, 'confirmed', { already: true });
    return renderPage(ctx, deps, 'confirm', { confirmToken: token, token: formTokenFor(ctx, deps) });
  }
  if ((await admitSubmit(ctx, deps)) === 'refused') return;
  const result = await confirmSignup(deps.db, claims.recipientId, deps.clock());
  if (result.outcome === 'invalid') return renderPage(ctx, deps, 'link-invalid', {}, 404);
  if (result.outcome === 'confirmed')
    deps.log.info('PUBLIC_SIGNUP_CONFIRMED', { signupId: claims.recipientId, recipientId: result.recipientId, services: result.serviceIds });
  renderPage(ctx, deps, 'confirmed', { already: result.outcome === 'already' });
}

export function subscribeRoutes(deps: PublicDeps): Router {
  const router = new Router();
  router.get('/subscribe', (ctx) => showForm(ctx, deps, {}));
  router.post('/subscribe', (ctx) => subscribe(ctx, deps));
  router.get('/confirm', (ctx) => confirm(ctx, deps));
  router.post('/confirm', (ctx) => confirm(ctx, deps));
  return router;
}
