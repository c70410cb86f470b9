import Router from '@koa/router';
import { normalizeBounceText } from '../../bounce/normalize-text.js';
import { findInboundMessage, reviewInboundMessage } from '../../db/repos/inbound-messages.js';
import { FAILURE_REASONS, FAILURE_TYPES } from '../../shared/glossary.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text } from '../console/forms.js';
import { readKeptMessage } from '../console/kept-message.js';
import { parseQualification } from '../forms/bounce-form.js';
import { need, requireOperator } from '../middleware/access.js';
import { hasRight } from '../security/rights.js';
import type { ConsoleState } from '../state.js';

/**
 * Inbound mail kept for review (right `view_reports`): one message, its analysis with the current
 * rules and its raw text (escaped). An admin marks it reviewed, or qualifies one of its texts:
 * the qualification becomes an operator rule applied to later messages (audited).
 */
export function inboundReviewRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t, config } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('view_reports', log));

  router.get('/monitoring/inbound/:id', async (ctx) => {
    const message = await findInboundMessage(db, id(ctx.params.id) ?? 0);
    if (!message) return;
    const kept = await readKeptMessage(db, config, message.spoolFile ?? null);
    render(ctx, '/admin/monitoring/inbound-message', {
      title: t('monitoring.inbound_message'),
      message,
      kept,
      types: FAILURE_TYPES,
      reasons: FAILURE_REASONS,
      canReview: hasRight(ctx.state.operator!.rights, 'admin') && message.status !== 'reviewed',
    });
  });

  router.post('/monitoring/inbound/:id/review', need('admin', log), async (ctx) => {
    const message = await findInboundMessage(db, id(ctx.params.id) ?? 0);
    if (!message) return;
    const body = bodyOf(ctx.request);
    const recipient = text(body, 'recipient', 8);
    let qualification;
    if (recipient !== '') {
      const kept = await readKeptMessage(db, config, message.spoolFile ?? null);
      const sample = kept.analysis?.parsed.recipients[Number(recipient)]?.text;
      if (!sample || !/^\d+$/.test(recipient)) return ctx.throw(400, t('monitoring.error.recipient'));
      const { value, errors } = parseQualification(body);
      if (!value) return ctx.throw(400, t(Object.values(errors)[0]!));
      const normalized = normalizeBounceText(sample);
      if (!normalized) return ctx.throw(400, t('monitoring.error.recipient'));
      qualification = {
        normalized,
        sample,
        failureType: value.status === 'ignore' ? ('ignored' as const) : value.failureType,
        failureReason: value.failureReason,
      };
    }
    const audit = auditOf(
      ctx,
      deps,
      qualification ? 'bounce_text_qualified' : 'inbound_reviewed',
      { type: 'inbound_message', id: message.id },
      { was: message.status },
    );
    await reviewInboundMessage(db, message.id, qualification, audit);
    ctx.status = 303;
    ctx.redirect(`/monitoring/inbound?status=${message.status}&notice=reviewed`);
  });
  return router;
}
