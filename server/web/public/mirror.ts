import Router from '@koa/router';
import type { Context } from 'koa';
import { mirrorTarget, recordMirrorView } from '../../db/repos/mirror-views.js';
import { previewBroadLog } from '../../delivery/preview.js';
import { decodeTrackingToken } from '../../shared/tokens.js';
import { trackingKeys } from '../../shared/config/signing-keys.js';
import { renderPage, type PublicDeps } from './public-deps.js';

/**
 * The mirror page `/m/<token>`: the message exactly as that recipient got it (rebuilt by the same
 * code as sending, with its event's context for a transactional message), while the delivery's web
 * validity lasts. The token is the message's signed tracking token for the delivery's mirror URL.
 * Each view is logged as a tracking log row of type mirror. The message's HTML is served in a
 * sandbox (its own CSP: no script, no form, an opaque origin) since it is not one of our pages.
 */

const MIRROR_CSP = [
  "default-src 'none'",
  'img-src https: http: data:',
  "style-src 'unsafe-inline' https: http:",
  'font-src https: http: data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
].join('; ');

async function mirror(ctx: Context, deps: PublicDeps): Promise<void> {
  const ids = decodeTrackingToken(trackingKeys(deps.config.secrets), ctx.params.token ?? '');
  const target = ids ? await mirrorTarget(deps.db, ids.deliveryId, ids.urlId) : undefined;
  if (!ids || !target) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  const now = deps.clock();
  if (target.webValidityEnd && target.webValidityEnd <= now) return renderPage(ctx, deps, 'mirror-expired', {}, 410);
  const preview = await previewBroadLog(deps.delivery, ids.deliveryId, ids.broadLogId, now);
  if (!preview || preview.error) return renderPage(ctx, deps, 'link-invalid', {}, 404);
  await recordMirrorView(deps.db, { ...ids, recipientId: preview.recipient.id, ip: ctx.ip, userAgent: ctx.get('user-agent') }, now);
  if (!preview.html) return renderPage(ctx, deps, 'mirror-text', { subject: preview.subject ?? '', text: preview.text ?? '' });
  ctx.set('Content-Security-Policy', MIRROR_CSP);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = preview.html;
}

export function mirrorRoutes(deps: PublicDeps): Router {
  const router = new Router();
  router.get('/m/:token', (ctx) => mirror(ctx, deps));
  return router;
}
