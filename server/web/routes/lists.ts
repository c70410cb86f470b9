import Router from '@koa/router';
import { isUniqueViolation } from '../../db/errors.js';
import { countMembers, createList, findList, listMembersPage, listsWithCounts, updateList, type ListValues } from '../../db/repos/lists.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id } from '../console/forms.js';
import { parseListForm } from '../forms/list-form.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const PAGE = 50;

/** Static lists: list with member counts, members by keyset pages, create and edit (right `prepare_deliveries`). */
export function listRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  const formPage = (ctx: ConsoleContext, data: { values: Partial<ListValues>; errors?: Record<string, string>; listId?: number }) =>
    render(ctx, '/admin/lists/form', { title: t(data.listId ? 'lists.edit' : 'lists.new'), errors: {}, ...data });

  /** Saves a new or existing list; a taken name is shown on the form. */
  const save = async (ctx: ConsoleContext, listId: number | undefined) => {
    const { values, errors } = parseListForm(bodyOf(ctx.request));
    if (Object.keys(errors).length === 0) {
      try {
        const target = { type: 'list', id: listId };
        const saved = listId
          ? (await updateList(db, listId, values, auditOf(ctx, deps, 'list_updated', target, { name: values.name })), listId)
          : (await createList(db, values, auditOf(ctx, deps, 'list_created', target, { name: values.name }))).id;
        ctx.status = 303;
        return ctx.redirect(`/lists/${saved}?notice=${listId ? 'saved' : 'created'}`);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        errors.name = 'form.error.name_taken';
      }
    }
    ctx.status = 400;
    formPage(ctx, { listId, values, errors });
  };

  router.get('/lists', async (ctx) => render(ctx, '/admin/lists/list', { title: t('lists.title'), rows: await listsWithCounts(db) }));
  router.get('/lists/new', need('prepare_deliveries', log), (ctx) => formPage(ctx, { values: {} }));
  router.post('/lists', need('prepare_deliveries', log), (ctx) => save(ctx, undefined));

  router.get('/lists/:id', async (ctx) => {
    const list = await findList(db, id(ctx.params.id) ?? 0);
    if (!list) return;
    const after = id(ctx.query.after) ?? 0;
    const members = await listMembersPage(db, list.id, after, PAGE);
    render(ctx, '/admin/lists/show', {
      title: list.label,
      list,
      count: await countMembers(db, list.id),
      members: members.rows,
      next: members.next,
      paged: after > 0,
    });
  });

  router.get('/lists/:id/edit', need('prepare_deliveries', log), async (ctx) => {
    const list = await findList(db, id(ctx.params.id) ?? 0);
    if (list) formPage(ctx, { listId: list.id, values: list.get({ plain: true }) });
  });

  router.post('/lists/:id', need('prepare_deliveries', log), async (ctx) => {
    const list = await findList(db, id(ctx.params.id) ?? 0);
    if (list) await save(ctx, list.id);
  });
  return router;
}
