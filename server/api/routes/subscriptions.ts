import type { Database } from '../../db/connect.js';
import { findRecipient, recipientSubscriptions } from '../../db/repos/recipient-details.js';
import { changeSubscription, findService, findServiceNamed, servicesWithCounts } from '../../db/repos/services.js';
import type { Service } from '../../db/models/index.js';
import { startDoubleOptIn } from '../../events/double-opt-in.js';
import { auditOf, iso, notFound, type ApiRequest, type ApiRoute } from '../route.js';
import type { Schema } from '../schema.js';
import { errorSchema, flag, id, idOrName, text } from './common.js';

/** Services and the subscriptions of a recipient. */

const params = { id, service: { ...text(100), description: 'service id or internal name' } };

async function serviceOf(db: Database, ref: string | number): Promise<Service> {
  const key = idOrName(ref);
  const service = typeof key === 'number' ? await findService(db, key) : await findServiceNamed(db, key);
  if (!service) throw notFound('service');
  return service;
}

async function recipientOf(req: ApiRequest) {
  const r = await findRecipient(req.deps.db, req.params.id as number);
  if (!r || r.erasedAt) throw notFound('recipient');
  return r;
}

const subscriptionSchema: Schema = {
  type: 'object',
  properties: {
    serviceId: { type: 'integer' },
    service: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'active', 'unsubscribed'] },
    since: { type: 'string' },
  },
};

export const subscriptionRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/services',
    scope: 'recipients:read',
    tag: 'subscriptions',
    summary: 'Services with their subscriptions counted by status',
    responses: {
      200: {
        description: 'the services',
        schema: { type: 'object', properties: { services: { type: 'array', items: { type: 'object', additionalProperties: true } } } },
      },
    },
    async handle(req) {
      const rows = await servicesWithCounts(req.deps.db);
      return {
        status: 200,
        body: {
          services: rows.map(({ service: s, counts }) => ({
            id: s.id,
            name: s.name,
            label: s.label,
            doubleOptIn: s.doubleOptIn,
            validityDays: s.validityDays,
            counts,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/recipients/{id}/subscriptions',
    scope: 'recipients:read',
    tag: 'subscriptions',
    summary: "A recipient's subscriptions",
    params: { id },
    responses: {
      200: { description: 'the subscriptions', schema: { type: 'object', properties: { subscriptions: { type: 'array', items: subscriptionSchema } } } },
      404: { description: 'no such recipient', schema: errorSchema },
    },
    async handle(req) {
      const r = await recipientOf(req);
      const rows = await recipientSubscriptions(req.deps.db, r.id);
      return {
        status: 200,
        body: { subscriptions: rows.map((s) => ({ serviceId: s.serviceId, service: s.service, status: s.status, since: iso(s.updatedAt) })) },
      };
    },
  },
  {
    method: 'PUT',
    path: '/recipients/{id}/subscriptions/{service}',
    scope: 'recipients:write',
    tag: 'subscriptions',
    summary: 'Subscribe a recipient: active at once, or (doubleOptIn) after the confirmation mail it is sent',
    params,
    body: { type: 'object', properties: { doubleOptIn: { ...flag, description: 'send a confirmation mail; the subscription starts when its link is used' } } },
    responses: {
      200: { description: 'subscribed', schema: subscriptionSchema },
      202: { description: 'confirmation mail queued', schema: subscriptionSchema },
      404: { description: 'no such recipient or service', schema: errorSchema },
    },
    async handle(req) {
      const r = await recipientOf(req);
      const service = await serviceOf(req.deps.db, req.params.service!);
      if ((req.body as { doubleOptIn?: boolean }).doubleOptIn) {
        const { config, db, events } = req.deps;
        await startDoubleOptIn(
          { config, db, events },
          { email: r.email, firstName: null, lastName: null, serviceIds: [service.id], serviceLabels: [service.label] },
          req.now,
        );
        return { status: 202, body: { serviceId: service.id, service: service.label, status: 'pending', since: iso(req.now) } };
      }
      await changeSubscription(
        req.deps.db,
        { serviceId: service.id, recipientId: r.id, change: 'subscribe', origin: 'api' },
        auditOf(req, 'recipient_subscribed', { type: 'recipient', id: r.id }, { service: service.name }),
      );
      return { status: 200, body: { serviceId: service.id, service: service.label, status: 'active', since: iso(req.now) } };
    },
  },
  {
    method: 'DELETE',
    path: '/recipients/{id}/subscriptions/{service}',
    scope: 'recipients:write',
    tag: 'subscriptions',
    summary: 'Unsubscribe a recipient from a service (effective for sending at once)',
    params,
    responses: { 200: { description: 'unsubscribed', schema: subscriptionSchema }, 404: { description: 'no such recipient or service', schema: errorSchema } },
    async handle(req) {
      const r = await recipientOf(req);
      const service = await serviceOf(req.deps.db, req.params.service!);
      await changeSubscription(
        req.deps.db,
        { serviceId: service.id, recipientId: r.id, change: 'unsubscribe', origin: 'api' },
        auditOf(req, 'recipient_unsubscribed', { type: 'recipient', id: r.id }, { service: service.name }),
      );
      return { status: 200, body: { serviceId: service.id, service: service.label, status: 'unsubscribed', since: iso(req.now) } };
    },
  },
];
