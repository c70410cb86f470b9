import { findEvent, type StoredEvent } from '../../db/repos/events.js';
import { eventProblems, type EventRequest } from '../../events/event-input.js';
import { eventStatus } from '../../events/event-status.js';
import { requestHash } from '../../events/event-input.js';
import { normalizeAddress } from '../../shared/email-address.js';
import { EVENT_STATUSES } from '../../shared/glossary.js';
import { ApiError, invalid, iso, notFound, type ApiRoute } from '../route.js';
import type { Schema } from '../schema.js';
import { anyObject, errorSchema, id, text } from './common.js';

/**
 * Transactional events (Message Center): POST stores the event durably, then answers 202; a
 * retry with the same idempotency key (header Idempotency-Key or body idempotencyKey) gets the
 * same event back and sends nothing twice. GET follows the status of its message.
 */

const eventBody: Schema = {
  type: 'object',
  properties: {
    type: { ...text(64), description: 'the event type; its published template makes the message' },
    email: text(320),
    ctx: { ...anyObject, description: 'personalization data, read by the template as `event`' },
    emailFormat: { type: 'string', enum: ['html', 'text'] },
    idempotencyKey: text(100),
  },
  required: ['type', 'email'],
};

const eventSchema: Schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    type: { type: 'string' },
    email: { type: 'string' },
    status: { type: 'string', enum: EVENT_STATUSES },
    createdAt: { type: 'string' },
    message: { type: 'object', nullable: true, additionalProperties: true, description: 'its broad log: status, failure, attempts, sentAt' },
  },
};

const accepted = (e: StoredEvent) => ({
  id: e.id,
  type: e.type,
  email: e.email,
  status: e.status === 'routed' ? 'pending' : 'not_covered',
  createdAt: iso(e.createdAt),
});

export const eventRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/events',
    scope: 'events:write',
    tag: 'events',
    summary: 'Send a transactional message: the event is stored on disk before the 202',
    body: eventBody,
    responses: {
      202: { description: 'stored (status pending, or not_covered when no template is published for the type)', schema: eventSchema },
      200: { description: 'a retry: the event stored earlier with this idempotency key', schema: eventSchema },
      400: { description: 'invalid', schema: errorSchema },
      422: {
        description:
          'the event type is unknown (no template was ever published for it; see events.acceptUnknownTypes), or the idempotency key was used for another event',
        schema: errorSchema,
      },
      503: { description: 'not stored; retry with the same idempotency key', schema: errorSchema },
    },
    async handle(req) {
      const b = req.body as { type: string; email: string; ctx?: Record<string, unknown>; emailFormat?: 'html' | 'text'; idempotencyKey?: string };
      const idempotencyKey = b.idempotencyKey ?? (req.header('idempotency-key') || undefined);
      const event: EventRequest = { type: b.type, email: normalizeAddress(b.email), ctx: b.ctx ?? {}, emailFormat: b.emailFormat ?? 'html', idempotencyKey };
      const problems = eventProblems(event, { ctxMaxBytes: req.deps.config.events.ctxMaxKb * 1024 });
      if (problems.length) throw invalid(problems);
      if (!req.deps.config.events.acceptUnknownTypes && !(await req.deps.events.router.isKnown(event.type, req.deps.clock())))
        throw new ApiError(
          422,
          'EVENT_TYPE_UNKNOWN',
          `unknown event type "${event.type}": no template was ever published for it (herald event publish; herald event types lists the known ones)`,
        );
      const stored = await req.deps.events.intake.accept({ ...event, origin: 'api', apiKeyId: req.key.id });
      if (stored.duplicate && stored.requestHash !== requestHash(event))
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for another event');
      return { status: stored.duplicate ? 200 : 202, body: accepted(stored), headers: { Location: `/api/events/${stored.id}` } };
    },
  },
  {
    method: 'GET',
    path: '/events/{id}',
    scope: 'events:read',
    tag: 'events',
    summary: 'An event and its status: pending, sent, delivery_error, not_covered or expired',
    params: { id },
    responses: { 200: { description: 'the event', schema: eventSchema }, 404: { description: 'no such event', schema: errorSchema } },
    async handle(req) {
      const e = await findEvent(req.deps.db, req.params.id as number);
      if (!e) throw notFound('event');
      const message = e.message ? { ...e.message, sentAt: iso(e.message.sentAt) } : null;
      return {
        status: 200,
        body: {
          id: e.id,
          type: e.type,
          email: e.email,
          status: eventStatus(e.status, e.message),
          createdAt: iso(e.createdAt),
          deliveryId: e.deliveryId,
          message,
        },
      };
    },
  },
];
