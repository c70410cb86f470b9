import Router from '@koa/router';
import type { Context } from 'koa';
import { unsubscribedFrom, unsubscribeRecipient } from '../../db/repos/preferences.js';
import { findService } from '../../db/repos/services.js';
import { encodeRecipientToken, type RecipientClaims } from '../../shared/tokens.js';
import { isOneClick, readForm } from './body.js';
import { admitSubmit, claimsOf, formTokenFor, renderPage, useRecipientLanguage, type PublicDeps } from './public-deps.js';

/**
 * The List-Unsubscribe URL `/u/<token>` (RFC 8058). A POST whose body is `List-Unsubscribe=One-Click`
 * unsubscribes at once (from the token's service, or from all email when it names service 0) and
 * answers 200 with no redirect and no cookie needed: mailbox providers send it from their servers.
 * The token authorises it. GET only shows a page with the choice (mail scanners fetch links; a GET
 * never unsubscribes); that page's form posts back to the same URL, guarded like every public form,
 * and says "you are unsubscribed" when the address already is. The change is committed before the
 * answer: the MTA checks subscriptions at send time. A link that names its message (every link sent
 * since tokens carry it) counts the opt-out for that message's delivery.
 */

/** Unsubscribes; false when the address already was (nothing changed). */
async function unsubscribe(ctx: Context, deps: PublicDeps, claims: RecipientClaims, serviceId: number, origin: string): Promise<boolean> {
  const request = { recipientId: claims.recipientId, serviceId, origin, message: claims.message, ip: ctx.ip, userAgent: ctx.get('user-agent') };
  const changed = await unsubscribeRecipient(deps.db, request, deps.clock());
  if (changed) deps.log.info('PUBLIC_UNSUBSCRIBED', { recipientId: claims.recipientId, serviceId, origin, deliveryId: claims.message?.deliveryId });
  return changed;
}

const preferencesUrl = (deps: PublicDeps, claims: RecipientClaims) =>
  `/p/${encodeRecipientToken(deps.config.secrets.trackingKey, { recipientId: claims.recipientId, purpose: 'preferences', serviceId: 0, expiresAt: 0 })}`;

async function page(ctx: Context, deps: PublicDeps, claims: RecipientClaims): Promise<void> {
  const already = await unsubscribedFrom(deps.db, claims.recipientId, claims.serviceId);
  if (already === 'all') return renderPage(ctx, deps, 'unsubscribed', { all: true, already: true, preferencesUrl: preferencesUrl(deps, claims) });
  const service = claims.serviceId ? await findService(deps.db, claims.serviceId) : null;
  // Already out of the service: say so, and still offer to leave all email.
  renderPage(ctx, deps, 'unsubscribe', {
    already: already === 'service',
    action: ctx.path,
    token: formTokenFor(ctx, deps),
    service: service ? { label: service.label } : null,
    preferencesUrl: preferencesUrl(deps, claims),
  });
}

async function post(ctx: Context, deps: PublicDeps, claims: RecipientClaims): Promise<void> {
  const raw = await readForm(ctx, deps.config.web.formMaxKb * 1024);
  if (isOneClick(ctx, raw)) {
    await unsubscribe(ctx, deps, claims, claims.serviceId, 'one-click');
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = 'unsubscribed\n';
    return;
  }
  if ((await admitSubmit(ctx, deps)) === 'refused') return;
  const scope = (ctx.request as { body?: Record<string, unknown> }).body?.scope;
  const changed = await unsubscribe(ctx, deps, claims, scope === 'all' ? 0 : claims.serviceId, 'link');
  renderPage(ctx, deps, 'unsubscribed', { all: scope === 'all' || claims.serviceId === 0, already: !changed, preferencesUrl: preferencesUrl(deps, claims) });
}

export function unsubscribeRoutes(deps: PublicDeps): Router {
  const router = new Router();
  router.get('/u/:token', async (ctx) => {
    const claims = claimsOf(deps, ctx.params.token, 'unsubscribe');
    if (!claims) return renderPage(ctx, deps, 'link-invalid', {}, 404);
    await useRecipientLanguage(ctx, deps, claims.recipientId);
    await page(ctx, deps, claims);
  });
  router.post('/u/:token', async (ctx) => {
    const claims = claimsOf(deps, ctx.params.token, 'unsubscribe');
    if (!claims) return renderPage(ctx, deps, 'link-invalid', {}, 404);
    await useRecipientLanguage(ctx, deps, claims.recipientId);
    await post(ctx, deps, claims);
  });
  return router;
}
