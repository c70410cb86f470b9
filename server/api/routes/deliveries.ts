import type { Database } from '../../db/connect.js';
import { broadLogStatusCounts } from '../../db/repos/delivery-counters.js';
import { indicatorsOf } from '../../db/repos/delivery-reports.js';
import { findDelivery, listDeliveries } from '../../db/repos/deliveries.js';
import { findList, findListNamed } from '../../db/repos/lists.js';
import { findService, findServiceNamed } from '../../db/repos/services.js';
import type { Delivery } from '../../db/models/index.js';
import { createNewDelivery, pauseDelivery, resumeDelivery, startDelivery, stopDelivery } from '../../delivery/actions.js';
import { analyseDelivery } from '../../delivery/analyse.js';
import { DEFAULT_EXCLUSIONS, parseCondition, type TargetSpec } from '../../delivery/target-spec.js';
import { complaintRate } from '../../shared/delivery-counters.js';
import { DELIVERY_KINDS, DELIVERY_STATES, type DeliveryKind, type DeliveryState } from '../../shared/glossary.js';
import { iso, notFound, type ApiRequest, type ApiResponse, type ApiRoute } from '../route.js';
import type { Schema } from '../schema.js';
import { anyObject, dateTime, emailOf, errorSchema, flag, id, idOrName, text } from './common.js';

/** Deliveries: create, analyse, start (tracking URLs pushed first), pause, resume, stop, status and indicators. */

const createBody: Schema = {
  type: 'object',
  properties: {
    internalName: { type: 'string', pattern: '^(?!\\d+$)[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
    label: text(255),
    subject: text(998),
    fromName: text(255, true),
    fromAddress: text(320),
    replyTo: text(320, true),
    html: text(2_000_000, true),
    text: text(1_000_000, true),
    headers: { type: 'object', additionalProperties: { type: 'string', maxLength: 998 }, maxProperties: 20 },
    target: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['service', 'list', 'all'] },
        service: text(100),
        list: text(100),
        filter: { ...anyObject, description: "Herald's recipient condition language" },
      },
      required: ['kind'],
    },
    service: { ...text(100), description: 'the service its unsubscribe link leaves (default: the target service)' },
    tracking: flag,
    openTracking: flag,
    keepDuplicates: flag,
    limit: { type: 'integer', minimum: 1 },
    scheduledAt: dateTime(),
    validityEnd: dateTime(),
  },
  required: ['internalName', 'label', 'subject', 'fromAddress', 'target'],
};

const deliverySchema: Schema = {
  type: 'object',
  additionalProperties: true,
  description: 'state, dates, counters (spam complaints apart from failures, with their rate per message sent), messages by status and tracking indicators',
};

async function idOf(db: Database, kind: 'service' | 'list', ref: string | undefined): Promise<number> {
  const key = idOrName(ref ?? '');
  const row =
    kind === 'service'
      ? await (typeof key === 'number' ? findService(db, key) : findServiceNamed(db, key))
      : await (typeof key === 'number' ? findList(db, key) : findListNamed(db, key));
  if (!row) throw notFound(kind);
  return row.id;
}

async function targetOf(db: Database, t: { kind: 'service' | 'list' | 'all'; service?: string; list?: string; filter?: unknown }): Promise<TargetSpec> {
  const filter = t.filter === undefined ? undefined : parseCondition(t.filter);
  if (t.kind === 'all') return { kind: 'all', filter };
  if (t.kind === 'service') return { kind: 'service', serviceId: await idOf(db, 'service', t.service), filter };
  return { kind: 'list', listId: await idOf(db, 'list', t.list), filter };
}

async function view(db: Database, d: Delivery): Promise<Record<string, unknown>> {
  const messages = (await broadLogStatusCounts(db, [d.id])).get(d.id) ?? {};
  const ind = await indicatorsOf(db, d.id);
  const indicators = ind
    ? {
        opens: ind.recipientOpens,
        estimatedOpens: ind.estimatedOpens,
        clicks: ind.recipientClicks,
        totalClicks: ind.totalClicks,
        optOuts: ind.optOuts,
        mirrorViews: ind.mirrorViews,
        reactivity: ind.rawReactivity,
        clickThrough: ind.clickThrough,
        computedAt: iso(ind.computedAt),
      }
    : null;
  const counters = {
    totalTarget: d.totalTarget,
    excluded: d.excluded,
    toDeliver: d.toDeliver,
    processed: d.processed,
    sent: d.sent,
    failed: d.failed,
    newQuarantine: d.newQuarantine,
    /** Spam complaints (feedback loops): the messages stay sent; rate per message sent (Gmail: keep it below 0.003). */
    complaints: d.complaints,
    complaintRate: Math.round(complaintRate(d) * 10_000) / 10_000,
  };
  const dates = {
    scheduledAt: iso(d.scheduledAt),
    analysedAt: iso(d.analysedAt),
    startedAt: iso(d.startedAt),
    finishedAt: iso(d.finishedAt),
    validityEnd: iso(d.validityEnd),
  };
  const issues = ((d.analysis as { issues?: unknown[] } | null)?.issues ?? []) as unknown[];
  return {
    id: d.id,
    internalName: d.internalName,
    label: d.label,
    kind: d.kind,
    state: d.state,
    ...dates,
    counters,
    messages,
    indicators,
    issues,
    lastError: d.lastError,
  };
}

async function current(req: ApiRequest, status = 200): Promise<ApiResponse> {
  const d = await findDelivery(req.deps.db, req.params.id as number);
  if (!d || d.isTemplate) throw notFound('delivery');
  return { status, body: await view(req.deps.db, d) };
}

/** An action on the delivery of the path, answered with its new status. */
const action = (path: string, summary: string, run: (req: ApiRequest) => Promise<unknown>): ApiRoute => ({
  method: 'POST',
  path: `/deliveries/{id}/${path}`,
  scope: 'deliveries:write',
  tag: 'deliveries',
  summary,
  params: { id },
  responses: {
    200: { description: 'the delivery after the action', schema: deliverySchema },
    404: { description: 'no such delivery', schema: errorSchema },
    409: { description: 'not allowed in its state', schema: errorSchema },
  },
  async handle(req) {
    await current(req);
    await run(req);
    return current(req);
  },
});

export const deliveryRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/deliveries',
    scope: 'deliveries:write',
    tag: 'deliveries',
    summary: 'Create a marketing delivery (state editing; analyse, then start)',
    body: createBody,
    responses: {
      201: { description: 'the delivery', schema: deliverySchema },
      400: { description: 'invalid', schema: errorSchema },
      409: { description: 'the internal name is taken', schema: errorSchema },
    },
    async handle(req) {
      const b = req.body as Record<string, unknown> & { target: Parameters<typeof targetOf>[1] };
      const d = await createNewDelivery(req.deps.delivery, {
        internalName: b.internalName as string,
        label: b.label as string,
        kind: 'marketing',
        subject: b.subject as string,
        fromName: (b.fromName as string | null | undefined) ?? null,
        fromAddress: emailOf(b.fromAddress as string, 'fromAddress'),
        replyTo: b.replyTo ? emailOf(b.replyTo as string, 'replyTo') : null,
        html: (b.html as string | null | undefined) ?? null,
        text: (b.text as string | null | undefined) ?? null,
        headers: (b.headers as Record<string, string> | undefined) ?? {},
        target: await targetOf(req.deps.db, b.target),
        exclusions: { ...DEFAULT_EXCLUSIONS, duplicates: !b.keepDuplicates, limit: (b.limit as number | undefined) ?? null },
        serviceId: b.service ? await idOf(req.deps.db, 'service', b.service as string) : null,
        trackingEnabled: b.tracking !== false,
        openTracking: b.openTracking !== false,
        scheduledAt: b.scheduledAt ? new Date(b.scheduledAt as string) : null,
        validityEnd: b.validityEnd ? new Date(b.validityEnd as string) : null,
      });
      return { status: 201, body: await view(req.deps.db, d) };
    },
  },
  {
    method: 'GET',
    path: '/deliveries',
    scope: 'deliveries:read',
    tag: 'deliveries',
    summary: 'The latest deliveries, newest first',
    query: {
      state: { type: 'string', enum: DELIVERY_STATES },
      kind: { type: 'string', enum: DELIVERY_KINDS },
      limit: { type: 'integer', minimum: 1, maximum: 500 },
    },
    responses: { 200: { description: 'the deliveries', schema: { type: 'object', properties: { deliveries: { type: 'array', items: deliverySchema } } } } },
    async handle(req) {
      const q = req.query as { state?: DeliveryState; kind?: DeliveryKind; limit?: number };
      const rows = await listDeliveries(req.deps.db, { states: q.state ? [q.state] : undefined, kind: q.kind, limit: q.limit ?? 50 });
      return {
        status: 200,
        body: {
          deliveries: rows.map((d) => ({
            id: d.id,
            internalName: d.internalName,
            label: d.label,
            kind: d.kind,
            state: d.state,
            startedAt: iso(d.startedAt),
            sent: d.sent,
            failed: d.failed,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/deliveries/{id}',
    scope: 'deliveries:read',
    tag: 'deliveries',
    summary: 'Status, counters, messages by status and indicators of a delivery',
    params: { id },
    responses: { 200: { description: 'the delivery', schema: deliverySchema }, 404: { description: 'no such delivery', schema: errorSchema } },
    handle: (req) => current(req),
  },
  action('analyse', 'Analyse: target, exclusions, control rules, pending messages', (req) =>
    analyseDelivery(req.deps.delivery, req.params.id as number, { now: req.deps.clock }),
  ),
  action('start', 'Start an analysed delivery (its tracking URLs are pushed to the tracking servers first)', (req) =>
    startDelivery(req.deps.delivery, req.params.id as number, req.now, { beforeStart: (d) => req.deps.publishUrls(d.id) }),
  ),
  action('pause', 'Pause sending', (req) => pauseDelivery(req.deps.delivery, req.params.id as number, req.now)),
  action('resume', 'Resume a paused delivery', (req) => resumeDelivery(req.deps.delivery, req.params.id as number, req.now)),
  action('stop', 'Stop for good (pending messages are cancelled)', (req) => stopDelivery(req.deps.delivery, req.params.id as number, req.now)),
];
