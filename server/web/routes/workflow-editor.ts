import Router from '@koa/router';
import type { Workflow } from '../../db/models/index.js';
import { recordAudit } from '../../db/repos/audit.js';
import { createTask } from '../../db/repos/workflow-tasks.js';
import { createDraftWorkflow, listVersions, saveDraft } from '../../db/repos/workflow-versions.js';
import { findWorkflowById, listRuns } from '../../db/repos/workflows.js';
import { draftProblems, type Activity, type ActivityType, type WorkflowDefinition } from '../../workflows/marketing/definition.js';
import { addActivity, linkableOutputs, removeActivity, replaceActivity } from '../../workflows/marketing/editing.js';
import { entryOf } from '../../workflows/marketing/graph.js';
import { workflowDiagram } from '../console/charts/workflow-diagram.js';
import { auditOf, type ConsoleDeps } from '../console/deps.js';
import { bodyOf, id, text } from '../console/forms.js';
import { ACTIVITY_FIELDS, ACTIVITY_TYPES, activityFormValues, parseActivityForm, type ActivityErrors } from '../forms/activity-form.js';
import { need, requireOperator } from '../middleware/access.js';
import type { ConsoleContext, ConsoleState } from '../state.js';

const ACTIVITY_ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const WORKFLOW_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/;
/** Runs whose transition counts the diagram adds up. */
const RECENT_RUNS = 20;

/** The definition the editor works on: the draft, else the current version. */
export function workingCopy(wf: Workflow): WorkflowDefinition {
  const d = (wf.draft ?? wf.definition) as WorkflowDefinition | null;
  return d && Array.isArray(d.activities) ? d : { activities: [] };
}

/** Recipients per transition ("from->to"), added up over runs of one version. */
export function transitionCounts(runs: ReadonlyArray<{ counts: Record<string, number> | null; version: number | null }>, version: number | null) {
  const out: Record<string, number> = {};
  for (const r of runs) if (r.version === version) for (const [k, v] of Object.entries(r.counts ?? {})) if (k.includes('->')) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The diagram of what a workflow runs (its version, with the counts of its last runs), or of the draft being edited. */
export async function diagramOf(deps: ConsoleDeps, wf: Workflow, draft: boolean): Promise<string> {
  const def = draft ? workingCopy(wf) : ((wf.definition as WorkflowDefinition | null) ?? { activities: [] });
  const counts = draft ? {} : transitionCounts(await listRuns(deps.db, wf.id, RECENT_RUNS), wf.version);
  const title = deps.t(draft ? 'wfeditor.diagram_draft' : 'wfeditor.diagram', { name: wf.label, version: wf.version ?? 0 });
  return workflowDiagram({ title, activities: def.activities, counts, href: (a) => `/workflows/${wf.id}/activities/${encodeURIComponent(a)}` });
}

/**
 * The workflow editor (right `workflow`): create a marketing workflow, add, link, configure and
 * remove its activities on a draft drawn as a diagram, and ask a started workflow to run now. Every
 * change is a validated form post (CSRF-checked by the console), audited; the draft becomes the
 * next version when the workflow is started (server/workflows/lifecycle.ts), so a running workflow
 * keeps the version it started with.
 */
export function workflowEditorRoutes(deps: ConsoleDeps): Router<ConsoleState> {
  const { db, log, render, t } = deps;
  const router = new Router<ConsoleState>();
  router.use(requireOperator(), need('workflow', log));

  const marketing = async (ctx: ConsoleContext) => {
    const wf = await findWorkflowById(db, id(ctx.params.id) ?? 0);
    return wf?.kind === 'marketing' ? wf : null;
  };
  const audit = (ctx: ConsoleContext, wf: Workflow, detail: Record<string, unknown>) =>
    recordAudit(db, auditOf(ctx, deps, 'workflow_edited', { type: 'workflow', id: wf.id }, { name: wf.name, ...detail }));

  const newForm = (ctx: ConsoleContext, values: { name: string; label: string }, errors: Record<string, string>) =>
    render(ctx, '/admin/workflows/new', { title: t('wfeditor.new'), values, errors });
  router.get('/workflows/new', (ctx) => newForm(ctx, { name: '', label: '' }, {}));
  router.post('/workflows/new', async (ctx) => {
    const body = bodyOf(ctx.request);
    const values = { name: text(body, 'name', 100), label: text(body, 'label', 255) };
    const errors: Record<string, string> = {};
    if (!WORKFLOW_NAME.test(values.name)) errors.name = 'wfeditor.error.name';
    if (!values.label) errors.label = 'form.error.required';
    const created = Object.keys(errors).length ? null : await createDraftWorkflow(db, { ...values, draft: { activities: [{ id: 'start', type: 'start' }] } });
    if (created === null) {
      if (!errors.name && !errors.label) errors.name = 'wfeditor.error.name_taken';
      ctx.status = 422;
      return newForm(ctx, values, errors);
    }
    await recordAudit(db, auditOf(ctx, deps, 'workflow_created', { type: 'workflow', id: created }, { name: values.name }));
    ctx.status = 303;
    ctx.redirect(`/workflows/${created}/edit?notice=created`);
  });

  const editor = async (ctx: ConsoleContext, wf: Workflow, extra: { error?: string; addErrors?: Record<string, string>; values?: object } = {}) => {
    const def = workingCopy(wf);
    render(ctx, '/admin/workflows/editor', {
      title: t('wfeditor.title', { name: wf.label }),
      workflow: wf,
      activities: def.activities,
      diagram: await diagramOf(deps, wf, true),
      problems: draftProblems(def),
      hasDraft: wf.draft !== null && wf.draft !== undefined,
      types: ACTIVITY_TYPES,
      after: def.activities.flatMap((a) => linkableOutputs(a).map((key) => ({ value: `${a.id}:${key}`, from: a.id, key }))),
      versions: await listVersions(db, wf.id),
      values: { id: '', type: 'query', after: '', ...extra.values },
      addErrors: extra.addErrors ?? {},
      error: extra.error,
    });
  };
  router.get('/workflows/:id/edit', async (ctx) => {
    const wf = await marketing(ctx);
    if (wf) await editor(ctx, wf);
  });

  router.post('/workflows/:id/activities', async (ctx) => {
    const wf = await marketing(ctx);
    if (!wf) return;
    const body = bodyOf(ctx.request);
    const values = { id: text(body, 'id', 40), type: text(body, 'type', 20), after: text(body, 'after', 100) };
    const def = workingCopy(wf);
    const errors: Record<string, string> = {};
    if (!ACTIVITY_ID.test(values.id)) errors.id = 'wfeditor.error.activity_id';
    else if (def.activities.some((a) => a.id === values.id)) errors.id = 'wfeditor.error.activity_taken';
    if (!ACTIVITY_TYPES.includes(values.type as ActivityType)) errors.type = 'wfeditor.error.type';
    const [from, ...key] = values.after.split(':');
    const after = values.after ? { from: from!, key: key.join(':') } : undefined;
    if (after && !def.activities.some((a) => a.id === after.from && linkableOutputs(a).includes(after.key))) errors.after = 'wfeditor.error.after';
    if (Object.keys(errors).length) {
      ctx.status = 422;
      return editor(ctx, wf, { addErrors: errors, values });
    }
    const activity = { id: values.id, type: values.type } as Activity;
    await saveDraft(db, wf.id, addActivity(def, activity, after), deps.clock());
    await audit(ctx, wf, { added: values.id, type: values.type });
    ctx.status = 303;
    ctx.redirect(`/workflows/${wf.id}/activities/${values.id}?notice=created`);
  });

  const activityPage = (ctx: ConsoleContext, wf: Workflow, a: Activity, values: Record<string, unknown>, errors: ActivityErrors) => {
    const def = workingCopy(wf);
    render(ctx, '/admin/workflows/activity', {
      title: t('wfeditor.activity_title', { id: a.id, type: a.type }),
      workflow: wf,
      activity: a,
      fields: ACTIVITY_FIELDS[a.type],
      targets: def.activities.filter((o) => o.id !== a.id && o.type !== 'start' && o.type !== 'scheduler').map((o) => o.id),
      references: def.activities.filter((o) => o.type === 'delivery' && o.id !== a.id).map((o) => o.id),
      values,
      errors,
    });
  };
  const findActivity = (wf: Workflow, activityId: unknown) => workingCopy(wf).activities.find((a) => a.id === activityId);
  router.get('/workflows/:id/activities/:activity', async (ctx) => {
    const wf = await marketing(ctx);
    const a = wf && findActivity(wf, ctx.params.activity);
    if (wf && a) activityPage(ctx, wf, a, activityFormValues(a), {});
  });
  router.post('/workflows/:id/activities/:activity', async (ctx) => {
    const wf = await marketing(ctx);
    const a = wf && findActivity(wf, ctx.params.activity);
    if (!wf || !a) return;
    const body = bodyOf(ctx.request);
    const { activity, errors } = parseActivityForm(a.id, a.type, body);
    if (Object.keys(errors).length) {
      ctx.status = 422;
      const values = Object.fromEntries(Object.keys(activityFormValues(a)).map((k) => [k, text(body, k, 20_000)]));
      return activityPage(ctx, wf, a, values, errors);
    }
    await saveDraft(db, wf.id, replaceActivity(workingCopy(wf), activity), deps.clock());
    await audit(ctx, wf, { changed: a.id });
    ctx.status = 303;
    ctx.redirect(`/workflows/${wf.id}/edit?notice=saved`);
  });
  router.post('/workflows/:id/activities/:activity/remove', async (ctx) => {
    const wf = await marketing(ctx);
    const a = wf && findActivity(wf, ctx.params.activity);
    if (!wf || !a) return;
    await saveDraft(db, wf.id, removeActivity(workingCopy(wf), a.id), deps.clock());
    await audit(ctx, wf, { removed: a.id });
    ctx.status = 303;
    ctx.redirect(`/workflows/${wf.id}/edit?notice=saved`);
  });

  router.post('/workflows/:id/run', async (ctx) => {
    const wf = await marketing(ctx);
    if (!wf) return;
    if (wf.state !== 'started' || !wf.definition) {
      ctx.status = 409;
      return editor(ctx, wf, { error: t('wfeditor.error.run_not_started') });
    }
    const now = deps.clock();
    const entry = entryOf(wf.definition as WorkflowDefinition);
    await createTask(db, { workflowId: wf.id, activity: entry.id, dueAt: now, context: {}, members: [], originRunId: null, now });
    await recordAudit(db, auditOf(ctx, deps, 'workflow_run_requested', { type: 'workflow', id: wf.id }, { name: wf.name }));
    ctx.status = 303;
    ctx.redirect(`/workflows/${wf.id}?notice=run_requested`);
  });
  return router;
}
