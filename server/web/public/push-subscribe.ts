import Router from '@koa/router';
import type { Context } from 'koa';
import { saveSubscription } from '../../db/repos/push.js';
import type { RecipientClaims } from '../../shared/tokens.js';
import { vapidKeys } from '../../shared/vapid.js';
import { readForm } from './body.js';
import { admitSubmit, claimsOf, formTokenFor, renderPage, type PublicDeps } from './public-deps.js';
import { PUSH_PAGE_SCRIPT, PUSH_SERVICE_WORKER } from './push-scripts.js';

/**
 * Web push subscription on the public side: `/push/<token>` (the recipient's preferences token,
 * so only a signed link reaches it) shows a button whose script (`/push/subscribe.js`, same origin:
 * the strict CSP holds) registers the service worker `/push/sw.js` (scope `/push/`), subscribes
 * with the site's VAPID public key and posts the subscription here with the page's form token.
 * The subscription is checked (an https endpoint, a P-256 point, a 16-octet auth secret) and
 * stored for the recipient.
 */

const b64url = /^[A-Za-z0-9_-]+$/;
const octets = (v: unknown) => (typeof v === 'string' && b64url.test(v) ? Buffer.from(v, 'base64url') : undefined);

/** The subscription a form carries, or why it is refused. */
export function readSubscription(body: Record<string, unknown>): { endpoint: string; p256dh: string; auth: string } | { error: string } {
  const endpoint = typeof body.endpoint === 'string' ? body.endpoint.trim() : '';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { error: 'the endpoint is not a URL' };
  }
  if (url.protocol !== 'https:' || endpoint.length > 1000) return { error: 'the endpoint must be an https URL of at most 1000 characters' };
  const key = octets(body.p256dh);
  if (!key || key.length !== 65 || key[0] !== 4) return { error: 'p256dh must be an uncompressed P-256 public key (65 octets, base64url)' };
  const auth = octets(body.auth);
  if (!auth || auth.length !== 16) return { error: 'auth must be a 16-octet secret (base64url)' };
  return { endpoint, p256dh: String(body.p256dh), auth: String(body.auth) };
}

function script(ctx: Context, source: string, extra: Record<string, string> = {}): void {
  ctx.type = 'application/javascript; charset=utf-8';
  ctx.set('Cache-Control', 'no-cache');
  for (const [k, v] of Object.entries(extra)) ctx.set(k, v);
  ctx.body = source;
}

async function subscribe(ctx: Context, deps: PublicDeps, claims: RecipientClaims): Promise<void> {
  await readForm(ctx, deps.config.web.formMaxKb * 1024);
  if ((await admitSubmit(ctx, deps)) === 'refused') return;
  const read = readSubscription((ctx.request as { body?: Record<string, unknown> }).body ?? {});
  ctx.set('Cache-Control', 'no-store');
  if ('error' in read) {
    ctx.status = 400;
    ctx.body = { ok: false, error: read.error };
    return;
  }
  const saved = await saveSubscription(deps.db, claims.recipientId, { endpoint: read.endpoint, p256dh: read.p256dh, auth: read.auth }, deps.clock());
  if (!saved) {
    ctx.status = 404;
    ctx.body = { ok: false, error: 'this link is not valid' };
    return;
  }
  deps.log.info('PUSH_SUBSCRIBED', { recipientId: claims.recipientId, subscriptionId: saved.id, created: saved.created });
  ctx.status = saved.created ? 201 : 200;
  ctx.body = { ok: true };
}

export function pushRoutes(deps: PublicDeps): Router {
  const router = new Router();
  const withClaims = (run: (ctx: Context, claims: RecipientClaims) => Promise<void> | void) => async (ctx: Context) => {
    const claims = claimsOf(deps, ctx.params.token, 'preferences');
    return claims ? run(ctx, claims) : renderPage(ctx, deps, 'link-invalid', {}, 404);
  };
  router.get('/push/sw.js', (ctx) => script(ctx, PUSH_SERVICE_WORKER, { 'Service-Worker-Allowed': '/push/' }));
  router.get('/push/subscribe.js', (ctx) => script(ctx, PUSH_PAGE_SCRIPT));
  router.get(
    '/push/:token',
    withClaims((ctx) =>
      renderPage(ctx, deps, 'push', { action: ctx.path, token: formTokenFor(ctx, deps), vapidKey: vapidKeys(deps.config.secrets.vapidPrivateKey).publicKey }),
    ),
  );
  router.post(
    '/push/:token',
    withClaims((ctx, claims) => subscribe(ctx, deps, claims)),
  );
  return router;
}
