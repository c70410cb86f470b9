import Router from '@koa/router';
import { findDelivery } from '../../db/repos/deliveries.js';
import { failuresByReason, pendingByDue } from '../../db/repos/broad-log-counts.js';
import type { Delivery } from '../../db/models/index.js';
import { previewDelivery, type Preview } from '../../delivery/preview.js';
import { isHeraldError } from '../../shared/errors.js';
import { availableActions } from '../console/delivery-buttons.js';
import type { DeliveryTools } from '../console/delivery-tools.js';
import type { ConsoleDeps } from '../console/deps.js';
import { id } from '../console/forms.js';
import { progressOf, type Progress } from '../console/progress.js';
import { darkPreview, oneOf, PREVIEW_SCHEMES, PREVIEW_VIEWS } from '../console/preview-scheme.js';
import { requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/** The policy of a previewed message's HTML: its own sandbox (no script, no form, no plugin), framed by the console only. */
export const PREVIEW_CSP =
  "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; font-src https: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/** The preview's HTML without the open pixel, so looking at a preview never counts an open. */
export function withoutOpenPixel(html: string, trackingUrl: string): string {
  const base = trackingUrl.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return html.replace(new RegExp(`<img\\b[^>]*\\bsrc="${base}/o/[^"]*"[^>]*>`, 'g'), '');
}

/**
 * Looking at a delivery: the preview as any recipient (subject, headers, text, and the HTML in a
 * sandboxed frame with its own CSP), and the dashboard with live progress — server-sent events
 * while it is sending, a page that refreshes itself without JavaScript. Any operator may look.
 */
export function deliveryLiveRoutes(deps: ConsoleDeps, tools: DeliveryTools): Router<ConsoleState> {
  const { render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  const preview = async (ctx: ConsoleContext, d: Delivery): Promise<{ preview?: Preview; error?: string; status: number }> => {
    const recipient = typeof ctx.query.recipient === 'string' && ctx.query.recipient.trim() ? ctx.query.recipient.trim().slice(0, 320) : undefined;
    try {
      return { preview: await previewDelivery(tools.delivery, d.id, recipient, deps.clock()), status: 200 };
    } catch (err) {
      if (!isHeraldError(err)) throw err;
      return { error: err.message, status: err.hints.status ?? 400 };
    }
  };

  router.get('/deliveries/:id/preview', async (ctx) => {
    const d = await findDelivery(deps.db, id(ctx.params.id) ?? 0);
    if (!d) return;
    const result = await preview(ctx, d);
    ctx.status = result.status;
    const recipient = typeof ctx.query.recipient === 'string' ? ctx.query.recipient.slice(0, 320) : '';
    const view = oneOf(ctx.query.view, PREVIEW_VIEWS);
    const scheme = oneOf(ctx.query.scheme, PREVIEW_SCHEMES);
    // The switch's links keep the recipient and the other choice; the frame is told the scheme.
    const link = (choice: { view?: string; scheme?: string }) =>
      `?${new URLSearchParams({ ...(recipient ? { recipient } : {}), view, scheme, ...choice }).toString()}`;
    render(ctx, '/admin/deliveries/preview', {
      title: t('preview.title', { name: d.label }),
      delivery: d,
      recipient,
      view,
      scheme,
      views: PREVIEW_VIEWS.map((v) => ({ value: v, href: link({ view: v }) })),
      schemes: PREVIEW_SCHEMES.map((v) => ({ value: v, href: link({ scheme: v }) })),
      query: new URLSearchParams({ ...(recipient ? { recipient } : {}), ...(scheme === 'dark' ? { scheme } : {}) }).toString(),
      // the site a push notification comes from, as the browser names it
      origin: new URL(deps.config.web.publicUrl).host,
      ...result,
    });
  });

  router.get('/deliveries/:id/preview/html', async (ctx) => {
    const d = await findDelivery(deps.db, id(ctx.params.id) ?? 0);
    if (!d) return;
    const { preview: p } = await preview(ctx, d);
    ctx.set('Content-Security-Policy', PREVIEW_CSP);
    ctx.set('X-Frame-Options', 'SAMEORIGIN');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    const html = p?.html ? withoutOpenPixel(p.html, deps.config.tracking.publicUrl) : '';
    ctx.body = html && oneOf(ctx.query.scheme, PREVIEW_SCHEMES) === 'dark' ? darkPreview(html) : html;
  });

  const queuedMessages = async (deliveryId: number, now: Date) => {
    const q = (await pendingByDue(deps.db, [deliveryId], now)).get(deliveryId);
    return (q?.due ?? 0) + (q?.later ?? 0);
  };

  const snapshot = async (deliveryId: number): Promise<{ delivery: Delivery; progress: Progress } | undefined> => {
    const d = await findDelivery(deps.db, deliveryId);
    if (!d) return undefined;
    const now = deps.clock();
    const recent = tools.throughput.record(d.id, d.processed, now, d.startedAt);
    const queued = d.kind === 'transactional' ? await queuedMessages(d.id, now) : 0;
    return { delivery: d, progress: progressOf(d, await failuresByReason(deps.db, d.id), recent, now, t, queued) };
  };

  router.get('/deliveries/:id/dashboard', async (ctx) => {
    const found = await snapshot(id(ctx.params.id) ?? 0);
    if (!found) return;
    const { delivery, progress } = found;
    const actions = availableActions(delivery, ctx.state.operator!.rights, deps.clock()).filter(
      (a) => a === 'pause' || a === 'resume' || a === 'stop' || a === 'start',
    );
    render(ctx, '/admin/deliveries/dashboard', {
      title: t('dashboard.title', { name: delivery.label }),
      delivery,
      progress,
      actions,
      refresh: progress.live ? 5 : undefined,
    });
  });

  router.get('/deliveries/:id/progress', async (ctx) => {
    const deliveryId = id(ctx.params.id) ?? 0;
    if (!(await findDelivery(deps.db, deliveryId))) return;
    tools.live.open(ctx, async () => {
      const found = await snapshot(deliveryId);
      return { data: found?.progress ?? null, done: !found?.progress.live };
    });
  });
  return router;
}
