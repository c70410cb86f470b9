import Router from '@koa/router';
import { auditPage } from '../../db/repos/audit.js';
import { auditTargetNames } from '../../db/repos/audit-names.js';
import { findOperator } from '../../db/repos/operators.js';
import { AUDIT_ACTIONS } from '../../shared/audit-actions.js';
import { auditLine, auditRefs } from '../console/audit-sentence.js';
import type { ConsoleDeps } from '../console/deps.js';
import { id } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleState } from '../state.js';

const PAGE = 50;

/** The audit log viewer, for administrators: newest first, filtered by action and operator. */
export function auditRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('admin', deps.log));
  router.get('/audit', async (ctx) => {
    const action = typeof ctx.query.action === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(ctx.query.action) ? ctx.query.action : '';
    const login = typeof ctx.query.login === 'string' ? ctx.query.login.trim().toLowerCase().slice(0, 64) : '';
    const operator = login ? await findOperator(deps.db, login) : null;
    const rows = login && !operator ? [] : await auditPage(deps.db, { action: action || undefined, operatorId: operator?.id }, id(ctx.query.before), PAGE + 1);
    const page = rows.slice(0, PAGE);
    const names = await auditTargetNames(deps.db, auditRefs(page));
    const lines = page.map((r) => auditLine(r, names, deps.t));
    const next = rows.length > PAGE ? new URLSearchParams({ action, login, before: String(page[page.length - 1]!.id) }).toString() : undefined;
    deps.render(ctx, '/admin/audit/list', { title: deps.t('audit.title'), lines, actions: AUDIT_ACTIONS, action, login, next });
  });
  return router;
}
