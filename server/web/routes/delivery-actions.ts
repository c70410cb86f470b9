import Router from '@koa/router';
import type { Delivery } from '../../db/models/index.js';
import { recordAudit } from '../../db/repos/audit.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { pauseDelivery, resumeDelivery, sendProof, startDelivery, stopDelivery } from '../../delivery/actions.js';
import { analyseDelivery } from '../../delivery/analyse.js';
import type { AuditAction } from '../../shared/audit-actions.js';
import { describeError, HeraldError, isHeraldError } from '../../shared/errors.js';
import type { NamedRight } from '../../shared/glossary.js';
import type { DeliveryTools } from '../console/delivery-tools.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';
import { renderDeliveryPage } from './delivery-page.js';
import { parseSeeds } from '../../delivery/proof-seeds.js';

/** How long an analysis request waits before answering "running" (the page then refreshes until it ends). */
const ANALYSIS_WAIT_MS = 1500;

/**
 * Actions on a delivery, each a POST (CSRF-checked) recorded in the audit log: analyse and proofs
 * (`prepare_deliveries`), start, pause, resume and stop (`start_deliveries`). A refusal (wrong
 * state, control-rule errors, a tracking server that did not take the links) shows the delivery
 * page again with the reason; success redirects to it with a notice.
 */
export function deliveryActionRoutes(deps: ConsoleDeps, tools: DeliveryTools): Router<ConsoleState> {
  const { db, log } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  const refused = async (ctx: ConsoleContext, err: unknown) => {
    if (!isHeraldError(err)) throw err;
    ctx.status = err.hints.status && err.hints.status >= 400 ? err.hints.status : 409;
    await renderDeliveryPage(deps, ctx, { error: deps.t('deliveries.action_refused'), errorDetail: err.message });
  };
  const done = async (ctx: ConsoleContext, d: Delivery, action: AuditAction, notice: string, detail?: Record<string, unknown>, to = d.id) => {
    await recordAudit(db, auditOf(ctx, deps, action, { type: 'delivery', id: d.id }, { name: d.internalName, ...detail }));
    ctx.status = 303;
    ctx.redirect(`/deliveries/${to}?notice=${notice}`);
  };
  const withDelivery = (right: NamedRight, fn: (ctx: ConsoleContext, d: Delivery) => Promise<void>) => [
    need(right, log),
    async (ctx: ConsoleContext) => {
      const d = await findDelivery(db, id(ctx.params.id) ?? 0);
      if (!d) return;
      try {
        await fn(ctx, d);
      } catch (err) {
        await refused(ctx, err);
      }
    },
  ];

  router.post(
    '/deliveries/:id/analyse',
    ...withDelivery('prepare_deliveries', async (ctx, d) => {
      if (d.isTemplate || d.kind === 'proof') throw new HeraldError('DELIVERY_STATE', deps.t('deliveries.not_analysable'), { status: 409 });
      const lateError = (err: unknown) => log.warn('WEB_ANALYSIS_FAILED', { deliveryId: d.id, err: describeError(err) });
      const report = await tools.background.run(() => analyseDelivery(tools.delivery, d.id, { now: deps.clock }), ANALYSIS_WAIT_MS, lateError);
      await done(
        ctx,
        d,
        'delivery_analysed',
        !report ? 'analysis_running' : report.state === 'ready' ? 'analysed' : 'analysis_blocked',
        report ? { toDeliver: report.toDeliver, issues: report.issues.length } : undefined,
      );
    }),
  );

  router.post(
    '/deliveries/:id/proof',
    ...withDelivery('prepare_deliveries', async (ctx, d) => {
      const body = bodyOf(ctx.request);
      const typed = text(body, 'seeds', 40_000);
      const { seeds, invalid } = parseSeeds(typed, deps.config.delivery.maxProofRecipients);
      if (invalid.length > 0 || seeds.length === 0) {
        ctx.status = 400;
        const seedErrors = invalid.length ? invalid.map((seed) => deps.t('deliveries.error.seed_invalid', { seed })) : [deps.t('deliveries.error.seeds')];
        return void (await renderDeliveryPage(deps, ctx, { seeds: typed, seedErrors }));
      }
      const as = text(body, 'as', 320) || undefined;
      const result = await sendProof(tools.delivery, d.id, seeds, as, deps.clock(), { beforeStart: tools.beforeStart });
      await done(
        ctx,
        d,
        'delivery_proof_sent',
        result.started ? 'proof_sent' : 'analysis_blocked',
        { proof: result.proof.id, seeds: seeds.length },
        result.proof.id,
      );
    }),
  );

  const stateAction = (path: string, right: NamedRight, action: AuditAction, notice: string, run: (d: Delivery) => Promise<unknown>) =>
    router.post(
      path,
      ...withDelivery(right, async (ctx, d) => {
        await run(d);
        await done(ctx, d, action, notice);
      }),
    );
  stateAction('/deliveries/:id/start', 'start_deliveries', 'delivery_started', 'started', (d) =>
    startDelivery(tools.delivery, d.id, deps.clock(), { beforeStart: tools.beforeStart }),
  );
  stateAction('/deliveries/:id/pause', 'start_deliveries', 'delivery_paused', 'paused', (d) => pauseDelivery(tools.delivery, d.id, deps.clock()));
  stateAction('/deliveries/:id/resume', 'start_deliveries', 'delivery_resumed', 'resumed', (d) => resumeDelivery(tools.delivery, d.id, deps.clock()));
  stateAction('/deliveries/:id/stop', 'start_deliveries', 'delivery_stopped', 'stopped', (d) => stopDelivery(tools.delivery, d.id, deps.clock()));
  return router;
}
