import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import { recordAudit } from '../../db/repos/audit.js';
import { allLists, changeListMember, findList } from '../../db/repos/lists.js';
import {
  findRecipient,
  quarantineOf,
  recipientBroadLogs,
  recipientHistory,
  recipientLists,
  recipientSubscriptions,
  trackingOfBroadLogs,
  updateRecipient,
} from '../../db/repos/recipient-details.js';
import { SEARCH_MODES, searchRecipients, type SearchCursor, type SearchMode } from '../../db/repos/recipient-search.js';
import { allServices, changeSubscription, findService } from '../../db/repos/services.js';
import { exportRecipientsCsv } from '../../recipients/export-csv.js';
import { describeError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, isObject } from '../console/cursor.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text } from '../console/forms.js';
import { languageName, recipientLanguageChoices } from '../i18n/language-names.js';
import { TIME_ZONE_CHOICES } from '../forms/preferences-form.js';
import { parseRecipientForm } from '../forms/recipient-form.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const PAGE = 50;
const isCursor = (v: unknown): v is SearchCursor => isObject(v) && typeof v.value === 'string' && v.value.length <= 400 && Number.isSafeInteger(v.id);

/**
 * Recipients: keyset search and pages, one recipient's page, edit, subscriptions and list
 * membership changes, and CSV export. Viewing needs a login; changes need `import`, export `export`.
 */
export function recipientRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator());

  router.get('/recipients', async (ctx) => {
    const mode: SearchMode = (SEARCH_MODES as readonly string[]).includes(String(ctx.query.by)) ? (ctx.query.by as SearchMode) : 'email';
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim().slice(0, 320) : '';
    const after = decodeCursor(ctx.query.after, isCursor);
    const { rows, next } = await searchRecipients(db, { mode, text: q, after, limit: PAGE });
    const nextQuery = next ? new URLSearchParams({ by: mode, q, after: encodeCursor(next) }).toString() : undefined;
    render(ctx, '/admin/recipients/list', {
      title: t('recipients.title'),
      rows,
      mode,
      modes: SEARCH_MODES,
      q,
      nextQuery,
      paged: Boolean(after),
      total: await deps.recipientTotal(),
    });
  });

  router.post('/recipients/export', need('export', log), async (ctx) => {
    await recordAudit(db, auditOf(ctx, deps, 'recipients_exported', { type: 'recipients' }));
    const out = new PassThrough();
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`recipients-${deps.clock().toISOString().slice(0, 10)}.csv`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = out;
    exportRecipientsCsv(db, out).then(
      () => out.end(),
      (err) => {
        log.error('WEB_REQUEST_FAILED', { method: ctx.method, path: ctx.path, status: 500, err: describeError(err) });
        out.destroy(err);
      },
    );
  });

  router.get('/recipients/:id', async (ctx) => {
    const recipient = await findRecipient(db, id(ctx.params.id) ?? 0);
    if (!recipient) return;
    const broadLogs = await recipientBroadLogs(db, recipient.id, 20);
    render(ctx, '/admin/recipients/show', {
      title: recipient.email,
      recipient,
      subscriptions: await recipientSubscriptions(db, recipient.id),
      lists: await recipientLists(db, recipient.id),
      history: await recipientHistory(db, recipient.id, 20),
      broadLogs,
      tracking: await trackingOfBroadLogs(
        db,
        broadLogs.map((b) => b.id),
        50,
      ),
      quarantine: await quarantineOf(db, recipient.email),
      services: await allServices(db),
      allLists: await allLists(db),
      languageName,
    });
  });

  const editPage = (ctx: ConsoleContext, data: Record<string, unknown>) =>
    render(ctx, '/admin/recipients/edit', {
      title: t('recipients.edit'),
      errors: {},
      zones: TIME_ZONE_CHOICES,
      languages: recipientLanguageChoices(),
      ...data,
    });

  router.get('/recipients/:id/edit', need('import', log), async (ctx) => {
    const recipient = await findRecipient(db, id(ctx.params.id) ?? 0);
    if (recipient) editPage(ctx, { recipientId: recipient.id, values: recipient.get({ plain: true }) });
  });

  router.post('/recipients/:id', need('import', log), async (ctx) => {
    const recipient = await findRecipient(db, id(ctx.params.id) ?? 0);
    if (!recipient) return;
    const { values, errors, emailProblem } = parseRecipientForm(bodyOf(ctx.request));
    const audit = auditOf(ctx, deps, 'recipient_updated', { type: 'recipient', id: recipient.id }, { email: values.email });
    if (Object.keys(errors).length === 0 && !(await updateRecipient(db, recipient.id, values, audit))) errors.email = 'recipients.error.email_taken';
    if (Object.keys(errors).length > 0) return void ((ctx.status = 400), editPage(ctx, { recipientId: recipient.id, values, errors, emailProblem }));
    ctx.status = 303;
    ctx.redirect(`/recipients/${recipient.id}?notice=saved`);
  });

  router.post('/recipients/:id/subscriptions', need('import', log), async (ctx) => {
    const body = bodyOf(ctx.request);
    const recipient = await findRecipient(db, id(ctx.params.id) ?? 0);
    const service = await findService(db, id(text(body, 'service', 12)) ?? 0);
    if (!recipient || !service) return;
    const change = text(body, 'change', 12) === 'unsubscribe' ? 'unsubscribe' : 'subscribe';
    const audit = auditOf(
      ctx,
      deps,
      change === 'subscribe' ? 'recipient_subscribed' : 'recipient_unsubscribed',
      { type: 'recipient', id: recipient.id },
      { service: service.name },
    );
    const changed = await changeSubscription(db, { serviceId: service.id, recipientId: recipient.id, change, origin: 'console' }, audit);
    ctx.status = 303;
    ctx.redirect(`/recipients/${recipient.id}?notice=${changed ? `${change}d` : 'nothing_changed'}`);
  });

  router.post('/recipients/:id/lists', need('import', log), async (ctx) => {
    const body = bodyOf(ctx.request);
    const recipient = await findRecipient(db, id(ctx.params.id) ?? 0);
    const list = await findList(db, id(text(body, 'list', 12)) ?? 0);
    if (!recipient || !list) return;
    const add = text(body, 'change', 12) !== 'remove';
    const audit = auditOf(ctx, deps, add ? 'list_member_added' : 'list_member_removed', { type: 'recipient', id: recipient.id }, { list: list.name });
    const changed = await changeListMember(db, { listId: list.id, recipientId: recipient.id, add }, audit);
    ctx.status = 303;
    ctx.redirect(`/recipients/${recipient.id}?notice=${changed ? (add ? 'member_added' : 'member_removed') : 'nothing_changed'}`);
  });
  return router;
}
