import Router from '@koa/router';
import {
  createService,
  findService,
  serviceCounts,
  serviceHistoryPage,
  serviceHistoryTotals,
  servicesWithCounts,
  updateService,
  type HistoryCursor,
  type ServiceValues,
} from '../../db/repos/services.js';
import { isUniqueViolation } from '../../db/errors.js';
import { decodeCursor, encodeCursor, isObject } from '../console/cursor.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id } from '../console/forms.js';
import { parseServiceForm } from '../forms/service-form.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const PAGE = 50;
const DAY_MS = 86_400_000;
const isHistoryCursor = (v: unknown): v is { at: string; id: number } =>
  isObject(v) && typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) && Number.isSafeInteger(v.id);

/** Services (newsletters): list with subscriber counts, detail with history, create and edit (right `prepare_deliveries`). */
export function serviceRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  const formPage = (ctx: ConsoleContext, data: { values: Partial<ServiceValues>; errors?: Record<string, string>; serviceId?: number }) =>
    render(ctx, '/admin/services/form', { title: t(data.serviceId ? 'services.edit' : 'services.new'), errors: {}, ...data });

  router.get('/services', async (ctx) => render(ctx, '/admin/services/list', { title: t('services.title'), rows: await servicesWithCounts(db) }));
  router.get('/services/new', need('prepare_deliveries', log), (ctx) => formPage(ctx, { values: { doubleOptIn: true } }));

  router.post('/services', need('prepare_deliveries', log), async (ctx) => {
    const { values, errors } = parseServiceForm(bodyOf(ctx.request));
    if (Object.keys(errors).length === 0) {
      try {
        const service = await createService(db, values, auditOf(ctx, deps, 'service_created', { type: 'service' }, { name: values.name }));
        ctx.status = 303;
        return ctx.redirect(`/services/${service.id}?notice=created`);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        errors.name = 'form.error.name_taken';
      }
    }
    ctx.status = 400;
    formPage(ctx, { values, errors });
  });

  router.get('/services/:id', async (ctx) => {
    const service = await findService(db, id(ctx.params.id) ?? 0);
    if (!service) return;
    const cursor = decodeCursor(ctx.query.before, isHistoryCursor);
    const before: HistoryCursor | undefined = cursor ? { at: new Date(cursor.at), id: cursor.id } : undefined;
    const history = await serviceHistoryPage(db, service.id, before, PAGE);
    const since = new Date(deps.clock().getTime() - 30 * DAY_MS);
    render(ctx, '/admin/services/show', {
      title: service.label,
      service,
      counts: await serviceCounts(db, service.id),
      totals: await serviceHistoryTotals(db, service.id, since),
      history: history.rows,
      nextCursor: history.next ? encodeCursor({ at: history.next.at.toISOString(), id: history.next.id }) : undefined,
    });
  });

  router.get('/services/:id/edit', need('prepare_deliveries', log), async (ctx) => {
    const service = await findService(db, id(ctx.params.id) ?? 0);
    if (service) formPage(ctx, { serviceId: service.id, values: service.get({ plain: true }) });
  });

  router.post('/services/:id', need('prepare_deliveries', log), async (ctx) => {
    const service = await findService(db, id(ctx.params.id) ?? 0);
    if (!service) return;
    const { values, errors } = parseServiceForm(bodyOf(ctx.request));
    if (Object.keys(errors).length === 0) {
      try {
        await updateService(db, service.id, values, auditOf(ctx, deps, 'service_updated', { type: 'service', id: service.id }, { name: values.name }));
        ctx.status = 303;
        return ctx.redirect(`/services/${service.id}?notice=saved`);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        errors.name = 'form.error.name_taken';
      }
    }
    ctx.status = 400;
    formPage(ctx, { serviceId: service.id, values, errors });
  });
  return router;
}
