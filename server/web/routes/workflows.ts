import Router from '@koa/router';
import { recordAudit } from '../../db/repos/audit.js';
import { runPage, type RunCursor } from '../../db/repos/workflow-runs.js';
import { findWorkflowById, latestRuns, listWorkflows } from '../../db/repos/workflows.js';
import type { AuditAction } from '../../shared/audit-actions.js';
import { isHeraldError } from '../../shared/errors.js';
import { changeState, TRANSITIONS, type WorkflowAction } from '../../workflows/lifecycle.js';
import { listAbTests } from '../../db/repos/ab-tests.js';
import { confirmAbTest } from '../../workflows/marketing/ab-confirm.js';
import { abTestView } from '../console/ab-test-view.js';
import { decodeCursor, encodeCursor, isObject } from '../console/cursor.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { id } from '../console/forms.js';
import { need, requireOperator } from '../middleware/access.js';
import { diagramOf } from './workflow-editor.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const PAGE = 50;
const ACTIONS: readonly WorkflowAction[] = ['start', 'pause', 'stop'];
const AUDIT: Record<WorkflowAction, AuditAction> = { start: 'workflow_started', pause: 'workflow_paused', stop: 'workflow_stopped' };
const isRunCursor = (v: unknown): v is { at: string; id: number } =>
  isObject(v) && typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)) && Number.isSafeInteger(v.id);

/**
 * Workflows (right `workflow`): the list with each one's last run, one workflow's run journal
 * (keyset pages), and start / pause / stop (POST, audited) through the workflow lifecycle the CLI
 * uses; the workflow server follows the new state at its next poll.
 */
export function workflowRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('workflow', log));

  router.get('/workflows', async (ctx) => {
    const workflows = await listWorkflows(db);
    const last = await latestRuns(
      db,
      workflows.map((w) => w.id),
    );
    render(ctx, '/admin/workflows/list', {
      title: t('workflows.title'),
      rows: workflows.map((w) => ({ workflow: w, last: last.get(w.id) ?? null, actions: ACTIONS.filter((a) => TRANSITIONS[a].from.includes(w.state)) })),
    });
  });

  const showPage = async (ctx: ConsoleContext, extra: { error?: string } = {}) => {
    const wf = await findWorkflowById(db, id(ctx.params.id) ?? 0);
    if (!wf) return;
    const cursor = decodeCursor(ctx.query.before, isRunCursor);
    const before: RunCursor | undefined = cursor ? { startedAt: new Date(cursor.at), id: cursor.id } : undefined;
    const { rows, next } = await runPage(db, wf.id, before, PAGE);
    const nextCursor = next ? encodeCursor({ at: next.startedAt.toISOString(), id: next.id }) : undefined;
    const abTests = wf.kind === 'marketing' ? (await listAbTests(db, { workflowId: wf.id, limit: 20 })).map(({ test }) => abTestView(test)) : [];
    render(ctx, '/admin/workflows/show', {
      title: wf.label,
      workflow: wf,
      runs: rows,
      abTests,
      diagram: wf.kind === 'marketing' && wf.definition ? await diagramOf(deps, wf, false) : undefined,
      stylesheets: abTests.length ? ['ab-tests.css'] : [],
      nextCursor,
      paged: Boolean(before),
      actions: ACTIONS.filter((a) => TRANSITIONS[a].from.includes(wf.state)),
      ...extra,
    });
  };
  router.get('/workflows/:id', (ctx) => showPage(ctx));

  for (const action of ACTIONS) {
    router.post(`/workflows/:id/${action}`, async (ctx) => {
      const wf = await findWorkflowById(db, id(ctx.params.id) ?? 0);
      if (!wf) return;
      try {
        const change = await changeState(db, wf, action, deps.clock(), ctx.state.operator!.login);
        await recordAudit(db, auditOf(ctx, deps, AUDIT[action], { type: 'workflow', id: wf.id }, { name: wf.name, ...change }));
        log.info('WF_STATE_CHANGED', { workflow: wf.name, from: change.from, to: change.to, by: ctx.state.operator!.login });
      } catch (err) {
        if (!isHeraldError(err)) throw err;
        ctx.status = err.hints.status ?? 409;
        return showPage(ctx, { error: err.message });
      }
      ctx.status = 303;
      ctx.redirect(`/workflows/${wf.id}?notice=workflow_changed`);
    });
  }

  router.post('/workflows/:id/ab-tests/:test/confirm', async (ctx) => {
    const wf = await findWorkflowById(db, id(ctx.params.id) ?? 0);
    const testId = id(ctx.params.test);
    if (!wf || testId === undefined) return;
    const test = (await listAbTests(db, { workflowId: wf.id, limit: 1000 })).find((l) => l.test.id === testId);
    if (!test) return;
    try {
      const confirmed = await confirmAbTest(db, testId, ctx.state.operator!.login, deps.clock());
      await recordAudit(
        db,
        auditOf(ctx, deps, 'ab_test_confirmed', { type: 'workflow', id: wf.id }, { name: wf.name, test: testId, winner: confirmed.winner }),
      );
      log.info('WF_AB_CONFIRMED', { workflow: wf.name, testId, winner: confirmed.winner, by: ctx.state.operator!.login });
    } catch (err) {
      if (!isHeraldError(err)) throw err;
      ctx.status = err.hints.status ?? 409;
      return showPage(ctx, { error: err.message });
    }
    ctx.status = 303;
    ctx.redirect(`/workflows/${wf.id}?notice=ab_test_confirmed`);
  });
  return router;
}
