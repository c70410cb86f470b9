import Router from '@koa/router';
import type { Condition } from '../../db/filters/recipient-condition.js';
import { findBulkAction, recentBulkActions } from '../../db/repos/bulk-actions.js';
import { customFieldNames } from '../../db/repos/custom-fields.js';
import { allLists, findList } from '../../db/repos/lists.js';
import { allSegments, countMatching, findSegment } from '../../db/repos/segments.js';
import { allServices, findService } from '../../db/repos/services.js';
import { isHeraldError } from '../../shared/errors.js';
import { BULK_ACTIONS, type BulkActionKind } from '../../shared/glossary.js';
import { bulkTargetOf } from '../bulk/recover.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, checked, id, text, type FieldErrors, type FormBody } from '../console/forms.js';
import { conditionOfForm, filterFormOf, readFilterForm, type FilterForm } from '../forms/filter-form.js';
import { FILTER_OPS, filterFieldChoices } from '../forms/filter-rows.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/**
 * Bulk actions on a filtered selection (a saved segment or filter rows): add to / remove from a
 * list, subscribe, unsubscribe, denylist, erase (GDPR, confirmed by a tick). The job runs in the
 * background in batches (server/web/bulk/bulk-runner.ts) and its page shows the progress; starting
 * and ending are audited. Right `import`.
 */

interface BulkForm {
  segmentId: string;
  filter: FilterForm;
  action: string;
  listId: string;
  serviceId: string;
  confirmErase: boolean;
}

const readBulkForm = (body: FormBody): BulkForm => ({
  segmentId: text(body, 'segmentId', 12),
  filter: readFilterForm(body),
  action: text(body, 'action', 24),
  listId: text(body, 'listId', 12),
  serviceId: text(body, 'serviceId', 12),
  confirmErase: checked(body, 'confirmErase'),
});

export function bulkActionRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t, bulk } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('import', log));

  /** The selection's condition, or the reason there is none. */
  const selection = async (form: BulkForm): Promise<{ condition?: Condition; segmentId: number | null; problem?: string }> => {
    if (form.segmentId) {
      const segment = await findSegment(db, id(form.segmentId) ?? 0);
      return segment ? { condition: { inSegment: segment.name }, segmentId: segment.id } : { segmentId: null, problem: t('bulk.error.segment') };
    }
    const { condition, problem } = conditionOfForm(form.filter);
    return condition ? { condition, segmentId: null } : { segmentId: null, problem: problem ?? t('audiences.error.empty_filter') };
  };

  const count = async (condition: Condition | undefined): Promise<{ count?: number; countError?: string }> => {
    if (!condition) return {};
    try {
      return { count: await countMatching(db, condition, deps.clock()) };
    } catch (err) {
      if (isHeraldError(err)) return { countError: err.message };
      throw err;
    }
  };

  const formPage = async (ctx: ConsoleContext, form: BulkForm, data: { errors?: FieldErrors; problem?: string; count?: number; countError?: string } = {}) =>
    render(ctx, '/admin/audiences/bulk-form', {
      title: t('bulk.new'),
      errors: {},
      bulkForm: form,
      form: form.filter,
      actions: BULK_ACTIONS,
      segments: await allSegments(db),
      lists: await allLists(db),
      services: await allServices(db),
      ops: FILTER_OPS,
      fieldChoices: filterFieldChoices(t, await customFieldNames(db)),
      jobs: await recentBulkActions(db, 10),
      busy: bulk.busy(),
      ...data,
    });

  router.get('/audiences/bulk', async (ctx) => {
    const form = { ...readBulkForm(ctx.query as FormBody), filter: filterFormOf(undefined) };
    const { condition } = await selection(form);
    await formPage(ctx, form, await count(form.segmentId ? condition : undefined));
  });

  router.post('/audiences/bulk', async (ctx) => {
    const form = readBulkForm(bodyOf(ctx.request));
    const { condition, segmentId, problem } = await selection(form);
    const errors: FieldErrors = {};
    const action = (BULK_ACTIONS as readonly string[]).includes(form.action) ? (form.action as BulkActionKind) : undefined;
    if (!action) errors.action = 'bulk.error.action';
    const list = action === 'addToList' || action === 'removeFromList' ? await findList(db, id(form.listId) ?? 0) : null;
    const service = action === 'subscribe' || action === 'unsubscribe' ? await findService(db, id(form.serviceId) ?? 0) : null;
    if ((action === 'addToList' || action === 'removeFromList') && !list) errors.listId = 'bulk.error.list';
    if ((action === 'subscribe' || action === 'unsubscribe') && !service) errors.serviceId = 'bulk.error.service';
    if (action === 'erase' && !form.confirmErase) errors.confirmErase = 'bulk.error.confirm_erase';
    const counted = await count(condition);
    if (problem || counted.countError) errors.filter = 'deliveries.error.filter';
    if (text(bodyOf(ctx.request), 'intent', 10) === 'count' || Object.keys(errors).length) {
      if (Object.keys(errors).length) ctx.status = 400;
      return formPage(ctx, form, { errors, problem: problem ?? counted.countError, ...counted });
    }
    if (bulk.busy()) {
      ctx.status = 409;
      return formPage(ctx, form, { problem: t('bulk.error.busy'), ...counted });
    }
    const job = { action: action!, listId: list?.id ?? null, serviceId: service?.id ?? null };
    const target = (await bulkTargetOf(db, job))!;
    const jobId = await bulk.start(
      { operatorId: ctx.state.operator!.id, condition: condition!, segmentId, total: counted.count ?? 0, ...job },
      target,
      auditOf(ctx, deps, 'recipients_bulk_started'),
    );
    ctx.status = 303;
    ctx.redirect(`/audiences/bulk/${jobId}`);
  });

  router.get('/audiences/bulk/:id', async (ctx) => {
    const job = await findBulkAction(db, id(ctx.params.id) ?? 0);
    if (!job) return;
    const list = job.listId ? await findList(db, job.listId) : null;
    const service = job.serviceId ? await findService(db, job.serviceId) : null;
    const segment = job.segmentId ? await findSegment(db, job.segmentId) : null;
    render(ctx, '/admin/audiences/bulk-job', { title: t('bulk.job_title', { id: job.id }), job, list, service, segment });
  });
  return router;
}
