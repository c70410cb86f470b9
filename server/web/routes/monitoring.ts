import Router from '@koa/router';
import { deliveriesIn } from '../../db/repos/delivery-lists.js';
import { pendingByDue } from '../../db/repos/broad-log-counts.js';
import { bounceTextPage, findBounceText, qualifyBounceText, type CountCursor } from '../../db/repos/bounce-texts.js';
import { inboundPage, INBOUND_REVIEW_STATUSES, type InboundCursor, type InboundReviewStatus } from '../../db/repos/inbound-messages.js';
import { latestRunLines } from '../../db/repos/workflow-runs.js';
import { auditIn } from '../../db/repos/audit.js';
import { activeBlocks, unblockDomain } from '../../db/repos/mta-throttle.js';
import { operatorRulePage } from '../../db/repos/bounce-rules.js';
import { mailboxStatuses } from '../../db/repos/inmail-mailboxes.js';
import { ACTIVE_STATES, BOUNCE_TEXT_STATUSES, FAILURE_REASONS, FAILURE_TYPES, type BounceTextStatus } from '../../shared/glossary.js';
import { unhealthy } from '../../shared/health.js';
import { decodeCursor, encodeCursor, isObject } from '../console/cursor.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { queueLine } from '../console/progress.js';
import { bodyOf, id } from '../console/forms.js';
import { parseQualification } from '../forms/bounce-form.js';
import { need, requireOperator } from '../middleware/access.js';
import { hasRight } from '../security/rights.js';
import type { ConsoleState } from '../state.js';

const PAGE = 50;
const isCountCursor = (v: unknown): v is CountCursor => isObject(v) && Number.isSafeInteger(v.occurrences) && Number.isSafeInteger(v.id);
const isTimeCursor = (v: unknown): v is { at: string; id: number } =>
  isObject(v) && typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) && Number.isSafeInteger(v.id);

/**
 * Monitoring (right `view_reports`): module status from the watchdog, queue depth of the running
 * deliveries, the domains the MTA blocked (lifting a block needs `start_deliveries` and is
 * audited), workflow runs and recent errors, the bounce mailboxes read over IMAP / POP3 (their
 * counters and last error), bounce texts to qualify (qualifying one needs `admin` and is audited),
 * the rules those qualifications made (with their samples) and inbound mail kept for review.
 */
export function monitoringRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('view_reports', log));

  router.get('/monitoring', async (ctx) => {
    const now = deps.clock();
    const running = await deliveriesIn(db, ACTIVE_STATES, 50);
    const queue = await pendingByDue(
      db,
      running.map((d) => d.id),
      now,
    );
    render(ctx, '/admin/monitoring/overview', {
      title: t('monitoring.title'),
      watchdog: await deps
        .watchdog()
        .then((status) => status && { ...status, modules: status.modules.map((m) => ({ ...m, problems: unhealthy(m.details ?? undefined) })) }),
      running: running.map((d) => queueLine(d, queue.get(d.id) ?? { due: 0, later: 0 })),
      runs: await latestRunLines(db, 15),
      failedRuns: await latestRunLines(db, 10, 'failed'),
      failedDeliveries: await deliveriesIn(db, ['failed'], 10),
      bounceTexts: (await bounceTextPage(db, 'to_qualify', undefined, 10)).rows,
      inbound: (await inboundPage(db, 'unmatched', undefined, 10)).rows,
      blocks: [...(await activeBlocks(db, now)).values()],
      canUnblock: hasRight(ctx.state.operator!.rights, 'start_deliveries'),
      mailboxes: await mailboxStatuses(db),
    });
  });

  router.get('/monitoring/bounce-texts', async (ctx) => {
    const status: BounceTextStatus = BOUNCE_TEXT_STATUSES.includes(ctx.query.status as BounceTextStatus)
      ? (ctx.query.status as BounceTextStatus)
      : 'to_qualify';
    const after = decodeCursor(ctx.query.after, isCountCursor);
    const { rows, next } = await bounceTextPage(db, status, after, PAGE);
    const nextQuery = next ? new URLSearchParams({ status, after: encodeCursor(next) }).toString() : undefined;
    const canQualify = hasRight(ctx.state.operator!.rights, 'admin');
    render(ctx, '/admin/monitoring/bounce-texts', {
      title: t('monitoring.bounce_texts'),
      rows,
      status,
      statuses: BOUNCE_TEXT_STATUSES,
      types: FAILURE_TYPES,
      reasons: FAILURE_REASONS,
      canQualify,
      nextQuery,
      paged: Boolean(after),
    });
  });

  router.post('/monitoring/bounce-texts/:id', need('admin', log), async (ctx) => {
    const text = await findBounceText(db, id(ctx.params.id) ?? 0);
    if (!text) return;
    const { value, errors } = parseQualification(bodyOf(ctx.request));
    if (!value) return ctx.throw(400, t(Object.values(errors)[0]!));
    const audit = auditOf(ctx, deps, 'bounce_text_qualified', { type: 'bounce_text', id: text.id }, { ...value, was: text.status });
    await qualifyBounceText(db, text.id, value, audit);
    ctx.status = 303;
    ctx.redirect(`/monitoring/bounce-texts?status=${text.status}&notice=qualified`);
  });

  router.get('/monitoring/bounce-rules', async (ctx) => {
    const before = id(ctx.query.before);
    const { rows, next } = await operatorRulePage(db, before, PAGE);
    render(ctx, '/admin/monitoring/bounce-rules', {
      title: t('monitoring.bounce_rules'),
      rows,
      nextQuery: next === undefined ? undefined : new URLSearchParams({ before: String(next) }).toString(),
      paged: before !== undefined,
    });
  });

  router.get('/monitoring/inbound', async (ctx) => {
    const status: InboundReviewStatus = INBOUND_REVIEW_STATUSES.includes(ctx.query.status as InboundReviewStatus)
      ? (ctx.query.status as InboundReviewStatus)
      : 'unmatched';
    const cursor = decodeCursor(ctx.query.before, isTimeCursor);
    const before: InboundCursor | undefined = cursor ? { receivedAt: new Date(cursor.at), id: cursor.id } : undefined;
    const { rows, next } = await inboundPage(db, status, before, PAGE);
    const nextQuery = next ? new URLSearchParams({ status, before: encodeCursor({ at: next.receivedAt.toISOString(), id: next.id }) }).toString() : undefined;
    render(ctx, '/admin/monitoring/inbound', {
      title: t('monitoring.inbound'),
      rows,
      status,
      statuses: INBOUND_REVIEW_STATUSES,
      nextQuery,
      paged: Boolean(before),
    });
  });
  return router;
}

/**
 * Lifting a domain block from the monitoring page: right `start_deliveries` alone (it is about
 * sending, like starting a delivery), CSRF-protected like every console POST, audited. Every MTA
 * honours it within seconds (they re-read the blocks every 2 s).
 */
export function domainBlockRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, t } = deps;
  const router = new Router<ConsoleState>();
  router.post('/monitoring/blocks', requireOperator(), need('start_deliveries', log), async (ctx) => {
    const domain = String(bodyOf(ctx.request).domain ?? '')
      .trim()
      .toLowerCase();
    if (!domain) return ctx.throw(400, t('monitoring.domain'));
    const { block } = await unblockDomain(db, domain, deps.clock(), (transaction, lifted, rescheduled) =>
      auditIn(db, transaction, auditOf(ctx, deps, 'domain_unblocked', { type: 'domain', id: domain }, { reason: lifted.reason, rescheduled })),
    );
    if (!block) return; // not blocked: 404
    ctx.status = 303;
    ctx.redirect('/monitoring?notice=unblocked');
  });
  return router;
}
