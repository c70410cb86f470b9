import Router from '@koa/router';
import { TIME_ZONE_CHOICES } from '../forms/preferences-form.js';
import { findDelivery } from '../../db/repos/deliveries.js';
import { deliveryPage, templateChoices } from '../../db/repos/delivery-lists.js';
import { allBlocks } from '../../db/repos/content-blocks.js';
import { siteTemplates } from '../../db/repos/content-templates.js';
import { landingPages } from '../../db/repos/landing-pages.js';
import { allLists, findList } from '../../db/repos/lists.js';
import { allServices, findService } from '../../db/repos/services.js';
import { recordAudit } from '../../db/repos/audit.js';
import { createNewDelivery, editDelivery, type DeliveryEdit } from '../../delivery/actions.js';
import { gallery } from '../../delivery/source/gallery.js';
import { pickerEntries } from '../../delivery/source/field-picker.js';
import { restoreEditedTags } from '../../delivery/source/editor-output.js';
import { allowVisualEditor } from '../security/editor-csp.js';
import { editorConfig } from '../console/editor-config.js';
import { DELIVERY_STATES, type DeliveryState } from '../../shared/glossary.js';
import { isHeraldError } from '../../shared/errors.js';
import { availableActions } from '../console/delivery-buttons.js';
import type { DeliveryTools } from '../console/delivery-tools.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text, type FieldErrors } from '../console/forms.js';
import { emptyDeliveryForm, formOfDelivery, parseDeliveryForm, readDeliveryForm, type DeliveryForm, type DeliveryInput } from '../forms/delivery-form.js';
import { FILTER_OPS, filterFieldChoices } from '../forms/filter-rows.js';
import { customFieldNames } from '../../db/repos/custom-fields.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';
import { renderDeliveryPage } from './delivery-page.js';

const PAGE = 50;

/** The delivery pages whose forms accept content larger than ordinary forms (web.deliveryFormMaxKb). */
export const DELIVERY_FORM_PATHS = /^\/deliveries(?:\/templates)?(?:\/\d+)?$/;

/**
 * Deliveries and delivery templates: keyset lists, the delivery page, and the form to create (from
 * scratch or from a template) and edit them while they have not started. Viewing needs a login;
 * creating and editing need `prepare_deliveries` (content is code: see server/delivery/README.md).
 */
export function deliveryRoutes(deps: ConsoleDeps, tools: DeliveryTools): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  const contentMax = deps.config.web.deliveryFormMaxKb * 1024;
  router.use(requireOperator());

  const listPage = async (ctx: ConsoleContext, templates: boolean) => {
    const state = DELIVERY_STATES.includes(ctx.query.state as DeliveryState) ? (ctx.query.state as DeliveryState) : undefined;
    const before = id(ctx.query.before);
    const { rows, next } = await deliveryPage(db, { templates, states: state ? [state] : undefined, before, limit: PAGE });
    render(ctx, '/admin/deliveries/list', {
      title: t(templates ? 'deliveries.templates' : 'deliveries.title'),
      templates,
      rows,
      state,
      states: DELIVERY_STATES,
      next,
      paged: Boolean(before),
    });
  };
  router.get('/deliveries', (ctx) => listPage(ctx, false));
  router.get('/deliveries/templates', (ctx) => listPage(ctx, true));

  const formPage = async (
    ctx: ConsoleContext,
    data: {
      form: DeliveryForm;
      deliveryId?: number;
      templateId?: number;
      gallery?: string;
      template: boolean;
      errors?: FieldErrors;
      filterProblem?: string;
      error?: string;
      visual?: boolean;
    },
  ) => {
    if (data.visual) allowVisualEditor(ctx);
    const creating = data.deliveryId === undefined;
    const blocks = await allBlocks(db);
    const title = t(creating ? (data.template ? 'deliveries.new_template' : 'deliveries.new') : 'deliveries.edit');
    render(ctx, '/admin/deliveries/form', {
      title,
      creating,
      errors: {},
      services: await allServices(db),
      lists: await allLists(db),
      templates: creating && !data.template ? await templateChoices(db) : [],
      fieldChoices: filterFieldChoices(t, await customFieldNames(db)),
      ops: FILTER_OPS,
      zones: TIME_ZONE_CHOICES,
      picker: pickerEntries(blocks),
      editor: data.visual ? editorConfig(t, { blocks, landingPages: await landingPages(db), publicUrl: deps.config.web.publicUrl, message: true }) : undefined,
      ...data,
    });
  };

  const newPage = async (ctx: ConsoleContext, visual: boolean) => {
    const name = typeof ctx.query.gallery === 'string' ? ctx.query.gallery : undefined;
    const start = name ? gallery(await siteTemplates(db)).find((g) => g.name === name) : undefined;
    if (start) {
      const form = {
        ...emptyDeliveryForm(ctx.state.operator?.timeZone ?? ''),
        label: start.label,
        kind: start.kind,
        subject: start.subject,
        format: start.format,
        html: start.source,
        text: start.text ?? '',
      };
      return formPage(ctx, { form, template: false, gallery: start.name, visual });
    }
    const template = await findDelivery(db, id(ctx.query.from) ?? 0);
    const form = template?.isTemplate
      ? { ...formOfDelivery(template), internalName: '', label: template.label }
      : emptyDeliveryForm(ctx.state.operator?.timeZone ?? '');
    await formPage(ctx, { form, template: false, visual, ...(template?.isTemplate ? { templateId: template.id } : {}) });
  };
  router.get('/deliveries/new', need('prepare_deliveries', log), (ctx) => newPage(ctx, false));
  // The same form with the visual editor on the content (its own route, for its own CSP).
  router.get('/deliveries/new/visual', need('prepare_deliveries', log), (ctx) => newPage(ctx, true));
  router.get('/deliveries/templates/new', need('prepare_deliveries', log), (ctx) =>
    formPage(ctx, { form: emptyDeliveryForm(ctx.state.operator?.timeZone ?? ''), template: true }),
  );

  /** Checks the form and the service or list it names; errors re-render the form with 400. */
  const checked = async (
    ctx: ConsoleContext,
    creating: boolean,
    template: boolean,
    deliveryId?: number,
  ): Promise<{ form: DeliveryForm; input?: DeliveryInput }> => {
    const body = bodyOf(ctx.request);
    const visual = body.editor === 'visual';
    const read = readDeliveryForm(body, contentMax);
    const form = visual ? { ...read, html: restoreEditedTags(read.html) } : read;
    const { input, errors, filterProblem } = parseDeliveryForm(form, creating);
    if (input?.target.kind === 'service' && !(await findService(db, input.target.serviceId))) errors.serviceId = 'deliveries.error.service';
    if (input?.target.kind === 'list' && !(await findList(db, input.target.listId))) errors.listId = 'deliveries.error.list';
    if (Object.keys(errors).length === 0) return { form, input };
    ctx.status = 400;
    await formPage(ctx, { form, deliveryId, template, templateId: id(body.templateId), errors, filterProblem, visual });
    return { form };
  };

  const create = async (ctx: ConsoleContext, template: boolean) => {
    const { form, input } = await checked(ctx, true, template);
    if (!input) return;
    const templateId = template ? null : (id(bodyOf(ctx.request).templateId) ?? null);
    const gallery = text(bodyOf(ctx.request), 'gallery', 64);
    try {
      const { limit, ...values } = input;
      const d = await createNewDelivery(tools.delivery, {
        ...values,
        internalName: form.internalName,
        exclusions: { duplicates: true, denylisted: true, quarantined: true, limit },
        serviceId: null,
        isTemplate: template,
        templateId,
        createdBy: ctx.state.operator!.id,
      });
      await recordAudit(
        db,
        auditOf(ctx, deps, 'delivery_created', { type: 'delivery', id: d.id }, { name: d.internalName, template, templateId, ...(gallery ? { gallery } : {}) }),
      );
      ctx.status = 303;
      ctx.redirect(`/deliveries/${d.id}?notice=created`);
    } catch (err) {
      if (!isHeraldError(err) || err.code !== 'DELIVERY_EXISTS') throw err;
      ctx.status = 409;
      await formPage(ctx, { form, template, templateId: templateId ?? undefined, errors: { internalName: 'deliveries.error.name_taken' } });
    }
  };
  router.post('/deliveries', need('prepare_deliveries', log), (ctx) => create(ctx, false));
  router.post('/deliveries/templates', need('prepare_deliveries', log), (ctx) => create(ctx, true));

  router.get('/deliveries/:id', async (ctx) => void (await renderDeliveryPage(deps, ctx)));

  const editPage = async (ctx: ConsoleContext, visual: boolean) => {
    const d = await findDelivery(db, id(ctx.params.id) ?? 0);
    if (!d) return;
    const editable = availableActions(d, ctx.state.operator!.rights, deps.clock()).includes('edit');
    await formPage(ctx, {
      form: formOfDelivery(d),
      deliveryId: d.id,
      template: d.isTemplate,
      error: editable ? undefined : t('deliveries.not_editable'),
      visual,
    });
  };
  router.get('/deliveries/:id/edit', need('prepare_deliveries', log), (ctx) => editPage(ctx, false));
  router.get('/deliveries/:id/visual', need('prepare_deliveries', log), (ctx) => editPage(ctx, true));

  router.post('/deliveries/:id', need('prepare_deliveries', log), async (ctx) => {
    const d = await findDelivery(db, id(ctx.params.id) ?? 0);
    if (!d) return;
    const { form, input } = await checked(ctx, false, d.isTemplate, d.id);
    if (!input) return;
    const { kind: _kind, ...values } = input;
    const edit: DeliveryEdit = { ...values, serviceId: input.target.kind === 'service' ? input.target.serviceId : null };
    try {
      await editDelivery(tools.delivery, d.id, edit, deps.clock());
    } catch (err) {
      if (!isHeraldError(err) || err.code !== 'DELIVERY_STATE') throw err;
      ctx.status = 409;
      return formPage(ctx, { form, deliveryId: d.id, template: d.isTemplate, error: err.message });
    }
    await recordAudit(db, auditOf(ctx, deps, 'delivery_updated', { type: 'delivery', id: d.id }, { name: d.internalName }));
    ctx.status = 303;
    ctx.redirect(`/deliveries/${d.id}?notice=saved`);
  });
  return router;
}
