import Router from '@koa/router';
import type { Context } from 'koa';
import { preferencesOf, savePreferences } from '../../db/repos/preferences.js';
import type { RecipientClaims } from '../../shared/tokens.js';
import { readForm } from './body.js';
import { admitSubmit, claimsOf, formTokenFor, offeredServices, renderPage, useRecipientLanguage, type PublicDeps } from './public-deps.js';

/**
 * The preference centre `/p/<token>`: reached only through a signed per-recipient link (the
 * `links.preferences` of a message, or the unsubscribe page), never by an id or an address. A
 * recipient changes their name, email format, subscriptions to the offered services, and can stop
 * all email. Subscribing here is active at once: the link proves the mailbox is theirs.
 */

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

async function show(ctx: Context, deps: PublicDeps, claims: RecipientClaims, saved: boolean): Promise<void> {
  const services = await offeredServices(deps.db, deps.config);
  const prefs = await preferencesOf(
    deps.db,
    claims.recipientId,
    services.map((s) => s.id),
  );
  if (!prefs) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  renderPage(ctx, deps, 'preferences', {
    action: ctx.path,
    token: formTokenFor(ctx, deps),
    saved,
    profile: { email: prefs.email, firstName: prefs.firstName ?? '', lastName: prefs.lastName ?? '', emailFormat: prefs.emailFormat, noEmail: prefs.noEmail },
    services: services.map((s) => ({ id: s.id, label: s.label, checked: prefs.subscribed.has(s.id) })),
  });
}

async function save(ctx: Context, deps: PublicDeps, claims: RecipientClaims): Promise<void> {
  await readForm(ctx, deps.config.web.formMaxKb * 1024);
  if ((await admitSubmit(ctx, deps)) === 'refused') return;
  const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
  const wanted = new Set(list(body.services).map(Number));
  const offered = await offeredServices(deps.db, deps.config);
  const change = {
    firstName: text(body.firstName, 255) || null,
    lastName: text(body.lastName, 255) || null,
    emailFormat: body.emailFormat === 'text' ? ('text' as const) : ('html' as const),
    noEmail: body.noEmail === 'on',
    services: new Map(offered.map((s) => [s.id, wanted.has(s.id)])),
  };
  const counts = await savePreferences(deps.db, claims.recipientId, change, 'preferences', deps.clock());
  if (!counts) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  deps.log.info('PUBLIC_PREFERENCES_SAVED', { recipientId: claims.recipientId, ...counts, noEmail: change.noEmail });
  await show(ctx, deps, claims, true);
}

export function preferencesRoutes(deps: PublicDeps): Router {
  const router = new Router();
  const withClaims = (run: (ctx: Context, claims: RecipientClaims) => Promise<void>) => async (ctx: Context) => {
    const claims = claimsOf(deps, ctx.params.token, 'preferences');
    if (!claims) return renderPage(ctx, deps, 'link-invalid', {}, 404);
    await useRecipientLanguage(ctx, deps, claims.recipientId);
    return run(ctx, claims);
  };
  router.get(
    '/p/:token',
    withClaims((ctx, claims) => show(ctx, deps, claims, false)),
  );
  router.post(
    '/p/:token',
    withClaims((ctx, claims) => save(ctx, deps, claims)),
  );
  return router;
}
