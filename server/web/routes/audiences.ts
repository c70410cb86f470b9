import Router from '@koa/router';
import type { Condition } from '../../db/filters/recipient-condition.js';
import { customFieldNames } from '../../db/repos/custom-fields.js';
import { allSegments, countMatching, findSegment, saveSegment } from '../../db/repos/segments.js';
import { isHeraldError } from '../../shared/errors.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text, type FieldErrors } from '../console/forms.js';
import { conditionOfForm, filterFormOf, readFilterForm, type FilterForm } from '../forms/filter-form.js';
import { FILTER_OPS, filterFieldChoices } from '../forms/filter-rows.js';
import { parseSegmentForm } from '../forms/segment-form.js';
import { need, requireOperator } from '../middleware/access.js';
import { hasRight } from '../security/rights.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

/**
 * Audiences: saved segments (named filters, reusable as delivery and workflow targets with "matches
 * the segment") with a live count while the filter is edited (`/audiences/count`, read by
 * console.js; without JavaScript the Count button shows it). Viewing needs a login, saving
 * `prepare_deliveries`.
 */
export function audienceRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  /** The count of a condition, or the reason it cannot be counted (an unknown segment, a cycle). */
  const counted = async (condition: Condition | undefined, unsaved: Record<string, Condition> = {}): Promise<{ count?: number; countError?: string }> => {
    try {
      return { count: await countMatching(db, condition, deps.clock(), unsaved) };
    } catch (err) {
      if (isHeraldError(err)) return { countError: err.message };
      throw err;
    }
  };

  const formPage = async (
    ctx: ConsoleContext,
    data: {
      form: FilterForm;
      values: Record<string, unknown>;
      segmentId?: number;
      readOnly?: boolean;
      errors?: FieldErrors;
      filterProblem?: string;
      count?: number;
      countError?: string;
    },
  ) =>
    render(ctx, '/admin/audiences/form', {
      title: t(data.segmentId ? 'audiences.edit' : 'audiences.new'),
      errors: {},
      ops: FILTER_OPS,
      fieldChoices: filterFieldChoices(t, await customFieldNames(db)),
      ...data,
    });

  router.get('/audiences', async (ctx) => render(ctx, '/admin/audiences/list', { title: t('audiences.title'), rows: await allSegments(db) }));

  router.get('/audiences/new', need('prepare_deliveries', log), (ctx) => formPage(ctx, { form: filterFormOf(undefined), values: {} }));

  /** The live count of the filter in the query string, or of the segment it names (JSON). */
  router.get('/audiences/count', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const query = ctx.query as Record<string, string>;
    const segment = query.segmentId ? await findSegment(db, id(query.segmentId) ?? 0) : null;
    const { condition, problem } = segment ? { condition: segment.condition, problem: undefined } : conditionOfForm(readFilterForm(query));
    if (problem) return void (ctx.body = { error: problem });
    const { count, countError } = await counted(condition);
    ctx.body = countError === undefined ? { count, text: t('audiences.count', { count: count! }) } : { error: countError };
  });

  const save = async (ctx: ConsoleContext, segmentId: number | undefined) => {
    const body = bodyOf(ctx.request);
    const { form, values, segment, errors, filterProblem } = parseSegmentForm(body);
    if (text(body, 'intent', 10) === 'count') {
      const { condition } = conditionOfForm(form);
      return formPage(ctx, {
        form,
        values,
        segmentId,
        errors: filterProblem ? { filter: 'deliveries.error.filter' } : {},
        filterProblem,
        ...(await counted(condition)),
      });
    }
    if (segment) {
      // Unknown segments and cycles are refused before anything is written.
      const check = await counted({ inSegment: segment.name }, { [segment.name]: segment.condition });
      if (check.countError !== undefined) {
        ctx.status = 400;
        return formPage(ctx, { form, values, segmentId, errors: { filter: 'deliveries.error.filter' }, filterProblem: check.countError });
      }
      const action = segmentId ? 'segment_updated' : 'segment_created';
      const saved = await saveSegment(db, segment, auditOf(ctx, deps, action, { type: 'segment', id: segmentId }), segmentId);
      if (saved) {
        ctx.status = 303;
        return ctx.redirect(`/audiences/${saved.id}?notice=saved`);
      }
      errors.name = 'form.error.name_taken';
    }
    ctx.status = 400;
    await formPage(ctx, { form, values, segmentId, errors, filterProblem });
  };

  router.post('/audiences', need('prepare_deliveries', log), (ctx) => save(ctx, undefined));

  router.get('/audiences/:id', async (ctx) => {
    const segment = await findSegment(db, id(ctx.params.id) ?? 0);
    if (!segment) return;
    const canEdit = hasRight(ctx.state.operator!.rights, 'prepare_deliveries');
    await formPage(ctx, {
      form: filterFormOf(segment.condition),
      values: segment.get({ plain: true }),
      segmentId: segment.id,
      readOnly: !canEdit,
      ...(await counted(segment.condition)),
    });
  });

  router.post('/audiences/:id', need('prepare_deliveries', log), async (ctx) => {
    const segment = await findSegment(db, id(ctx.params.id) ?? 0);
    if (segment) await save(ctx, segment.id);
  });
  return router;
}
