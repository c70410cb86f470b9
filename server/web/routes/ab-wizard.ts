import Router from '@koa/router';
import type { Condition } from '../../db/filters/recipient-condition.js';
import type { Database } from '../../db/connect.js';
import type { Delivery } from '../../db/models/index.js';
import { recordAudit } from '../../db/repos/audit.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { findList } from '../../db/repos/lists.js';
import { findService } from '../../db/repos/services.js';
import { createNewDelivery } from '../../delivery/actions.js';
import { parseExclusions, parseTargetSpec } from '../../delivery/target-spec.js';
import { HeraldError, isHeraldError } from '../../shared/errors.js';
import { changeState, requireWorkflow, saveWorkflow } from '../../workflows/lifecycle.js';
import type { WinnerCriterion } from '../../workflows/marketing/ab-winner.js';
import { abWizardDefinition, abWizardProblems, type AbWizardChoice } from '../../workflows/marketing/ab-wizard.js';
import type { DeliveryTools } from '../console/delivery-tools.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, checked, id, text } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/**
 * The one-page A/B test of a delivery not yet started (rights `prepare_deliveries` and `workflow`):
 * the operator picks the shares of A and B, variant B's subject, the wait, the criterion and whether
 * the winner waits for a confirmation; Herald makes the two variants' templates from the delivery,
 * saves the workflow (ab-wizard.ts) and starts it. The workflow server sends A and B at its next
 * poll; the workflow's page shows the test.
 */

const EDITABLE = new Set(['editing', 'ready', 'failed']);
const DEFAULTS = (d: Delivery): AbWizardChoice => ({ percentA: 10, percentB: 10, wait: '1d', criterion: 'opens', confirm: false, subjectB: d.subject ?? '' });
const safeName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);

export function abWizardRoutes(deps: ConsoleDeps, tools: DeliveryTools): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use('/deliveries/:id/ab-test', requireOperator(), need('prepare_deliveries', log), need('workflow', log));

  const show = (ctx: ConsoleContext, d: Delivery, choice: AbWizardChoice, problems: string[] = []) =>
    render(ctx, '/admin/deliveries/ab-test', { title: t('abwizard.title', { label: d.label }), delivery: d, choice, problems });

  const load = async (ctx: ConsoleContext): Promise<Delivery | undefined> => {
    const d = await findDelivery(db, id(ctx.params.id) ?? 0);
    if (!d || d.isTemplate || d.kind !== 'marketing') return undefined;
    return d;
  };

  router.get('/deliveries/:id/ab-test', async (ctx) => {
    const d = await load(ctx);
    if (d) show(ctx, d, DEFAULTS(d), EDITABLE.has(d.state) ? [] : [t('abwizard.not_editable')]);
  });

  router.post('/deliveries/:id/ab-test', async (ctx) => {
    const d = await load(ctx);
    if (!d) return;
    const body = bodyOf(ctx.request);
    const choice: AbWizardChoice = {
      percentA: Number(text(body, 'percentA', 4)),
      percentB: Number(text(body, 'percentB', 4)),
      wait: text(body, 'wait', 12),
      criterion: text(body, 'criterion', 8) as WinnerCriterion,
      confirm: checked(body, 'confirm'),
      subjectB: text(body, 'subjectB', 300),
    };
    const problems = [...(EDITABLE.has(d.state) ? [] : [t('abwizard.not_editable')]), ...abWizardProblems(choice)];
    if (problems.length) {
      ctx.status = 400;
      return show(ctx, d, choice, problems);
    }
    try {
      const workflowId = await createAbTest(ctx, d, choice);
      ctx.status = 303;
      ctx.redirect(`/workflows/${workflowId}?notice=ab_test_created`);
    } catch (err) {
      if (!isHeraldError(err)) throw err;
      ctx.status = err.hints.status && err.hints.status >= 400 ? err.hints.status : 409;
      show(ctx, d, choice, [err.message]);
    }
  });

  /** The two variants' templates, the workflow, its start, and the audit entry. */
  async function createAbTest(ctx: ConsoleContext, d: Delivery, choice: AbWizardChoice): Promise<number> {
    const base = safeName(d.internalName);
    const where = await targetCondition(db, d);
    const variant = (suffix: 'a' | 'b', subject: string) =>
      createNewDelivery(tools.delivery, {
        internalName: `${base}-ab-${suffix}`,
        label: `${d.label} (${suffix.toUpperCase()})`.slice(0, 255),
        kind: 'marketing',
        subject: subject ?? '',
        fromName: d.fromName,
        fromAddress: d.fromAddress ?? '',
        replyTo: d.replyTo,
        html: d.html,
        text: d.text,
        headers: d.headers ?? {},
        target: parseTargetSpec(d.target),
        exclusions: parseExclusions(d.exclusions),
        serviceId: d.serviceId,
        trackingEnabled: d.trackingEnabled,
        openTracking: d.openTracking,
        scheduledAt: null,
        validityEnd: null,
        isTemplate: true,
        templateId: null,
        createdBy: ctx.state.operator!.id,
      });
    const a = await variant('a', d.subject ?? '');
    const b = await variant('b', choice.subjectB);
    const name = `ab-${base}`;
    const definition = abWizardDefinition(choice, where, a.internalName, b.internalName);
    await saveWorkflow(db, { name, label: t('abwizard.workflow_label', { label: d.label }).slice(0, 255), definition });
    const wf = await requireWorkflow(db, name);
    await changeState(db, wf, 'start', deps.clock());
    await recordAudit(db, auditOf(ctx, deps, 'ab_test_created', { type: 'workflow', id: wf.id }, { delivery: d.id, ...choice }));
    log.info('WF_STATE_CHANGED', { workflow: name, from: 'editing', to: 'started', by: ctx.state.operator!.login });
    return wf.id;
  }
  return router;
}

/** The delivery's target as a workflow query condition (the same condition language). */
async function targetCondition(db: Database, d: Delivery): Promise<Condition | undefined> {
  const target = parseTargetSpec(d.target);
  let base: Condition | undefined;
  if (target.kind === 'service') {
    const service = await findService(db, target.serviceId);
    if (!service) throw new HeraldError('TARGET_INVALID', 'the delivery targets a service that no longer exists', { status: 409 });
    base = { subscribed: service.name };
  } else if (target.kind === 'list') {
    const list = await findList(db, target.listId);
    if (!list) throw new HeraldError('TARGET_INVALID', 'the delivery targets a list that no longer exists', { status: 409 });
    base = { inList: list.name };
  } else if (target.kind === 'addresses') throw new HeraldError('TARGET_INVALID', 'a proof cannot be A/B tested', { status: 409 });
  if (!target.filter) return base;
  return base ? { all: [base, target.filter] } : target.filter;
}
