import { createTask } from '../../db/repos/workflow-tasks.js';
import { recipientIdsByEmail } from '../../db/repos/workflow-recipient-data.js';
import { findWorkflow } from '../../db/repos/workflows.js';
import { recordAudit } from '../../db/repos/audit.js';
import { normalizeAddress } from '../../shared/email-address.js';
import type { WorkflowDefinition } from '../../workflows/marketing/definition.js';
import { entryOf } from '../../workflows/marketing/graph.js';
import { ApiError, auditOf, notFound, type ApiRoute } from '../route.js';
import { errorSchema } from './common.js';

/** Signals: an external system starts a marketing workflow whose entry is a Signal activity. */

const MAX_RECIPIENTS = 10_000;

export const workflowRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/workflows/{name}/signal',
    scope: 'workflows:write',
    tag: 'workflows',
    summary:
      'Starts a wave of a started workflow whose entry is a Signal activity, at the workflow server’s next poll: with `recipients` (addresses) that population, else the workflow’s first Query selects it',
    params: { name: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9_-]{0,99}$' } },
    body: {
      type: 'object',
      properties: { recipients: { type: 'array', items: { type: 'string', maxLength: 320 }, maxItems: MAX_RECIPIENTS } },
    },
    responses: {
      202: {
        description: 'the signal is queued',
        schema: {
          type: 'object',
          properties: {
            workflow: { type: 'string' },
            taskId: { type: 'integer' },
            recipients: { type: 'integer', nullable: true },
            unknown: { type: 'array', items: { type: 'string' } },
          },
        },
      },
      404: { description: 'no such workflow', schema: errorSchema },
      409: { description: 'the workflow is not started, or its entry is not a Signal', schema: errorSchema },
      422: { description: 'addresses were given and none is a recipient', schema: errorSchema },
    },
    async handle(req) {
      const { db } = req.deps;
      const wf = await findWorkflow(db, req.params.name as string);
      if (!wf || wf.kind !== 'marketing') throw notFound('workflow');
      const def = wf.definition as WorkflowDefinition | null;
      const entry = def ? entryOf(def) : undefined;
      if (entry?.type !== 'signal')
        throw new ApiError(409, 'WF_NOT_SIGNAL', `workflow "${wf.name}" does not start on a signal (its entry is ${entry?.type ?? 'missing'})`);
      if (wf.state !== 'started') throw new ApiError(409, 'WF_BAD_STATE', `workflow "${wf.name}" is ${wf.state}: start it before signalling it`);
      const given = (req.body as { recipients?: string[] } | undefined)?.recipients;
      const emails = given?.map(normalizeAddress);
      const ids = emails ? await recipientIdsByEmail(db, emails) : undefined;
      const members = ids ? [...new Set(emails!.filter((e) => ids.has(e)).map((e) => ids.get(e)!))] : [];
      const unknown = emails ? [...new Set(emails.filter((e) => !ids!.has(e)))] : [];
      if (emails && members.length === 0) throw new ApiError(422, 'NO_KNOWN_RECIPIENT', 'none of the addresses given is a recipient: nothing to start');
      const context = { signal: { by: `api:${req.key.name}`, recipients: emails ? members.length : null } };
      const taskId = await createTask(db, { workflowId: wf.id, activity: entry.id, dueAt: req.now, context, members, originRunId: null, now: req.now });
      await recordAudit(
        db,
        auditOf(req, 'workflow_signalled', { type: 'workflow', id: wf.id }, { name: wf.name, taskId, recipients: emails ? members.length : null }),
      );
      req.deps.log.info('WF_SIGNALLED', { workflow: wf.name, taskId, by: req.key.name, recipients: emails ? members.length : null });
      return { status: 202, body: { workflow: wf.name, taskId, recipients: emails ? members.length : null, unknown: unknown.slice(0, 100) } };
    },
  },
];
